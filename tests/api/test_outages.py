"""A backing service that goes away degrades the API; it never crashes it or makes it hang."""

import contextlib
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.redis_server import start_redis
from tests.builders.redis_server import stop as stop_redis
from tests.server import LiveServer, free_port, start_server

HEALTH = "{ health { ok dependencies { name up error } } }"


def _dead_url(scheme: str) -> str:
    return f"{scheme}://127.0.0.1:{free_port()}"


@pytest.fixture
def own_redis() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A real Redis of this test's own, so stopping it does not disturb the shared one."""
    port = free_port()
    process = start_redis(port)
    yield process, port
    stop_redis(process)


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
        while (ready := httpx.get(f"{live.url}/readyz", timeout=10)).status_code == 200:  # a probe is shared ~1.5 s
            assert time.monotonic() - started < 5, "readyz still 200 after Redis stopped"
            time.sleep(0.1)
        assert ready.status_code == 503
        assert ready.json()["dependencies"]["redis"]["up"] is False
        health = live.gql(HEALTH)["data"]["health"]
        states = {d["name"]: d["up"] for d in health["dependencies"]}
        assert states == {"mongodb": True, "redis": False, "opensearch": True, "s3": True, "smtp": True}
        assert health["ok"] is False
        listing = live.gql('{ programs(first: 3, filter: {countries: ["CA"]}) { totalCount } }')
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
        body = live.gql('{ programs(search: "Skilled Worker", first: 10) { totalCount edges { node { slug } } } }')
        assert body["extensions"]["search"] == {"backend": "mongodb", "degraded": True}
        slugs = {e["node"]["slug"] for e in body["data"]["programs"]["edges"]}
        assert {"ca-express-entry-fsw", "gb-skilled-worker"} <= slugs
    finally:
        live.stop()


class Relay:
    """A TCP relay to the stack's MongoDB that the test can cut: pooled connections reset, new ones refused,
    as when the database process is killed — without touching the shared server."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def cut(self) -> None:
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not FIN
                sock.close()


OPERATIONS = {
    "program": ('{ program(slug: "ca-express-entry-fsw") { name } }', None),
    "programs": ("{ programs(first: 3) { totalCount } }", None),
    "startAssessment": ("mutation { startAssessment { resumeToken } }", None),
    "login": (
        "mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }",
        {"e": "nobody@example.com", "p": "correct horse battery"},
    ),
}


def _timed_unavailable(live: LiveServer, budget_s: float) -> dict[str, float]:
    took = {}
    for name, (query, variables) in OPERATIONS.items():
        started = time.monotonic()
        body = live.gql(query, variables)
        took[name] = round(time.monotonic() - started, 2)
        assert body["errors"][0]["extensions"]["code"] == "UNAVAILABLE", (name, body)
    print(f"UNAVAILABLE after {took} (budget {budget_s}s)")
    assert max(took.values()) < budget_s, took
    return took


def test_with_mongodb_unreachable_unavailable_arrives_within_the_dependency_timeout(settings: Settings) -> None:
    broken = settings.model_copy(update={"mongodb_url": _dead_url("mongodb") + "/", "migrate_on_start": False})
    live = start_server(broken)
    try:
        _timed_unavailable(live, settings.dependency_timeout_s)
    finally:
        live.stop()


def test_with_mongodb_killed_under_open_connections_unavailable_arrives_within_the_dependency_timeout(
    settings: Settings, seeded: Services
) -> None:
    target = urlsplit(settings.mongodb_url)
    relay = Relay((target.hostname or "127.0.0.1", target.port or 27017))
    live = start_server(settings.model_copy(update={"mongodb_url": f"mongodb://127.0.0.1:{relay.port}/"}))
    try:
        assert "errors" not in live.gql(OPERATIONS["program"][0])  # connections pooled through the relay
        relay.cut()
        _timed_unavailable(live, settings.dependency_timeout_s)
        ready = httpx.get(f"{live.url}/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["down"] == ["mongodb"]
    finally:
        live.stop()


def test_with_opensearch_unreachable_readyz_stays_200_and_names_it_degraded(
    settings: Settings, seeded: Services
) -> None:
    live = start_server(settings.model_copy(update={"opensearch_url": _dead_url("http")}))
    try:
        ready = httpx.get(f"{live.url}/readyz", timeout=10)
        assert ready.status_code == 200
        body = ready.json()
        assert (body["ready"], body["status"], body["down"], body["degraded"]) == (True, "degraded", [], ["opensearch"])
        assert body["dependencies"]["opensearch"]["up"] is False
        assert body["dependencies"]["opensearch"]["required"] is False
    finally:
        live.stop()
