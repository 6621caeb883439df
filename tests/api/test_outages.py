"""A backing service that goes away degrades the API; it never crashes it or makes it hang."""

import shutil
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from migratio.services import Services
from migratio.settings import Settings
from tests.server import free_port, start_server

HEALTH = "{ health { ok dependencies { name up error } } }"


def _dead_url(scheme: str) -> str:
    return f"{scheme}://127.0.0.1:{free_port()}"


@pytest.fixture
def own_redis() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A real Redis of this test's own, so stopping it does not disturb the shared one."""
    port = free_port()
    binary = shutil.which("redis-server")
    assert binary, "the stack installs redis-server"
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() != b"PONG":
        assert time.monotonic() < deadline, "redis did not start"
        time.sleep(0.05)
    yield process, port
    process.kill()
    process.wait()


def test_with_redis_stopped_readyz_fails_and_health_names_redis_while_the_api_answers(
    settings: Settings, seeded: Services, own_redis: tuple[subprocess.Popen[bytes], int]
) -> None:
    process, port = own_redis
    live = start_server(settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{port}/0"}))
    try:
        assert httpx.get(f"{live.url}/readyz", timeout=10).status_code == 200
        process.kill()
        process.wait()
        started = time.monotonic()
        ready = httpx.get(f"{live.url}/readyz", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["dependencies"]["redis"]["up"] is False
        health = live.gql(HEALTH)["data"]["health"]
        states = {d["name"]: d["up"] for d in health["dependencies"]}
        assert states == {"mongodb": True, "redis": False, "opensearch": True, "s3": True, "smtp": True}
        assert health["ok"] is False
        listing = live.gql("{ programs(first: 3, filter: {countries: [\"CA\"]}) { totalCount } }")
        assert listing["data"]["programs"]["totalCount"] >= 3
        assert time.monotonic() - started < 15
    finally:
        live.stop()


def test_with_mongodb_unreachable_reads_fail_as_unavailable(settings: Settings) -> None:
    broken = settings.model_copy(update={"mongodb_url": _dead_url("mongodb") + "/", "migrate_on_start": False})
    live = start_server(broken)
    try:
        started = time.monotonic()
        body = live.gql('{ program(slug: "ca-express-entry-fsw") { name } }')
        assert body["errors"][0]["extensions"] == {"code": "UNAVAILABLE", "dependency": "mongodb"}
        assert "Traceback" not in str(body)
        assert time.monotonic() - started < 10
        health = live.gql(HEALTH)["data"]["health"]
        assert {d["name"]: d["up"] for d in health["dependencies"]}["mongodb"] is False
    finally:
        live.stop()


def test_with_opensearch_unreachable_search_falls_back_to_mongodb(settings: Settings, seeded: Services) -> None:
    live = start_server(settings.model_copy(update={"opensearch_url": _dead_url("http")}))
    try:
        body = live.gql(
            '{ programs(search: "Skilled Worker", first: 10) { totalCount edges { node { slug } } } }'
        )
        assert body["extensions"]["search"] == {"backend": "mongodb", "degraded": True}
        slugs = {e["node"]["slug"] for e in body["data"]["programs"]["edges"]}
        assert {"ca-express-entry-fsw", "gb-skilled-worker"} <= slugs
    finally:
        live.stop()
