"""Password hashing vs the event loop, and the login rate limit under parallel attempts.

`.venv/bin/python bench/identity.py` starts the API as its own process (`migratio.entrypoints.cli serve`, so clients and
server do not share a GIL) with a database and Redis prefix of its own, then prints:
- `{ __typename }` median and max latency alone, and while 10 clients log in to unknown addresses in a loop
  (argon2 on the event loop stalls every request; in a worker thread it does not);
- how many of N parallel wrong-password logins to one address were verified (answered UNAUTHENTICATED rather
  than RATE_LIMITED) against the per-account limit of 5 — exactly 5 when counting is atomic.
Removes its database and Redis keys afterwards.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devstack import ensure_stack_running
from migratio.settings import PROJECT_ROOT, Settings
from tests.isolation import run_resources, run_settings
from tests.live_api import clean
from tests.server import free_port

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }"
BASELINE = "{ __typename }"
HASHING_CLIENTS, HASHING_S = 10, 8.0
RACES = (20, 50, 100)


def serve(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ENVIRONMENT": str(settings.environment),
        "MONGODB_DB": settings.mongodb_db,
        "S3_BUCKET": settings.s3_bucket,
        "OPENSEARCH_INDEX_PREFIX": settings.opensearch_index_prefix,
        "REDIS_KEY_PREFIX": settings.redis_key_prefix,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "LOGIN_FAILURES_PER_IP": "1000000",  # every client below sends its own address anyway
    }
    process = subprocess.Popen([sys.executable, "-m", "migratio.entrypoints.cli", "serve"], env=env, cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the API did not start")


def _ip(n: int) -> str:
    return f"198.18.{n // 250}.{n % 250 + 1}"


async def typename_latencies(client: httpx.AsyncClient, seconds: float) -> list[float]:
    times, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.perf_counter()
        (await client.post("/graphql", json={"query": BASELINE})).raise_for_status()
        times.append((time.perf_counter() - start) * 1000)
        await asyncio.sleep(0.02)
    return times


async def login_loop(url: str, n: int, stop: asyncio.Event) -> int:
    done = 0
    async with httpx.AsyncClient(base_url=url, timeout=60, headers={"x-forwarded-for": _ip(n)}) as client:
        while not stop.is_set():
            email = f"nobody-{uuid.uuid4().hex[:10]}@example.com"
            await client.post("/graphql", json={"query": LOGIN, "variables": {"e": email, "p": "wrong-password-1"}})
            done += 1
    return done


def summary(times: list[float]) -> str:
    return (
        f"median {statistics.median(times):.1f} ms, p95 {sorted(times)[int(len(times) * 0.95)]:.1f} ms, "
        f"max {max(times):.1f} ms over {len(times)}"
    )


async def hashing(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        await typename_latencies(client, 1.0)
        print(f"{{ __typename }} alone:                       {summary(await typename_latencies(client, 4.0))}")
        stop = asyncio.Event()
        logins = [asyncio.create_task(login_loop(url, n, stop)) for n in range(HASHING_CLIENTS)]
        await asyncio.sleep(1.0)
        loaded = await typename_latencies(client, HASHING_S)
        stop.set()
        total = sum(await asyncio.gather(*logins))
        print(
            f"{{ __typename }} with {HASHING_CLIENTS} clients logging in:    {summary(loaded)}"
            f" ({total / (HASHING_S + 1):.1f} logins/s)"
        )


async def race(url: str, attempts: int) -> None:
    email = f"victim-{uuid.uuid4().hex[:10]}@example.com"

    async def attempt(n: int) -> str:
        async with httpx.AsyncClient(base_url=url, timeout=120, headers={"x-forwarded-for": _ip(1000 + n)}) as c:
            body: dict[str, Any] = (
                await c.post("/graphql", json={"query": LOGIN, "variables": {"e": email, "p": f"guess-{n}"}})
            ).json()
            return str(body["errors"][0]["extensions"]["code"])

    codes = await asyncio.gather(*(attempt(n) for n in range(attempts)))
    verified, limited = codes.count("UNAUTHENTICATED"), codes.count("RATE_LIMITED")
    print(
        f"{attempts:3} parallel wrong passwords, limit 5: {verified} verified, {limited} RATE_LIMITED, "
        f"{attempts - verified - limited} other"
    )


def main() -> None:
    settings = run_settings("bench")
    ensure_stack_running(settings)
    port = free_port()
    with run_resources(settings):
        process = serve(settings, port)
        try:
            url = f"http://127.0.0.1:{port}"
            asyncio.run(hashing(url))
            for attempts in RACES:
                asyncio.run(race(url, attempts))
        finally:
            process.terminate()
            process.wait(timeout=30)
            asyncio.run(clean(settings))


if __name__ == "__main__":
    main()
