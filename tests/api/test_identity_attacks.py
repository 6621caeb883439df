"""Attacks on sign-in that need many parallel clients: hashing stalls, rate-limit races, timing, personal data
left in Redis keys and logs."""

import asyncio
import json
import logging
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import redis

from migratio.admin import tasks
from migratio.settings import Settings
from migratio.wiring.identity import BACKGROUND
from tests.builders.accounts import (
    LOGIN,
    PASSWORD,
    REGISTER,
    Client,
    error_code,
    mongo,
    signed_up,
    unique_email,
)
from tests.server import LiveServer, start_server

DELETE = "mutation($password: String!) { deleteMyAccount(password: $password) { purgeAfter } }"


def _all_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Each call in its own thread, released together, so the server sees them in parallel."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _wrong_login(email: str, client: Client, n: int) -> Callable[[], str]:
    return lambda: error_code(client.gql(LOGIN, {"email": email, "password": f"guess-number-{n}"}))


@pytest.fixture(scope="module")
def slow_hashing_server(settings: Settings) -> Iterator[LiveServer]:
    """The API with a costlier argon2 (about a second a hash), so a stalled event loop stands out from a busy
    machine's noise."""
    live = start_server(settings.model_copy(update={"argon2_time_cost": 12, "login_failures_per_ip": 1000}))
    yield live
    live.stop()


@pytest.mark.alone  # a timing bound: run while no other test loads the machine (see tests/conftest.py)
def test_ten_logins_to_unknown_addresses_do_not_stall_other_requests(slow_hashing_server: LiveServer) -> None:
    """argon2 runs in capped worker threads: `{ __typename }` does not wait for the hashes queued by ten logins."""
    server = slow_hashing_server
    stop = threading.Event()
    logins: list[float] = []

    def log_in() -> float:
        started = time.perf_counter()
        body = server.gql(LOGIN, {"email": unique_email("nobody"), "password": "wrong-password-1"})
        assert error_code(body) == "UNAUTHENTICATED"
        return time.perf_counter() - started

    def log_in_until_stopped() -> None:
        while not stop.is_set():
            logins.append(log_in())

    def typename_latencies(seconds: float) -> list[float]:
        latencies, end = [], time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            assert server.gql("{ __typename }")["data"] == {"__typename": "Query"}
            latencies.append(time.perf_counter() - started)
            time.sleep(0.05)  # the sampling pace: the measurement, not a wait for anything
        return latencies

    one_hash_s = statistics.median(log_in() for _ in range(3))
    threads = [threading.Thread(target=log_in_until_stopped) for _ in range(10)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(one_hash_s / 2)  # the ten logins reach the hashing pool; nothing outside the server shows it
        loaded = typename_latencies(max(3.0, 3 * one_hash_s))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert len(logins) >= 10
    # on the event loop each `{ __typename }` waited for the hash running and those queued ahead of it
    assert statistics.median(loaded) < one_hash_s / 4, (statistics.median(loaded), one_hash_s, len(loaded))


def test_fifty_parallel_wrong_passwords_for_one_account_verify_exactly_the_limit(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "race")
    limit = settings.login_failures_per_account
    codes = _all_at_once([_wrong_login(account.email, Client(server), n) for n in range(50)])
    assert codes.count("UNAUTHENTICATED") == limit
    assert codes.count("RATE_LIMITED") == 50 - limit
    failed = mongo(settings).audit_events.count_documents({"user_id": account.id, "kind": "login_failed"})
    assert failed == limit
    right_password = Client(server).gql(LOGIN, {"email": account.email, "password": account.password})
    assert error_code(right_password) == "RATE_LIMITED"


def test_fifty_parallel_logins_from_one_address_verify_exactly_the_limit(
    server: LiveServer, settings: Settings
) -> None:
    attacker = Client(server)
    codes = _all_at_once([_wrong_login(unique_email("spray"), attacker, n) for n in range(50)])
    assert codes.count("UNAUTHENTICATED") == settings.login_failures_per_ip
    assert codes.count("RATE_LIMITED") == 50 - settings.login_failures_per_ip


def test_a_right_password_does_not_spend_the_limit(server: LiveServer, settings: Settings) -> None:
    """Counting comes first now, so a success must hand its slot back: six good logins from one address pass."""
    account = signed_up(server, settings, "goodlogins")
    client = Client(server)
    for _ in range(settings.login_failures_per_ip + 1):
        tokens = client.data(LOGIN, {"email": account.email, "password": account.password})["login"]
        assert tokens["__typename"] == "AuthTokens"


@pytest.fixture(scope="module")
def timing_server(settings: Settings) -> Iterator[tuple[LiveServer, Settings]]:
    """Limits high enough for sixty tries at one address."""
    roomy = settings.model_copy(
        update={
            name: 10_000
            for name in (
                "login_failures_per_account",
                "login_failures_per_ip",
                "password_resets_per_account",
                "password_resets_per_ip",
                "registrations_per_ip",
            )
        }
    )
    live = start_server(roomy)
    yield live, roomy
    live.stop()


def _background_done(timeout_s: float = 10) -> None:
    """The in-process servers' background work (mails sent after the answer) has finished."""
    deadline = time.monotonic() + timeout_s
    while BACKGROUND.pending:
        assert time.monotonic() < deadline, f"{BACKGROUND.pending} background task(s) still running"
        time.sleep(0.002)


def _same_time(existing: Callable[[], dict[str, Any]], new: Callable[[], dict[str, Any]], tries: int = 30) -> None:
    """The two kinds of try have medians within 20% over `tries` each, interleaved (ABBA) so the machine's load
    falls on both alike. A miss earns one more round judged on all the tries: a busy machine's noise shrinks
    with more tries, a difference in the work done does not."""
    times: dict[str, list[float]] = {"existing": [], "new": []}
    kinds = [("existing", existing), ("new", new)]
    for _round in range(2):
        for n in range(tries):
            for name, attempt in kinds if n % 2 == 0 else kinds[::-1]:
                started = time.perf_counter()
                body = attempt()
                times[name].append(time.perf_counter() - started)
                assert "errors" not in body or error_code(body) == "UNAUTHENTICATED", body
                _background_done()  # the mail a try left to the background is out before the next try starts
        medians = statistics.median(times["existing"]), statistics.median(times["new"])
        if abs(medians[0] - medians[1]) <= 0.2 * min(medians):
            return
    raise AssertionError(f"existing {medians[0] * 1000:.0f} ms, new {medians[1] * 1000:.0f} ms")


@pytest.mark.alone  # a timing bound: run while no other test loads the machine (see tests/conftest.py)
def test_register_takes_as_long_for_a_taken_address_as_for_a_new_one(
    timing_server: tuple[LiveServer, Settings],
) -> None:
    server, settings = timing_server
    taken, client = signed_up(server, settings, "taken"), Client(server)

    def register(email: str) -> dict[str, Any]:
        return client.gql(REGISTER, {"input": {"email": email, "password": PASSWORD, "name": "Sam"}})

    _same_time(lambda: register(taken.email), lambda: register(unique_email("fresh")))


@pytest.mark.alone  # a timing bound: run while no other test loads the machine (see tests/conftest.py)
def test_login_takes_as_long_for_an_unknown_address_as_for_a_wrong_password(
    timing_server: tuple[LiveServer, Settings],
) -> None:
    server, settings = timing_server
    known, client = signed_up(server, settings, "known"), Client(server)

    def login(email: str) -> dict[str, Any]:
        return client.gql(LOGIN, {"email": email, "password": "wrong-password-1"})

    _same_time(lambda: login(known.email), lambda: login(unique_email("unknown")))


@pytest.mark.alone  # a timing bound: run while no other test loads the machine (see tests/conftest.py)
def test_a_reset_request_takes_as_long_for_an_unknown_address_as_for_an_account(
    timing_server: tuple[LiveServer, Settings],
) -> None:
    server, settings = timing_server
    known, client = signed_up(server, settings, "resettime"), Client(server)
    request = "mutation($e: String!) { requestPasswordReset(email: $e) }"

    _same_time(
        lambda: client.gql(request, {"e": known.email}), lambda: client.gql(request, {"e": unique_email("nobody")})
    )


@pytest.fixture(scope="module")
def logging_server(settings: Settings) -> Iterator[tuple[LiveServer, Settings]]:
    """The API as production logs (INFO, access lines included), with deletions due at once."""
    chatty = settings.model_copy(update={"log_level": "INFO", "account_deletion_grace_s": 0})
    live = start_server(chatty)
    yield live, chatty
    live.stop()
    logging.getLogger().setLevel(settings.log_level)


class _Lines(logging.Handler):
    """Each record as the app's own handler writes it."""

    def __init__(self, formatter: logging.Formatter | None) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _redis_text(settings: Settings) -> tuple[list[str], list[str]]:
    """Every key name in Redis (all runs: the addresses are this test's own), and this run's values."""
    client = redis.Redis.from_url(settings.redis_url)
    names = [key.decode(errors="replace") for key in client.scan_iter("*", count=1000)]
    values = []
    for key in client.scan_iter(f"{settings.redis_key_prefix}:*", count=1000):
        kind = client.type(key)
        dump = {
            "string": client.get,
            "zset": lambda name: client.zrange(name, 0, -1),
            "hash": client.hgetall,
            "list": lambda name: client.lrange(name, 0, -1),
            "set": client.smembers,
        }.get(kind.decode() if isinstance(kind, bytes) else kind, lambda name: b"")
        values.append(repr(dump(key)))
    return names, values


def test_after_sign_ups_logins_and_the_purge_no_redis_key_or_log_line_holds_the_address(
    logging_server: tuple[LiveServer, Settings],
) -> None:
    server, settings = logging_server
    root = logging.getLogger()
    captured = _Lines(root.handlers[0].formatter if root.handlers else None)
    root.addHandler(captured)
    try:
        account = signed_up(server, settings, "forgetme")
        stranger = unique_email("neveruser")
        client = Client(server)
        client.gql(REGISTER, {"input": {"email": account.email, "password": PASSWORD, "name": "Again"}})
        for email in (account.email, stranger):
            assert error_code(client.gql(LOGIN, {"email": email, "password": "wrong-password-1"})) == "UNAUTHENTICATED"
            client.data("mutation($e: String!) { requestPasswordReset(email: $e) }", {"e": email})
            client.data("mutation($e: String!) { resendVerificationEmail(email: $e) }", {"e": email})
        variables = json.dumps({"email": account.email, "password": "over-get-1"})
        assert (
            httpx.get(server.graphql_url, params={"query": LOGIN, "variables": variables}, timeout=30).status_code
            == 405
        )
        assert error_code(account.client.gql(DELETE, {"password": "wrong-password-2"})) == "BAD_USER_INPUT"
        account.client.data(DELETE, {"password": account.password})
        assert account.id in asyncio.run(tasks.purge_deleted_accounts(settings))
    finally:
        root.removeHandler(captured)
    names, values = _redis_text(settings)
    assert any(":rl:login:account:" in name for name in names)  # the counters are there, under another name
    for address in (account.email, stranger):
        forms = (address, address.replace("@", "%40"))
        assert not [name for name in names if any(form in name for form in forms)]
        assert not [value for value in values if any(form in value for form in forms)]
        assert not [line for line in captured.lines if any(form in line for form in forms)]
    assert any("POST /graphql" in line for line in captured.lines)  # the access log was captured
