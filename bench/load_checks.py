"""What bench/load.py checks and measures besides latency: every acknowledged answer read back through the
API, `/readyz` sampled during the load, and the CPU time each part of the system used."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil

from devstack import status
from migratio.settings import Settings

CHECK_S = 120
"""The data check's bound: assessments not read by then count as unreadable."""
SAMPLE_S = 5
READ_BACK = """query ReadBack($id: ID!, $resumeToken: String) {
  assessment(id: $id, resumeToken: $resumeToken) { id status revision answers { questionId value } }
}"""


@dataclass
class DataCheck:
    assessments: int = 0
    completed: int = 0
    answers: int = 0
    lost: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def read_back(client: httpx.Client, url: str, kept: dict[str, Any], deadline: float) -> dict[str, Any] | str:
    """The stored assessment, through the API as the apps read it; a few tries if a dependency restarts."""
    headers = {"authorization": f"Bearer {kept['bearer']}"} if kept["bearer"] else {}
    variables = {"id": kept["id"], "resumeToken": kept["resumeToken"]}
    problem = ""
    for attempt in range(3):
        if time.monotonic() > deadline:
            return f"not read: the data check's {CHECK_S} s ran out ({problem or 'no answer yet'})"
        try:
            reply = client.post(
                f"{url}/graphql", json={"query": READ_BACK, "variables": variables}, headers=headers
            ).json()
        except (httpx.HTTPError, ValueError) as error:
            problem = f"{type(error).__name__}: {error}"
        else:
            if reply.get("data") and reply["data"].get("assessment"):
                stored: dict[str, Any] = reply["data"]["assessment"]
                return stored
            problem = json.dumps(reply.get("errors"))[:300]
        time.sleep(1 + attempt)
    return problem


def check_data(assessments: list[dict[str, Any]], urls: list[str], timeout_s: float) -> DataCheck:
    """Every acknowledged answer stored with the value sent, no revision gone back, every completion kept."""
    result = DataCheck(assessments=len(assessments))
    deadline = time.monotonic() + CHECK_S
    with httpx.Client(timeout=timeout_s) as client, ThreadPoolExecutor(max_workers=8) as pool:
        stored_all = list(
            pool.map(
                lambda pair: read_back(client, urls[pair[0] % len(urls)], pair[1], deadline), enumerate(assessments)
            )
        )
    for kept, stored in zip(assessments, stored_all, strict=True):
        result.answers += len(kept["answers"])
        result.completed += kept["completed"]
        if isinstance(stored, str):
            result.unreadable.append(f"{kept['id']}: {stored}")
            continue
        values = {a["questionId"]: a["value"] for a in stored["answers"]}
        for question, value in kept["answers"].items():
            if question not in values:
                result.lost.append(f"{kept['id']} {question}: acknowledged, not stored")
            elif values[question] != value:
                result.lost.append(f"{kept['id']} {question}: stored {values[question]!r}, acknowledged {value!r}")
        if stored["revision"] < kept["revision"]:
            result.lost.append(f"{kept['id']}: revision {stored['revision']}, acknowledged {kept['revision']}")
        if kept["completed"] and stored["status"] != "COMPLETED":
            result.lost.append(f"{kept['id']}: completion acknowledged, status {stored['status']}")
    return result


@contextmanager
def readiness_samples(urls: list[str]) -> Iterator[Counter[str]]:
    """`/readyz` of each API every few seconds while the load runs: what a load balancer would have seen."""
    seen: Counter[str] = Counter()
    stop = threading.Event()

    def sample() -> None:
        with httpx.Client(timeout=SAMPLE_S) as client:
            while not stop.wait(SAMPLE_S):
                for url in urls:
                    try:
                        seen[f"HTTP {client.get(f'{url}/readyz').status_code}"] += 1
                    except httpx.HTTPError as error:
                        seen[type(error).__name__] += 1

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield seen
    finally:
        stop.set()
        sampler.join(timeout=SAMPLE_S + 1)


def stack_processes(settings: Settings) -> dict[str, psutil.Process]:
    found = {}
    for service in status(settings):
        if service.pid:
            try:
                found[service.name] = psutil.Process(service.pid)
            except psutil.Error:
                continue
    return found


def cpu_by_pid(roots: list[psutil.Process]) -> dict[int, float]:
    """User + system CPU seconds of each process and its descendants (a server's workers, backends)."""
    found = {}
    for root in roots:
        try:
            family = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        for process in family:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            found[process.pid] = times.user + times.system
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """Seconds used meanwhile by the processes alive at the end (those that ended meanwhile are not counted)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
