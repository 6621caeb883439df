"""The analyst's reports over HTTP: who may read them (analysts and admins), the funnel by period and by
platform or country, conversion to paid, GraphQL operation performance, and the brief cache in front of them."""

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.analytics.model import Platform, Source, StoredEvent
from domain.analytics.privacy import pseudonym
from migratio.settings import Settings
from migratio.wiring.analytics import pseudonym_key
from migratio.wiring.services import Services
from tests.builders import stripe_events as stripe
from tests.builders.accounts import ME, Account, Client, admin, error_code, signed_up, with_role
from tests.builders.analytics import AppClient, app, register, stored, wait_for
from tests.builders.quiz import CLAIM, COMPLETE, START, take_quiz
from tests.builders.roadmaps import CREATE, FSW
from tests.server import LiveServer, LiveWorker, start_server

REPORTS = """query Reports($from: DateTime!) {
  analyticsFunnel(from: $from) { name actors }
  quizCompletion(from: $from) { actors }
  activePeople(from: $from) { actors }
  cohortRetention(from: $from) { size }
  questionDropOff(from: $from) { actors }
  journeys(from: $from) { actors }
}"""
USERS = "query Users { users(limit: 5) { id } }"
SET_ROLE = "mutation SetRole($id: ID!, $role: Role!) { setUserRole(userId: $id, role: $role) { role } }"


def now() -> str:
    return datetime.now(UTC).isoformat()


@pytest.fixture(scope="module")
def admin_account(server: LiveServer, settings: Settings) -> Account:
    return admin(server, settings)


@pytest.fixture(scope="module")
def analyst(server: LiveServer, settings: Settings, admin_account: Account) -> Account:
    """Made an analyst by an admin through setUserRole."""
    return with_role(server, settings, admin_account, "ANALYST", "analyst")


def test_an_analyst_reads_every_report_and_a_plain_user_is_refused(
    server: LiveServer, settings: Settings, analyst: Account
) -> None:
    assert analyst.client.data(ME)["me"]["role"] == "ANALYST"
    reports = analyst.client.data(REPORTS, {"from": now()})
    assert set(reports) == {
        "analyticsFunnel",
        "quizCompletion",
        "activePeople",
        "cohortRetention",
        "questionDropOff",
        "journeys",
    }
    person = signed_up(server, settings, "plain")
    body = person.client.gql(REPORTS, {"from": now()})
    assert error_code(body) == "FORBIDDEN"
    assert body["data"] is None


def test_an_analyst_gets_none_of_the_admin_fields(server: LiveServer, settings: Settings, analyst: Account) -> None:
    assert error_code(analyst.client.gql(USERS)) == "FORBIDDEN"
    person = signed_up(server, settings, "target")
    body = analyst.client.gql(SET_ROLE, {"id": person.id, "role": "ADMIN"})
    assert error_code(body) == "FORBIDDEN"
    assert error_code(analyst.client.gql(SET_ROLE, {"id": analyst.id, "role": "ADMIN"})) == "FORBIDDEN"
    assert person.client.data(ME)["me"]["role"] == "USER"  # nothing changed
    assert analyst.client.data(ME)["me"]["role"] == "ANALYST"


GROUPED = """query Grouped($from: DateTime!, $to: DateTime!, $steps: [String!], $groupBy: ActivityInterval,
    $by: FunnelDimension) {
  analyticsFunnel(from: $from, to: $to, steps: $steps, groupBy: $groupBy, by: $by) {
    period group name actors conversion
  }
}"""
QUIZ = ("assessment_started", "assessment_completed", "results_viewed")


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _did(actor: str | None, day: date, platform: Platform, country: str, *names: str, **kw: Any) -> list[StoredEvent]:
    """What a person's requests on one day leave in the store, one minute apart."""
    return [
        StoredEvent(name, _at(day) + timedelta(minutes=i), Source.SERVER, platform, country, actor, None, None, **kw)
        for i, name in enumerate(names)
    ]


async def test_the_funnel_by_day_by_platform_and_by_week_and_country_counts_scripted_journeys_exactly(
    services: Services, analyst: Account
) -> None:
    monday = date.today() - timedelta(days=date.today().weekday() + 14)
    tuesday, wednesday = monday + timedelta(days=1), monday + timedelta(days=2)
    web, ios, android = Platform.WEB, Platform.IOS, Platform.ANDROID
    events = [
        *_did("p1", monday, web, "US", *QUIZ),
        *_did("p2", monday, web, "US", QUIZ[0]),
        *_did("p3", monday, web, "US", *QUIZ[:2]),
        *_did("p4", monday, ios, "DE", *QUIZ, "roadmap_created"),
        *_did("p5", tuesday, ios, "DE", QUIZ[0]),
        *_did("p6", tuesday, ios, "DE", QUIZ[0]),
        *_did("p6", wednesday, web, "US", *QUIZ[1:]),  # finished the next day elsewhere: counted where it began
        *_did("v7", tuesday, android, "CA", QUIZ[0]),  # a visitor who signs up the same day
        *_did("u7", tuesday, android, "CA", "signed_up", QUIZ[1], linked_actors=("v7",)),
        *_did("u7", wednesday, web, "US", QUIZ[0]),  # started again: still entered on Tuesday on android
        *_did("p8", monday, web, "US", *QUIZ[1:]),  # never started: in no group
        *_did(None, monday, web, "US", *QUIZ),  # analytics off: no actor, counted nowhere
    ]
    await services.analytics.index.write(events)
    await services.analytics.index.refresh()
    window = {"from": _at(monday, 0).isoformat(), "to": _at(monday + timedelta(days=7), 0).isoformat(), "steps": QUIZ}

    def rows(**grouping: str) -> list[tuple[Any, ...]]:
        found = analyst.client.data(GROUPED, {**window, **grouping})["analyticsFunnel"]
        return [(r["period"], r["group"], r["name"], r["actors"], r["conversion"]) for r in found]

    assert rows() == [
        (None, None, QUIZ[0], 7, None),
        (None, None, QUIZ[1], 5, 5 / 7),
        (None, None, QUIZ[2], 3, 0.6),
    ]
    assert rows(groupBy="DAY") == [
        (monday.isoformat(), None, QUIZ[0], 4, None),
        (monday.isoformat(), None, QUIZ[1], 3, 0.75),
        (monday.isoformat(), None, QUIZ[2], 2, 2 / 3),
        (tuesday.isoformat(), None, QUIZ[0], 3, None),
        (tuesday.isoformat(), None, QUIZ[1], 2, 2 / 3),
        (tuesday.isoformat(), None, QUIZ[2], 1, 0.5),
    ]
    assert rows(by="PLATFORM") == [
        (None, "android", QUIZ[0], 1, None),
        (None, "android", QUIZ[1], 1, 1.0),
        (None, "android", QUIZ[2], 0, 0.0),
        (None, "ios", QUIZ[0], 3, None),
        (None, "ios", QUIZ[1], 2, 2 / 3),
        (None, "ios", QUIZ[2], 2, 1.0),
        (None, "web", QUIZ[0], 3, None),
        (None, "web", QUIZ[1], 2, 2 / 3),
        (None, "web", QUIZ[2], 1, 0.5),
    ]
    week = monday.isoformat()
    assert rows(groupBy="WEEK", by="COUNTRY") == [
        (week, "CA", QUIZ[0], 1, None),
        (week, "CA", QUIZ[1], 1, 1.0),
        (week, "CA", QUIZ[2], 0, 0.0),
        (week, "DE", QUIZ[0], 3, None),
        (week, "DE", QUIZ[1], 2, 2 / 3),
        (week, "DE", QUIZ[2], 2, 1.0),
        (week, "US", QUIZ[0], 3, None),
        (week, "US", QUIZ[1], 2, 2 / 3),
        (week, "US", QUIZ[2], 1, 0.5),
    ]


CONVERSION = """query Conversion($from: DateTime!) { conversion(from: $from) { name actors conversion } }"""
TRACK = """mutation Track($origin: ClientOriginInput!, $events: [TrackedEventInput!]!) {
  trackEvents(origin: $origin, events: $events) { accepted }
}"""
SET_CONSENT = 'mutation Consent { setAnalyticsConsent(analytics: ON, residenceCountry: "US") { effective } }'


def _quiz_done(client: AppClient) -> tuple[str, str]:
    """An anonymous questionnaire completed and its results read: (assessment id, resume token)."""
    started = client.data(START)["startAssessment"]
    assessment_id, token = started["assessment"]["id"], started["resumeToken"]
    take_quiz(client, assessment_id, token)
    client.data(COMPLETE, {"id": assessment_id, "token": token})
    return assessment_id, token


def _planner(server: LiveServer, settings: Settings, visitor: str) -> Account:
    """Completes the questionnaire anonymously, signs up on the same app (stitched), claims it, makes a roadmap."""
    client = app(server, visitor)
    assessment_id, token = _quiz_done(client)
    account = register(client, settings, visitor)
    client.data(CLAIM, {"id": assessment_id, "token": token})
    client.data(CREATE, {"slug": FSW, "start": date.today().isoformat(), "countries": None})
    return account


def test_conversion_follows_visitors_to_paying_customers_stitched(
    server: LiveServer, settings: Settings, seeded: Services, analyst: Account
) -> None:
    since = now()
    browser = {"platform": "WEB", "visitorId": "visitor-browser-01", "residenceCountry": "US"}
    event = {"name": "screen_view", "at": now()}
    assert Client(server).data(TRACK, {"origin": browser, "events": [event]})["trackEvents"]["accepted"] == 1
    _quiz_done(app(server, "visitor-quizzer-01"))
    _planner(server, settings, "visitor-planner-01")
    payer = _planner(server, settings, "visitor-payer-01")
    actor = pseudonym(pseudonym_key(settings), "user", payer.id)
    # the webhook's event has no request origin: it carries the pseudonym only under a stored consent, and events
    # from before a choice get none, so the choice is made once the journey so far is stored
    wait_for(settings, lambda e: e["actor"] == actor and e["name"] == "roadmap_created", 1)
    payer.client.data(SET_CONSENT)
    stripe.subscribed(server.url, payer.id)
    refuser = signed_up(server, settings, "refuser")  # pays without consent: counted nowhere
    stripe.subscribed(server.url, refuser.id)

    expected = [
        {"name": "visitor", "actors": 4, "conversion": None},
        {"name": "assessment_completed", "actors": 3, "conversion": 0.75},
        {"name": "signed_up", "actors": 2, "conversion": 2 / 3},
        {"name": "roadmap_created", "actors": 2, "conversion": 1.0},
        {"name": "subscription_started", "actors": 1, "conversion": 0.5},
    ]
    deadline = time.monotonic() + 20
    while (found := analyst.client.data(CONVERSION, {"from": since})["conversion"]) != expected:
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert found == expected


PERFORMANCE = """query PerformanceReport($from: DateTime!) {
  operationPerformance(from: $from) { day operation operationType requests errors errorRate p50Ms p95Ms }
}"""
PERF_OPS = {
    "PerfPing": "query PerfPing { __typename }",
    "PerfRefused": "query PerfRefused { users(limit: 1) { id } }",
    "PerfTrack": """mutation PerfTrack($events: [TrackedEventInput!]!) {
  trackEvents(origin: {platform: WEB, visitorId: "visitor-perf-01", consent: OFF}, events: $events) { accepted }
}""",
}


@pytest.fixture(scope="module")
def measured(settings: Settings, worker: LiveWorker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """An API on the module's data whose apps' operations are PERF_OPS: only their names are reported."""
    operations = tmp_path_factory.mktemp("operations")
    (operations / "perf.graphql").write_text("\n\n".join(PERF_OPS.values()))
    live = start_server(settings.model_copy(update={"client_operations_dir": operations}))
    yield live
    live.stop()


def test_operation_performance_reports_each_operations_requests_errors_and_latency_per_day(
    measured: LiveServer, settings: Settings, analyst: Account
) -> None:
    since = now()
    client = app(measured, "visitor-perf-01", consent="on")  # states a visitor, session and consent: none is kept
    took: dict[str, list[float]] = {name: [] for name in PERF_OPS}

    def run(name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        started = time.perf_counter()
        body = client.gql(PERF_OPS[name], variables)
        took[name].append((time.perf_counter() - started) * 1000)
        return body

    for _ in range(4):
        assert "errors" not in run("PerfPing")
    assert "errors" not in client.gql("query PerfUnlisted { __typename }")  # not an app's: stored as `other`
    for _ in range(3):
        assert error_code(run("PerfRefused")) == "UNAUTHENTICATED"
    fine = {"events": [{"name": "screen_view", "at": now()}]}
    for _ in range(2):
        assert "errors" not in run("PerfTrack", fine)
        assert error_code(run("PerfTrack", {"events": []})) == "BAD_USER_INPUT"

    expected = {
        "PerfPing": ("query", 4, 0, 0.0),
        "PerfRefused": ("query", 3, 3, 1.0),
        "PerfTrack": ("mutation", 4, 2, 0.5),
    }
    deadline = time.monotonic() + 20
    while True:
        rows = analyst.client.data(PERFORMANCE, {"from": since})["operationPerformance"]
        mine = {r["operation"]: r for r in rows if r["operation"] in PERF_OPS}
        counted = {n: (r["operationType"], r["requests"], r["errors"], r["errorRate"]) for n, r in mine.items()}
        if counted == expected or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert counted == expected
    assert {r["day"] for r in mine.values()} == {datetime.now(UTC).date().isoformat()}
    for name, row in mine.items():
        # the server's own measure: above zero, and within what the client waited for the slowest of them
        assert 0 < row["p50Ms"] <= row["p95Ms"] <= max(took[name]), (name, row, took[name])

    operations = [e for e in stored(settings) if e["name"] == "graphql_operation"]
    events = [e for e in operations if e["props"]["operation"] in PERF_OPS]
    assert len(events) == 11
    assert "PerfUnlisted" not in {e["props"]["operation"] for e in operations}
    assert any(e["props"]["operation"] == "other" for e in operations)
    for event in events:
        assert (event["actor"], event["session"], event["linked_actors"], event["country"]) == (
            None,
            None,
            [],
            "unknown",
        )
        assert (event["app_version"], event["platform"], event["source"]) == (None, "web", "server")
    assert (
        sorted(e["props"].get("error_codes", "") for e in events if e["props"]["operation"] == "PerfRefused")
        == ["UNAUTHENTICATED"] * 3
    )


@pytest.fixture(scope="module")
def cached(settings: Settings, worker: LiveWorker) -> Iterator[LiveServer]:
    """A second API on the module's data with the deployed default: reports kept for 60 s."""
    live = start_server(settings.model_copy(update={"analytics_report_cache_s": 60}))
    yield live
    live.stop()


async def test_a_report_asked_again_within_the_cache_period_is_not_recomputed_and_after_it_is(
    services: Services, server: LiveServer, cached: LiveServer, analyst: Account
) -> None:
    day = date.today() - timedelta(days=30)
    window = {"from": _at(day, 0).isoformat(), "to": _at(day + timedelta(days=1), 0).isoformat(), "steps": QUIZ[:1]}
    index = services.analytics.index
    await index.write([*_did("c1", day, Platform.WEB, "US", QUIZ[0]), *_did("c2", day, Platform.WEB, "US", QUIZ[0])])
    await index.refresh()
    reader = Client(cached, token=analyst.client.token)

    def started(client: Client) -> int:
        actors: int = client.data(GROUPED, window)["analyticsFunnel"][0]["actors"]
        return actors

    assert started(reader) == 2
    await index.write(_did("c3", day, Platform.WEB, "US", QUIZ[0]))
    await index.refresh()
    assert started(analyst.client) == 3  # OpenSearch has it: the uncached API sees it
    assert started(reader) == 2  # answered from memory
    api: Any = cached.server.config.app  # the Starlette app create_app made, running in this process
    insights = api.state.services.insights
    later = datetime.now(UTC) + timedelta(seconds=61)
    insights.clock = lambda: later  # the cache's clock moved past the period
    assert started(reader) == 3
