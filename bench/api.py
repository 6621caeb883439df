"""Times the HTTP API end to end: latency per operation, throughput under concurrency, memory, Mongo round-trips.

`.venv/bin/python bench/api.py` starts the local stack if needed, then the real app on a free loopback port
with a database, index, bucket and Redis prefix of its own (seeded with the catalog, removed afterwards), and
signs up one person whose assessment is completed. Latencies are median and p95 over one keep-alive
connection; each ratio divides a median by that of `{ __typename }` from the same run (HTTP and GraphQL
alone), so it says what the operation adds and survives a faster or slower machine. Throughput ratios divide
by one client's rate. The server runs in a thread of this process, so clients and server share one GIL:
throughput is that of one Python process, and RSS growth counts both sides. Growth that stops after the
first round is warm-up; the same growth every round is a leak. On the local stack FerretDB (SQLite) answers
most of a recommendations request's time: compare ratios between runs, not with production.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devstack import ensure_stack_running
from devstack.mailbox import mail_dir
from migratio.settings import Settings
from tests.builders.accounts import signed_up
from tests.builders.quiz import anywhere_quiz, completed
from tests.isolation import run_resources, run_settings
from tests.live_api import clean, seed
from tests.server import LiveServer, start_server, start_worker

WARM_UP, REQUESTS = 20, 200
CONCURRENCY, THROUGHPUT_S = (1, 8, 32), 5.0
MEMORY_ROUNDS, MEMORY_ROUND_REQUESTS = 4, 250

BASELINE = "{ __typename }"
HEALTH = "{ health { ok } }"
SEARCH = """query Search($search: String!) {
  programs(search: $search, first: 10) { totalCount edges { highlights node { slug name countryCode } } }
}"""
CATALOG = "query Catalog { programs(first: 10) { totalCount edges { node { slug name countryCode category } } } }"
RECOMMENDATIONS = """query Recommendations($first: Int!) {
  myRecommendations(first: $first) {
    totalCount
    edges {
      rank programSlug verdict matchScore node { slug name }
      points { system total passMark factors { key points maximum } }
      gaps { key pointsDelta }
    }
  }
}"""
# The query above costs more than graphql_max_cost at first: 50; this one keeps factors, gaps and both loaders.
ROUND_TRIPS = """query RoundTrips($first: Int!) {
  myRecommendations(first: $first) {
    edges { rank node { slug country { name } } points { total factors { key points } } gaps { key } }
  }
}"""
POINTS = """query Points($slug: String!) {
  pointsBreakdown(programSlug: $slug) { system total maximum passMark passed factors { key points maximum } }
}"""

BASELINE_NAME = "{ __typename } (baseline)"
BY_TEXT, BY_HASH = "programs(first: 10) by POST, query text", "programs(first: 10) by GET, persisted hash only"

Send = Callable[[], httpx.Response]


def checked(response: httpx.Response) -> dict[str, Any]:
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    if "errors" in body:
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    return body


def post(client: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> Send:
    body = {"query": query, "variables": variables or {}}
    return lambda: client.post("/graphql", json=body)


def get_by_hash(client: httpx.Client, query: str) -> Send:
    """Apollo's hashed GET: the query is registered once (POST with text and hash), then named by hash alone."""
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}
    checked(client.post("/graphql", json={"query": query, "extensions": extensions}))
    params = {"variables": "{}", "extensions": json.dumps(extensions)}
    return lambda: client.get("/graphql", params=params)


def latency(send: Send) -> tuple[float, float]:
    """Median and p95 in seconds, after a warm-up."""
    for _ in range(WARM_UP):
        checked(send())
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = send()
        timings.append(time.perf_counter() - started)
        checked(response)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18]


async def throughput(url: str, headers: dict[str, str], concurrency: int, body: dict[str, Any]) -> float:
    """Requests per second from `concurrency` clients, each sending its next request when the last returns."""
    deadline = time.perf_counter() + THROUGHPUT_S

    async def client() -> int:
        done = 0
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
            while time.perf_counter() < deadline:
                checked(await http.post("/graphql", json=body))
                done += 1
        return done

    started = time.perf_counter()
    counts = await asyncio.gather(*(client() for _ in range(concurrency)))
    return sum(counts) / (time.perf_counter() - started)


def rss_mb() -> float:
    gc.collect()
    status = Path("/proc/self/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return kib / 1024


def print_latencies(client: httpx.Client) -> None:
    operations = {
        BASELINE_NAME: post(client, BASELINE),
        "{ health { ok } }": post(client, HEALTH),
        'programs(search: "express entry", first: 10)': post(client, SEARCH, {"search": "express entry"}),
        "myRecommendations(first: 10), factors + gaps": post(client, RECOMMENDATIONS, {"first": 10}),
        'pointsBreakdown(programSlug: "ca-express-entry-fsw")': post(client, POINTS, {"slug": "ca-express-entry-fsw"}),
        BY_TEXT: post(client, CATALOG),
        BY_HASH: get_by_hash(client, CATALOG),
    }
    print(
        f"latency over one keep-alive connection ({REQUESTS} requests after {WARM_UP} warm-up; "
        "ratio = median / baseline median)"
    )
    medians = {}
    for name, send in operations.items():
        median, p95 = latency(send)
        medians[name] = median
        print(
            f"  {name:<53} median {median * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  "
            f"{median / medians[BASELINE_NAME]:6.1f}x"
        )
    print(f"  persisted GET / POST: {medians[BY_HASH] / medians[BY_TEXT]:.2f}")


def print_throughput(url: str, headers: dict[str, str]) -> None:
    print(f"throughput of myRecommendations(first: 10), {THROUGHPUT_S:.0f} s per concurrency")
    body = {"query": RECOMMENDATIONS, "variables": {"first": 10}}
    rates = {n: asyncio.run(throughput(url, headers, n, body)) for n in CONCURRENCY}
    for n, rate in rates.items():
        print(f"  {n:>3} concurrent: {rate:7.1f} requests/s  {rate / rates[1]:5.2f}x one client")


def print_memory(client: httpx.Client) -> None:
    total = MEMORY_ROUNDS * MEMORY_ROUND_REQUESTS
    print(f"memory: RSS of this process (server and clients) over {total:,} myRecommendations(first: 10) requests")
    send = post(client, RECOMMENDATIONS, {"first": 10})
    before = previous = rss_mb()
    print(f"  before: {before:.1f} MB")
    for round_ in range(1, MEMORY_ROUNDS + 1):
        for _ in range(MEMORY_ROUND_REQUESTS):
            checked(send())
        now = rss_mb()
        print(f"  after {round_ * MEMORY_ROUND_REQUESTS:>5,}: {now:.1f} MB ({now - previous:+.1f} MB)")
        previous = now
    print(f"  growth: {previous - before:+.1f} MB, {(previous - before) / total * 1_000:+.2f} MB per 1,000 requests")


def print_round_trips(client: httpx.Client) -> None:
    print("Mongo commands per myRecommendations request (extensions.mongoCommands)")
    for first in (5, 50):
        reply = checked(post(client, ROUND_TRIPS, {"first": first})())
        edges = len(reply["data"]["myRecommendations"]["edges"])
        print(f"  first: {first:>2} ({edges:>2} edges): {reply['extensions']['mongoCommands']} commands")


def run(live: LiveServer, settings: Settings, tag: str) -> None:
    account = signed_up(live, settings, tag)
    completed(account.client, anywhere_quiz())
    headers = {"authorization": f"Bearer {account.client.token}", "x-forwarded-for": account.client.ip}
    with httpx.Client(base_url=live.url, headers=headers, timeout=30) as client:
        print_latencies(client)
        print_throughput(live.url, headers)
        print_memory(client)
        print_round_trips(client)


def remove_mail(settings: Settings, tag: str) -> None:
    """The sign-up mail the local SMTP sink kept for this run's address."""
    for path in mail_dir(settings.stack_dir).glob("*.eml"):
        if f"{tag}-".encode() in path.read_bytes():
            path.unlink()


@contextmanager
def own_api(settings: Settings, tag: str) -> Iterator[LiveServer]:
    """The real API on a free loopback port over the run's own database, index, bucket and Redis prefix, with the
    catalog and a worker on the run's queue; at the end everything the run made is removed, and the mail to
    addresses tagged `tag`."""
    ensure_stack_running(settings)
    try:
        with run_resources(settings), tempfile.TemporaryDirectory(prefix="migratio-bench-") as logs:
            worker = start_worker(settings, Path(logs) / "worker.log")
            try:
                asyncio.run(seed(settings))
                live = start_server(settings)
                try:
                    yield live
                finally:
                    live.stop()
            finally:
                worker.kill()
                asyncio.run(clean(settings))
    finally:
        remove_mail(settings, tag)


def main() -> None:
    # A run lasts minutes: its one sign-in must outlive it.
    settings = run_settings("bench", expose_query_stats=True, access_token_ttl_s=3600)
    tag = f"bench{uuid.uuid4().hex[:8]}"
    with own_api(settings, tag) as live:
        run(live, settings, tag)


if __name__ == "__main__":
    main()
