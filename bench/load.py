"""Load: the apps' mixed journey from many users at once against N API processes, on loopback only.

`.venv/bin/python bench/load.py --users 200 --spawn-rate 20 --run-time 60s --processes 2` starts the local
stack if needed, gives the run a database, index, bucket and Redis prefix of its own (catalog seeded), starts N
API processes (`migratio.entrypoints.cli serve`, each on a free 127.0.0.1 port, the same settings), waits until each is
ready, and runs Locust headless (bench/load_journeys.py) with the users spread over the processes
round-robin. It prints p50/p95/p99 per operation, errors by `extensions.code` and HTTP status, the CPU time
each part used, and a data check: every answer the API acknowledged is read back through the API and
compared. Then it removes everything it made. All traffic comes from 127.0.0.1, so the run raises the
per-address rate limits of its own processes (and says so). Exits 1 when an acknowledged answer is lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from load_checks import (
    CHECK_S,
    SAMPLE_S,
    DataCheck,
    check_data,
    cpu_by_pid,
    cpu_used,
    readiness_samples,
    stack_processes,
)

from devstack import ensure_stack_running
from devstack.mailbox import mail_dir
from migratio.settings import PROJECT_ROOT, Settings
from tests.builders.accounts import cli_env
from tests.builders.answers import reference_quiz
from tests.builders.quiz import anywhere_quiz
from tests.isolation import run_resources, run_settings
from tests.live_api import clean, seed
from tests.server import free_port

JOURNEYS = Path(__file__).resolve().parent / "load_journeys.py"
RAISED_LIMITS = {
    "assessment_starts_per_ip": 1_000_000,
    "registrations_per_ip": 1_000_000,
    "login_failures_per_ip": 1_000_000,
    "persisted_query_registrations_per_ip": 1_000_000,
}
"""Every user comes from 127.0.0.1: per-address limits would otherwise stop the run after a few journeys."""
API_SETTINGS: dict[str, Any] = {
    **RAISED_LIMITS,
    "access_token_ttl_s": 3600,  # the data check reads signed-in users' assessments with their tokens
    "migrate_on_start": False,  # migrated once while seeding, not raced by N processes
}
READY_S = 60
SETUP_S = 180
"""Seeding, or removing what the run made, takes longer than this only when the stack is stuck."""
GOAL_ANSWER_P95_MS = 1000
PERSONAS = {"developer from India (Canada, Australia)": reference_quiz, "open to anywhere": anywhere_quiz}


def duration_s(text: str) -> float:
    """`60`, `60s`, `2m` or `1h` in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    return float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text)


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second (default 10)")
    parser.add_argument("--run-time", default="30s", help="how long the load lasts: 30s, 2m (default 30s)")
    parser.add_argument("--processes", type=int, default=2, help="API processes (default 2)")
    parser.add_argument(
        "--think-time",
        type=float,
        default=1.0,
        help="mean seconds a user waits between two requests, ±50%% (default 1.0)",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout in seconds (default 10)")
    parser.add_argument("--max-requests", type=int, default=500_000, help="the run quits after this many requests")
    parser.add_argument("--browse", type=int, default=4, help="weight of the catalog journey (default 4)")
    parser.add_argument(
        "--anonymous", type=int, default=5, help="weight of the anonymous assessment journey (default 5)"
    )
    parser.add_argument(
        "--registered", type=int, default=1, help="weight of the register + login + assessment journey (default 1)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--verbose", action="store_true", help="show Locust's own output")
    args = parser.parse_args(argv)
    if args.users < 1 or args.processes < 1 or args.spawn_rate <= 0 or duration_s(args.run_time) <= 0:
        parser.error("users, processes, spawn rate and run time must be positive")
    return args


@dataclass
class Api:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def api_env(settings: Settings) -> dict[str, str]:
    return {**cli_env(settings), **{k.upper(): str(v) for k, v in API_SETTINGS.items()}, "HOST": "127.0.0.1"}


@contextmanager
def apis(settings: Settings, count: int, log_dir: Path) -> Iterator[list[Api]]:
    """N API processes starting on free loopback ports (see `wait_ready`); stopped (SIGTERM, then SIGKILL) on
    the way out."""
    started: list[Api] = []
    try:
        for n in range(count):
            port = free_port()
            log = log_dir / f"api-{n + 1}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "migratio.entrypoints.cli", "serve"],
                    cwd=PROJECT_ROOT,
                    env={**api_env(settings), "PORT": str(port)},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            started.append(Api(f"http://127.0.0.1:{port}", process, log))
        yield started
    finally:
        for api in started:
            if api.process.poll() is None:
                api.process.terminate()
        for api in started:
            try:
                api.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                api.process.kill()
                api.process.wait(timeout=10)


def wait_ready(api: Api) -> None:
    deadline = time.monotonic() + READY_S
    while True:
        if api.process.poll() is not None:
            raise RuntimeError(f"the API at {api.url} exited:\n{api.log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{api.url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the API at {api.url} was not ready within {READY_S} s:\n{api.log.read_text()[-2000:]}")
        time.sleep(0.2)


def run_locust(settings: Settings, args: argparse.Namespace, urls: list[str], tag: str, work: Path) -> dict[str, Any]:
    """Locust headless in its own process (gevent stays out of this one); killed if it outlives its bound."""
    report = work / "report.json"
    scenario = {
        "urls": urls,
        "tag": tag,
        "think_s": args.think_time,
        "timeout_s": args.timeout,
        "max_requests": args.max_requests,
        "weights": {"browse": args.browse, "anonymous": args.anonymous, "registered": args.registered},
        "personas": {name: dict(quiz()) for name, quiz in PERSONAS.items()},
        "report": str(report),
        "mail_dir": str(mail_dir(settings.stack_dir)),
    }
    (work / "scenario.json").write_text(json.dumps(scenario))
    run_s = duration_s(args.run_time)
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(JOURNEYS),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{run_s:g}s",
        "--stop-timeout",
        f"{args.timeout + 1:g}",
        "--exit-code-on-error",
        "0",
        "--only-summary",
        "--scenario",
        str(work / "scenario.json"),
    ]
    log = work / "locust.log"
    with log.open("wb") as out:
        output: IO[bytes] | None = None if args.verbose else out
        locust = subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            locust.wait(timeout=run_s + args.timeout + 60)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"Locust did not stop by itself; killed:\n{log.read_text()[-2000:]}") from None
        finally:
            if locust.poll() is None:
                os.killpg(locust.pid, signal.SIGKILL)
                locust.wait()
    if not report.exists():
        raise RuntimeError(f"Locust wrote no report (exit {locust.returncode}):\n{log.read_text()[-3000:]}")
    result: dict[str, Any] = json.loads(report.read_text())
    return result


def print_report(
    args: argparse.Namespace,
    urls: list[str],
    locust: dict[str, Any],
    data: DataCheck,
    cpu: dict[str, float],
    wall_s: float,
    readiness: Counter[str],
) -> None:
    print(
        f"load: {args.users} users (spawned {args.spawn_rate:g}/s) for {args.run_time} over {args.processes} API "
        f"process(es) {', '.join(urls)}; think time {args.think_time:g} s ±50%, request timeout {args.timeout:g} s; "
        f"journey weights browse {args.browse}, anonymous {args.anonymous}, registered {args.registered}"
    )
    print(
        "rate limits raised for this run's API processes, since every user comes from 127.0.0.1: "
        + ", ".join(f"{k.upper()}={v:,}" for k, v in RAISED_LIMITS.items())
    )
    print(f"\n{'operation':<38} {'requests':>8} {'errors':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  (ms)")
    rows = [o for o in locust["operations"] if o["requests"]]
    for op in rows:
        print(
            f"{op['name']:<38} {op['requests']:>8} {op['failures']:>7} {op['p50']:>7} {op['p95']:>7} "
            f"{op['p99']:>7} {op['max']:>7.0f}"
        )
    total = sum(o["requests"] for o in rows)
    print(
        f"{'all':<38} {total:>8} {sum(o['failures'] for o in rows):>7}   "
        f"({total / duration_s(args.run_time):.1f} requests/s served; the users would send up to "
        f"{args.users / args.think_time:.0f}/s if every answer were instant)"
    )
    print("\nerrors by extensions.code and HTTP status:")
    by_kind: Counter[tuple[str, int]] = Counter()
    operations: dict[tuple[str, int], set[str]] = {}
    examples: dict[tuple[str, int], str] = {}
    for error in locust["errors"]:
        key = (error["code"], error["status"])
        by_kind[key] += error["count"]
        operations.setdefault(key, set()).add(error["operation"])
        examples.setdefault(key, error["example"])
    for (code, http_status), count in by_kind.most_common():
        print(
            f"  {code:<32} HTTP {http_status:<4} {count:>6}  in {', '.join(sorted(operations[(code, http_status)]))}"
            f"  e.g. {examples[(code, http_status)][:120]!r}"
        )
    if not by_kind:
        print("  none")
    journeys = locust["journeys"]
    print(
        "\njourneys finished / started: "
        + ", ".join(
            f"{name} {journeys.get(f'{name}: finished', 0)}/{journeys.get(f'{name}: started', 0)}"
            for name in ("browse", "anonymous", "registered")
        )
    )
    print(
        "CPU seconds during the load (the machine is shared: other work counts in the stack's figures): "
        + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
        + f" — over {wall_s:.0f} s of wall time"
    )
    print(f"/readyz every {SAMPLE_S} s during the load: " + ", ".join(f"{k} ×{v}" for k, v in readiness.items()))
    print(
        f"\ndata check: {data.answers} acknowledged answers in {data.assessments} assessments "
        f"({data.completed} completed) read back through the API: "
        f"{len(data.lost)} lost, {len(data.unreadable)} assessments unreadable"
    )
    for line in (data.lost + data.unreadable)[:20]:
        print(f"  {line}")
    answers = next((o for o in rows if o["name"] == "AnswerQuestion"), None)
    print(
        f"goal at 200 users over 2 processes: no error, nothing lost, AnswerQuestion p95 < {GOAL_ANSWER_P95_MS} ms; "
        f"this run ({args.users} users, {args.processes} processes): {sum(by_kind.values())} errors, "
        f"{len(data.lost)} lost, AnswerQuestion p95 {answers['p95'] if answers else '-'} ms"
    )


def measure(settings: Settings, args: argparse.Namespace, tag: str, work: Path) -> int:
    with apis(settings, args.processes, work) as started:
        progress(f"seeding the catalog; starting {len(started)} API process(es)")
        asyncio.run(asyncio.wait_for(seed(settings), SETUP_S))  # while the API processes import and start
        for api in started:
            wait_ready(api)
        progress(f"{args.users} users for {args.run_time} (Locust, headless)")
        urls = [api.url for api in started]
        parts = {f"API ({len(started)} processes)": [psutil.Process(api.process.pid) for api in started]}
        parts |= {name: [process] for name, process in stack_processes(settings).items()}
        before = {name: cpu_by_pid(roots) for name, roots in parts.items()}
        locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.monotonic()
        with readiness_samples(urls) as readiness:
            locust = run_locust(settings, args, urls, tag, work)
        wall_s = time.monotonic() - began
        locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = {name: cpu_used(before[name], cpu_by_pid(roots)) for name, roots in parts.items()}
        cpu["Locust"] = (locust_after.ru_utime + locust_after.ru_stime) - (
            locust_before.ru_utime + locust_before.ru_stime
        )
        progress(f"data check: reading {len(locust['assessments'])} assessments back")
        data = check_data(locust["assessments"], urls, args.timeout)
    print_report(args, urls, locust, data, cpu, wall_s, readiness)
    if args.json:
        figures = {key: value for key, value in locust.items() if key != "assessments"}
        figures["data"] = {
            "assessments": data.assessments,
            "completed": data.completed,
            "answers": data.answers,
            "lost": data.lost,
            "unreadable": data.unreadable,
        }
        figures["cpu_s"] = cpu
        figures["readyz"] = readiness
        args.json.write_text(json.dumps(figures, indent=2))
    return 1 if data.lost or data.unreadable else 0


def progress(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def outlived(_signal: int, _frame: FrameType | None) -> None:
    raise TimeoutError("the load run outlived its bound; stopping")


def stopped(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(143)  # through the finally blocks, which stop the API processes and clean up


def remove_mail(settings: Settings, tag: str) -> None:
    """The sign-up mails the local SMTP sink kept for this run's addresses."""
    for path in mail_dir(settings.stack_dir).glob("*.eml"):
        if f"{tag}-".encode() in path.read_bytes():
            path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    settings = run_settings("load", **API_SETTINGS)
    tag = f"load{uuid.uuid4().hex[:8]}"
    # The last resort if the stack hangs where no timeout reaches: the whole run is bounded too.
    signal.signal(signal.SIGALRM, outlived)
    signal.signal(signal.SIGTERM, stopped)
    signal.alarm(int(SETUP_S + READY_S + duration_s(args.run_time) + 2 * args.timeout + 60 + CHECK_S))
    try:
        progress("local stack")
        ensure_stack_running(settings)
        try:
            with run_resources(settings), tempfile.TemporaryDirectory(prefix="migratio-load-") as work:
                try:
                    return measure(settings, args, tag, Path(work))
                finally:
                    signal.alarm(SETUP_S)
                    progress("removing the run's database, index, bucket and keys")
                    asyncio.run(asyncio.wait_for(clean(settings), SETUP_S - 10))
        finally:
            remove_mail(settings, tag)
    finally:
        signal.alarm(0)


if __name__ == "__main__":
    sys.exit(main())
