"""Our request path against the framework's floor, in one run: req/s of each operation over 10 keep-alive
connections for a few seconds, as a ratio to a plain strawberry app answering `{ hello }` on the same
uvicorn (bench/floor_app.py), with our API in 1 and then 2 processes; then how fast the plain app answers a
document with as many fields as our results page (the bound for that page); then the results page's latency as
the catalog grows to 1,000 and 10,000 programs (first request computes the ranking, later ones reuse it).

`.venv/bin/python bench/floor.py` starts the local stack if needed; the API runs as `serve` would (its own
processes), on a database, index, bucket and Redis prefix of this run's own, removed afterwards. The load
generator is one Python process on the same machine: it takes CPU from the server as it does from the floor,
so compare ratios, not absolute rates, between machines.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datasources.mongo.repos.programs import ProgramRepository
from devstack import ensure_stack_running
from domain.programs.catalog import CATALOG
from migratio.settings import PROJECT_ROOT, Settings
from migratio.wiring.services import open_services
from tests.builders.accounts import cli_env, signed_up
from tests.builders.quiz import completed
from tests.isolation import run_resources, run_settings, seed_catalog
from tests.server import LiveServer, free_port, start_worker

CONNECTIONS, SECONDS = 10, 5.0
GROWTH = (1_000, 10_000)

OPERATIONS = PROJECT_ROOT / "clients" / "operations"
PROGRAMS = (OPERATIONS / "programs.graphql").read_text()  # the apps' SearchPrograms, exactly as they send it
RESULTS = (OPERATIONS / "results.graphql").read_text()  # MyRecommendations: 10 with points and gaps

GOALS = {  # the goals, as ratios to the floor (or to our `{ __typename }`)
    "{ __typename }": 0.8,
    "catalog page, persisted GET": 1.0,
    "catalog search + facets": 0.3,
}


@dataclass
class Remote:
    """What the test builders need of a server: its URL."""

    url: str

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"


@dataclass
class Request:
    method: str
    params: dict[str, str] | None = None
    body: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


async def rate(url: str, request: Request) -> float:
    """Requests per second from CONNECTIONS clients, each sending its next request when the last returns."""
    deadline = time.perf_counter() + SECONDS

    async def client() -> int:
        done = 0
        async with httpx.AsyncClient(base_url=url, headers=request.headers or {}, timeout=60) as http:
            while time.perf_counter() < deadline:
                response = await http.request(request.method, "/graphql", params=request.params, json=request.body)
                if response.status_code not in (200, 304) or b'"errors"' in response.content:
                    raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
                done += 1
        return done

    started = time.perf_counter()
    counts = await asyncio.gather(*(client() for _ in range(CONNECTIONS)))
    return sum(counts) / (time.perf_counter() - started)


def wait_until_up(url: str, process: subprocess.Popen[bytes], path: str = "/healthz") -> None:
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited")
        try:
            if httpx.get(url + path, timeout=2).status_code in (200, 405):
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not start")
        time.sleep(0.2)


@contextmanager
def running(argv: list[str], env: dict[str, str], port: int, path: str = "/healthz") -> Iterator[str]:
    process = subprocess.Popen(argv, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def floor_rate(query: str = "{ hello }") -> float:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "bench.floor_app:app", "--port", str(port), "--log-level", "warning"]
    with running(argv, dict(os.environ), port, "/") as url:
        return asyncio.run(rate(url, Request("POST", body={"query": query})))


ITEM_FIELDS = 6  # an Item object and its five scalars


def field_count(value: object) -> int:
    """Objects and leaves in a GraphQL result: what execution resolved and serialised."""
    if isinstance(value, dict):
        return 1 + sum(field_count(v) for v in value.values())
    if isinstance(value, list):
        return sum(field_count(v) for v in value)
    return 1


def execution_bound(url: str, request: Request, floor: float) -> None:
    """How fast plain strawberry answers a document of as many fields as our results page, as a ratio to its
    `{ hello }`: the results page cannot beat that ratio against our `{ __typename }` while GraphQL runs."""
    with httpx.Client(base_url=url, headers=request.headers or {}, timeout=60) as http:
        response = http.post("/graphql", json=request.body)
    answered(response)
    fields = field_count(response.json()["data"])
    rps = floor_rate(f"{{ items(count: {fields // ITEM_FIELDS}) {{ name rank score passed note }} }}")
    print(
        f"plain strawberry answering {fields:,} fields (as many as the results page): {rps:,.0f} req/s, "
        f"{rps / floor:.3f} × its {{ hello }} — the bound for the results page ÷ our {{ __typename }}"
    )


def persisted(query: str, operation: str) -> dict[str, str]:
    """Apollo's hashed GET (`useGETForHashedQueries`): the hash alone names the document."""
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    return {"extensions": extensions, "variables": "{}", "operationName": operation}


def register(url: str, query: str) -> None:
    extensions = json.loads(persisted(query, "")["extensions"])
    httpx.post(f"{url}/graphql", json={"query": query, "extensions": extensions}, timeout=30).raise_for_status()


def api(settings: Settings, processes: int) -> AbstractContextManager[str]:
    port = free_port()
    env = {**cli_env(settings), "PORT": str(port), "SERVE_PROCESSES": str(processes), "LOG_LEVEL": "WARNING"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return running([sys.executable, "-m", "migratio.entrypoints.cli", "serve"], env, port)


def operations(url: str, settings: Settings) -> dict[str, Request]:
    person = signed_up(cast(LiveServer, Remote(url)), settings, "floor")
    completed(person.client)
    register(url, PROGRAMS)
    auth = {"authorization": f"Bearer {person.client.token}"}
    register(url, RESULTS)  # anonymously: kept once it validates; with the token it would run (and warm) the page
    search = {"query": PROGRAMS, "operationName": "SearchPrograms", "variables": {"search": "expres entri"}}
    return {
        "{ __typename }": Request("POST", body={"query": "{ __typename }"}),
        "catalog search + facets": Request("POST", body=search),
        "catalog page, persisted GET": Request("GET", params=persisted(PROGRAMS, "SearchPrograms")),
        "results page, 10 with points": Request(
            "POST", body={"query": RESULTS, "operationName": "MyRecommendations"}, headers=auth
        ),
        "results page, persisted GET": Request("GET", params=persisted(RESULTS, "MyRecommendations"), headers=auth),
    }


async def grow_catalog(settings: Settings, size: int) -> None:
    """Adds copies of the curated programs under new slugs until the catalog holds `size`, through the
    programs repository's own insert (the stored shape stays the product's), then invalidates the catalog
    cache as a catalog write would."""
    services = open_services(settings)
    try:
        repository = ProgramRepository(services.db)
        have = await services.db.programs.count_documents({})
        at = datetime.now(UTC)
        copies = [
            replace(CATALOG[n % len(CATALOG)], slug=f"{CATALOG[n % len(CATALOG)].slug}-copy-{n}")
            for n in range(have, size)
        ]
        for start in range(0, len(copies), 20):  # 20 inserts in flight: well within FerretDB's timeouts
            await asyncio.gather(*(repository.insert(c, at, "bench") for c in copies[start : start + 20]))
        await services.catalog.cache.invalidate()
    finally:
        await services.close()


def answered(response: httpx.Response) -> None:
    """A timing counts only for an answer: an error would time the failure path (an earlier growth run timed
    INTERNAL errors for this reason)."""
    response.raise_for_status()
    errors = response.json().get("errors")
    if errors:
        raise RuntimeError(f"the API answered with errors: {str(errors)[:300]}")


def results_latency(url: str, request: Request) -> tuple[float, float]:
    """The first request after the catalog changed, and the median of the next twenty (seconds)."""
    with httpx.Client(base_url=url, headers=request.headers or {}, timeout=300) as http:
        started = time.perf_counter()
        answered(http.post("/graphql", json=request.body))
        first = time.perf_counter() - started
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            answered(http.post("/graphql", json=request.body))
            timings.append(time.perf_counter() - started)
    return first, statistics.median(timings)


def main() -> int:
    settings = run_settings("floor")
    ensure_stack_running(settings)
    with run_resources(settings), tempfile.TemporaryDirectory(prefix="migratio-floor-") as work:
        worker = start_worker(settings, Path(work) / "worker.log")  # the run's jobs (account mail) get done
        try:
            measure(settings)
        finally:
            worker.kill()
    return 0


def measure(settings: Settings) -> None:
    async def seed() -> None:
        services = open_services(settings)
        try:
            await seed_catalog(services)
        finally:
            await services.close()

    asyncio.run(seed())
    floor = floor_rate()
    print(f"plain strawberry {{ hello }} (floor): {floor:,.0f} req/s, {CONNECTIONS} connections, {SECONDS:.0f} s")
    print(f"{'operation':34} {'processes':>9} {'req/s':>8} {'÷ floor':>8} {'goal':>6}")
    results_request = None
    for processes in (1, 2):
        with api(settings, processes) as url:
            ours = 0.0  # our `{ __typename }`, which the results page's goal is a ratio to
            for name, request in operations(url, settings).items():
                rps = asyncio.run(rate(url, request))
                ours = ours or rps
                goal = GOALS.get(name)
                print(
                    f"{name:34} {processes:>9} {rps:>8,.0f} {rps / floor:>8.3f} "
                    f"{'' if goal is None else f'≥ {goal}':>6}"
                    + (f"   {rps / ours:.3f} × our {{ __typename }} (goal ≥ 0.5)" if name.startswith("results") else "")
                )
                results_request = request if name.startswith("results") else results_request
    assert results_request is not None
    with api(settings, 1) as url:
        execution_bound(url, operations(url, settings)["results page, 10 with points"], floor)
    print("results page latency as the catalog grows (first request after the change; median of the next 20)")
    for size in (len(CATALOG), *GROWTH):
        asyncio.run(grow_catalog(settings, size))
        with api(settings, 1) as url:
            request = operations(url, settings)["results page, 10 with points"]
            first, warm = results_latency(url, request)
        print(f"  {size:>6} programs: first {first * 1000:>8.1f} ms, then {warm * 1000:>6.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
