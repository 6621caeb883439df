"""Where one API process spends its CPU, per operation: py-spy samples the server while clients drive it.

`.venv/bin/python bench/profile.py [--requests 300] [--concurrency 8] [--top 15] [--only NAME]` starts the
local stack if needed, gives the run a database, index, bucket and Redis prefix of its own (catalog seeded),
starts one API process as bench/load.py does (`migratio.entrypoints.cli serve` on a free 127.0.0.1 port, the same
settings), prepares what the operations need (a signed-up person with a completed assessment, anonymous
assessments to answer), then for each operation in turn runs `py-spy record --format raw --function` on the
server while `--concurrency` clients send it `--requests` times (documents from clients/operations, sent as
Apollo sends them: persisted hash, queries by GET). It prints the requests per second and CPU ms per request
while sampled, and the frames with the most samples: self (the frame was running) and cumulative (the frame
was on the stack). Only the thread holding the GIL is sampled (`--gil`), so waiting (the event loop in
epoll, idle pool threads) is not counted: the shares are of the process's Python time. Then it removes
everything it made. py-spy needs ptrace (root, or CAP_SYS_PTRACE); sampling pauses the server 200 times a
second, so its rates are a little below an unsampled run's.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import Any, cast

import httpx
import psutil
from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, parse, print_ast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from floor import grow_catalog  # bench/floor.py: copies of the curated programs under new slugs
from load import apis, remove_mail, wait_ready  # bench/load.py: the API processes, as the load run starts them

from devstack import ensure_stack_running
from migratio.settings import Settings
from tests.builders.accounts import signed_up
from tests.builders.quiz import anywhere_quiz, completed
from tests.isolation import run_resources, run_settings
from tests.live_api import clean, seed
from tests.server import LiveServer, start_worker

OPERATIONS_DIR = Path(__file__).resolve().parent.parent / "clients" / "operations"
ACCEPT = "application/graphql-response+json,application/json;q=0.9"
SAMPLING_RATE = 200
REQUEST_TIMEOUT_S, OPERATION_DEADLINE_S = 30.0, 120.0
PY_SPY = Path(sys.executable).parent / "py-spy"
SETTINGS: dict[str, Any] = {
    "access_token_ttl_s": 3600,
    "assessment_starts_per_ip": 1_000_000,
    "persisted_query_registrations_per_ip": 1_000_000,
}
SERVER_FRAMES = (
    "(uvicorn/",
    "(starlette/",
    "(asyncio/",
    "(<frozen",
    "(migratio/entrypoints/cli.py",
    "(threading.py",
    "(migratio/observability.py:69)",
)
"""Endings of frames every request passes through (the server, the ASGI stack): left out of cumulative lists."""
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def client_documents() -> dict[str, str]:
    """Each operation the apps send, with the fragments it spreads (as bench/load_journeys.py prints them;
    imported from there, Locust's gevent would patch this process)."""
    definitions = [d for f in sorted(OPERATIONS_DIR.glob("*.graphql")) for d in parse(f.read_text()).definitions]
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    spread = re.compile(r"\.\.\.\s*([_A-Za-z]\w*)")
    documents = {}
    for operation in definitions:
        if not isinstance(operation, OperationDefinitionNode) or operation.name is None:
            continue
        needed: set[str] = set()
        todo = set(spread.findall(print_ast(operation))) & fragments.keys()
        while todo:
            name = todo.pop()
            if name not in needed:
                needed.add(name)
                todo |= set(spread.findall(print_ast(fragments[name]))) & fragments.keys()
        definitions_used = (operation, *(fragments[n] for n in sorted(needed)))
        documents[operation.name.value] = print_ast(DocumentNode(definitions=definitions_used))
    return documents


@dataclass
class Operation:
    name: str
    text: str
    variables: Callable[[], dict[str, Any]]
    bearer: str | None = None
    query: bool = True


async def send(http: httpx.AsyncClient, operation: Operation, registered: set[str]) -> dict[str, Any]:
    """As Apollo's PersistedQueryLink: the hash alone (GET for a query), the text the first time."""
    digest = hashlib.sha256(operation.text.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    headers = {"accept": ACCEPT, **({"authorization": f"Bearer {operation.bearer}"} if operation.bearer else {})}
    variables = operation.variables()
    body: dict[str, Any] = {"variables": variables, "extensions": extensions}
    if digest not in registered:
        registered.add(digest)
        response = await http.post("/graphql", json={**body, "query": operation.text}, headers=headers)
    elif operation.query:
        params = {"variables": json.dumps(variables), "extensions": json.dumps(extensions)}
        response = await http.get("/graphql", params=params, headers=headers)
    else:
        response = await http.post("/graphql", json=body, headers=headers)
    reply: dict[str, Any] = response.json()
    if response.status_code != 200 or reply.get("errors"):
        raise RuntimeError(f"{operation.name}: HTTP {response.status_code} {str(reply)[:300]}")
    return reply


async def drive(url: str, operation: Operation, requests: int, concurrency: int) -> int:
    """`requests` sends of the operation from `concurrency` clients on keep-alive connections, or fewer if the
    deadline comes first; returns how many were sent."""
    deadline = time.monotonic() + OPERATION_DEADLINE_S
    left = [requests]
    registered: set[str] = set()

    async def client() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S) as http:
            while left[0] > 0 and time.monotonic() < deadline:
                left[0] -= 1
                await send(http, operation, registered)

    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S) as http:
        await send(http, operation, registered)  # registers the hash
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return requests - max(left[0], 0)


@dataclass
class Profile:
    samples: int
    self_counts: Counter[str]
    total_counts: Counter[str]


def frame_name(frame: str) -> str:
    """`function (path:line)` as `function (package/module.py)`, the path from site-packages or the repo."""
    found = FRAME.match(frame)
    if not found:
        return frame
    path = found["file"].split("site-packages/")[-1]
    return f"{found['function']} ({path}:{found['line']})" if found["line"] else f"{found['function']} ({path})"


def read_raw(path: Path) -> Profile:
    """py-spy's raw output: one line per distinct stack, `frame;frame;…;frame count`, outermost first."""
    self_counts: Counter[str] = Counter()
    total_counts: Counter[str] = Counter()
    samples = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame_name(f) for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        samples += count
        self_counts[frames[-1]] += count
        for frame in set(frames):
            total_counts[frame] += count
    return Profile(samples, self_counts, total_counts)


@contextmanager
def sampled(pid: int, out: Path) -> Iterator[None]:
    """py-spy recording the process while the block runs; stopped with SIGINT, which makes it write `out`."""
    command = [
        str(PY_SPY),
        "record",
        "--pid",
        str(pid),
        "--rate",
        str(SAMPLING_RATE),
        "--format",
        "raw",
        "--function",
        "--gil",
        "--output",
        str(out),
    ]
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)  # attached before the first request
    if spy.poll() is not None:
        raise RuntimeError(f"py-spy refused: {spy.stderr.read().decode() if spy.stderr else ''}")
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
            spy.wait()


def print_profile(name: str, sent: int, wall_s: float, cpu_s: float, profile: Profile, top: int) -> None:
    print(
        f"\n== {name}: {sent} requests in {wall_s:.1f} s ({sent / wall_s:.0f}/s), "
        f"server CPU {cpu_s * 1000 / max(sent, 1):.1f} ms per request, {profile.samples} samples"
    )
    wrappers = [(f, n) for f, n in profile.total_counts.most_common() if not any(p in f for p in SERVER_FRAMES)]
    for title, counts in (("self", profile.self_counts.most_common(top)), ("cumulative", wrappers[:top])):
        print(f"  top {title}:")
        for frame, count in counts:
            print(f"    {count / max(profile.samples, 1):6.1%}  {frame[:150]}")


@dataclass
class Loopback:
    """What tests.builders.accounts needs of a server: its GraphQL URL."""

    url: str

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"


def operations(url: str, settings: Settings, tag: str) -> list[Operation]:
    documents = client_documents()
    account = signed_up(cast(LiveServer, Loopback(url)), settings, tag)
    completed(account.client, anywhere_quiz())
    quiz = anywhere_quiz()
    start = Operation("StartAssessment", documents["StartAssessment"], dict, query=False)
    assessments: list[tuple[str, str]] = []

    async def prepare(count: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S) as http:
            for _ in range(count):
                started = (await send(http, start, set()))["data"]["startAssessment"]
                assessments.append((started["assessment"]["id"], started["resumeToken"]))

    # Question by question across many assessments, so one assessment's next answer is sent long after the
    # last one returned (an answer may depend on the one before) with `concurrency` requests in flight.
    asyncio.run(prepare(max(4 * ARGS.concurrency, ARGS.requests // len(quiz) + 2)))
    answers = cycle([(a, q, v) for q, v in quiz for a in assessments])

    def answer() -> dict[str, Any]:
        (assessment_id, token), question, value = next(answers)
        return {"assessmentId": assessment_id, "questionId": question, "value": value, "resumeToken": token}

    return [
        Operation("{ __typename }", "query Typename { __typename }", dict),
        Operation(
            'SearchPrograms, search "express entry"',
            documents["SearchPrograms"],
            lambda: {"search": "express entry", "first": 10},
        ),
        Operation("SearchPrograms, first page + facets", documents["SearchPrograms"], lambda: {"first": 20}),
        Operation("AnswerQuestion", documents["AnswerQuestion"], answer, query=False),
        Operation(
            "MyRecommendations(first: 10), breakdowns",
            documents["MyRecommendations"],
            lambda: {"first": 10},
            bearer=account.client.token,
        ),
    ]


def measure(settings: Settings, tag: str, work: Path) -> None:
    with apis(settings, 1, work) as (api,):
        asyncio.run(seed(settings))
        if ARGS.programs:
            asyncio.run(grow_catalog(settings, ARGS.programs))
        wait_ready(api)
        server = psutil.Process(api.process.pid)
        for operation in operations(api.url, settings, tag):
            if ARGS.only and ARGS.only.lower() not in operation.name.lower():
                continue
            out = work / f"{uuid.uuid4().hex}.txt"
            asyncio.run(drive(api.url, operation, 20, 4))  # warm-up, unsampled
            with sampled(server.pid, out):
                cpu_before, began = sum(server.cpu_times()[:2]), time.monotonic()
                sent = asyncio.run(drive(api.url, operation, ARGS.requests, ARGS.concurrency))
                wall_s, cpu_s = time.monotonic() - began, sum(server.cpu_times()[:2]) - cpu_before
            print_profile(operation.name, sent, wall_s, cpu_s, read_raw(out), ARGS.top)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=300, help="requests per operation (default 300)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--top", type=int, default=15, help="frames shown per list (default 15)")
    parser.add_argument("--only", default="", help="profile only operations whose name contains this")
    parser.add_argument("--programs", type=int, default=0, help="grow the catalog to this many programs first")
    args = parser.parse_args()
    if not 1 <= args.requests <= 10_000 or not 1 <= args.concurrency <= 64:
        parser.error("--requests is 1 to 10,000 and --concurrency 1 to 64")
    return args


def main() -> None:
    if not PY_SPY.exists() and shutil.which("py-spy") is None:
        raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy (it is in the dev extras)")
    settings = run_settings("profile", **SETTINGS)
    tag = f"profile{uuid.uuid4().hex[:8]}"
    ensure_stack_running(settings)
    try:
        with run_resources(settings), tempfile.TemporaryDirectory(prefix="migratio-profile-") as work:
            worker = start_worker(settings, Path(work) / "worker.log")  # the run's jobs (account mail) get done
            try:
                measure(settings, tag, Path(work))
            finally:
                worker.kill()
                asyncio.run(clean(settings))
    finally:
        remove_mail(settings, tag)


ARGS = (
    options()
    if __name__ == "__main__"
    else argparse.Namespace(requests=300, concurrency=8, top=15, only="", programs=0)
)

if __name__ == "__main__":
    main()
