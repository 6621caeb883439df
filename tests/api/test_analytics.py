"""Analytics over HTTP: real journeys' events land in OpenSearch as pseudonyms without personal data; consent
decides what is kept; the admin reports count scripted journeys exactly; OpenSearch down costs requests
nothing; the retention purge drops only days past the period."""

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from datasources.analytics import origin
from datasources.mongo.monitoring import CommandTally, current_tally
from domain.analytics.model import EventName, Origin, Platform, ServerEvent, Source, StoredEvent
from domain.analytics.privacy import pseudonym
from migratio.settings import Settings
from migratio.wiring.analytics import pseudonym_key
from migratio.wiring.services import Services
from tests.builders import stripe_events as stripe
from tests.builders.accounts import (
    Account,
    Client,
    admin,
    error_code,
    run_cli,
    signed_up,
)
from tests.builders.analytics import app, register, stored, wait_for
from tests.builders.answers import reference_quiz
from tests.builders.quiz import CLAIM, COMPLETE, START, answer, take_quiz
from tests.builders.roadmaps import CREATE, FSW, REQUEST_REPORT, applicant, create_roadmap, uploaded, wait_for_job
from tests.server import LiveServer, free_port, start_server

SET_CONSENT = """mutation Consent($analytics: AnalyticsConsent!, $country: String) {
  setAnalyticsConsent(analytics: $analytics, residenceCountry: $country) { analytics residenceCountry effective }
}"""
TRACK = """mutation Track($origin: ClientOriginInput!, $events: [TrackedEventInput!]!) {
  trackEvents(origin: $origin, events: $events) { accepted consent }
}"""
FUNNEL = """query Funnel($from: DateTime!) {
  analyticsFunnel(from: $from) { name actors conversion }
  quizCompletion(from: $from) { actors conversion }
  activePeople(from: $from, interval: DAY) { start actors }
  questionDropOff(from: $from) { bankVersion questionId actors }
  journeys(from: $from, top: 3) { steps actors }
}"""
RESULTS = "query { myRecommendations(first: 3) { totalCount } }"
ANONYMOUS_RESULTS = """query Results($id: ID!, $token: String) {
  assessment(id: $id, resumeToken: $token) { latestSnapshot { recommendations(first: 3) { totalCount } } }
}"""
FIELDS = {
    "@timestamp",
    "name",
    "source",
    "platform",
    "country",
    "actor",
    "session",
    "app_version",
    "linked_actors",
    "props",
}
PROPS = {"bank_version", "question_id", "program", "category"}
START_DATE = date.today().isoformat()


def now() -> str:
    return datetime.now(UTC).isoformat()


@pytest.fixture(scope="module")
def key(settings: Settings) -> bytes:
    return pseudonym_key(settings)


def test_a_signed_in_journey_lands_in_opensearch_as_pseudonyms_without_personal_data(
    server: LiveServer, settings: Settings, seeded: Services, key: bytes
) -> None:
    account = signed_up(server, settings, "journey")
    client = app(server, "visitor-journey-01", country="DE", consent="off", **{"x-client-platform": "ios"})
    client.token = account.client.token
    assert client.data(SET_CONSENT, {"analytics": "ON", "country": "ca"})["setAnalyticsConsent"] == {
        "analytics": "ON",
        "residenceCountry": "CA",
        "effective": True,
    }
    assessment_id = client.data(START)["startAssessment"]["assessment"]["id"]
    quiz = reference_quiz()
    take_quiz(client, assessment_id)
    client.data(COMPLETE, {"id": assessment_id})
    client.data(RESULTS)
    roadmap_id = client.data(CREATE, {"slug": FSW, "start": START_DATE, "countries": None})["createRoadmap"]["id"]
    client.data(REQUEST_REPORT, {"id": roadmap_id})
    uploaded(Account(account.email, account.password, account.id, client, account.refresh_token))

    actor = pseudonym(key, "user", account.id)
    expected = {
        "assessment_started": 1,
        "question_answered": len(quiz),
        "assessment_completed": 1,
        "results_viewed": 1,
        "roadmap_created": 1,
        "report_requested": 1,
        "document_uploaded": 1,
    }
    mine = wait_for(settings, lambda e: e["actor"] == actor and e["name"] in expected, sum(expected.values()))
    assert Counter(e["name"] for e in mine) == expected
    for event in mine:
        assert set(event) == FIELDS
        assert set(event["props"]) <= PROPS
        assert (event["platform"], event["app_version"], event["country"], event["source"]) == (
            "ios",
            "2.4.0",
            "CA",
            "server",
        )
        assert event["session"] == pseudonym(key, "session", "session-visitor-journey-01")
    answered = [e for e in mine if e["name"] == "question_answered"]
    assert sorted(e["props"]["question_id"] for e in answered) == sorted(q for q, _ in quiz)
    assert all(set(e["props"]) == {"bank_version", "question_id"} for e in answered)  # never the answer
    assert [e["props"] for e in mine if e["name"] == "document_uploaded"] == [{"category": "passport"}]
    everything = json.dumps(stored(settings))
    for personal in (account.email, "Journey Tester", account.id, assessment_id, roadmap_id, "visitor-journey-01"):
        assert personal not in everything


def test_consent_off_keeps_no_app_events_and_server_events_without_actor(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    account = signed_up(server, settings, "optout")
    client = app(server, "visitor-optout-01", **{"x-app-version": "9.9.9-off"})
    client.token = account.client.token
    client.data(SET_CONSENT, {"analytics": "OFF", "country": "US"})
    origin = {"platform": "WEB", "visitorId": "visitor-optout-01", "consent": "ON", "residenceCountry": "US"}
    tracked = client.data(TRACK, {"origin": origin, "events": [{"name": "screen_view_opted_out", "at": now()}]})
    assert tracked["trackEvents"] == {"accepted": 0, "consent": False}
    client.data(START)

    [started] = wait_for(settings, lambda e: e["app_version"] == "9.9.9-off", 1)
    assert started["name"] == "assessment_started"
    assert (started["actor"], started["session"], started["linked_actors"]) == (None, None, [])
    assert started["country"] == "US"
    assert [e for e in stored(settings) if e["name"] == "screen_view_opted_out"] == []


def test_anonymous_visitors_are_tracked_only_with_consent_or_outside_the_consent_region(
    server: LiveServer, settings: Settings, key: bytes
) -> None:
    def track(visitor: str, country: str, consent: str | None) -> dict[str, Any]:
        origin = {"platform": "ANDROID", "visitorId": visitor, "residenceCountry": country, "consent": consent}
        events = [{"name": "screen_view", "at": now(), "props": {"screen": "home", "step": 1}}] * 2
        return Client(server).data(TRACK, {"origin": origin, "events": events})["trackEvents"]

    assert track("visitor-france-01", "FR", None) == {"accepted": 0, "consent": False}
    assert track("visitor-france-02", "FR", "ON") == {"accepted": 2, "consent": True}
    assert track("visitor-canada-01", "CA", None) == {"accepted": 2, "consent": True}
    assert track("visitor-canada-02", "CA", "OFF") == {"accepted": 0, "consent": False}

    actors = {pseudonym(key, "visitor", v) for v in ("visitor-france-02", "visitor-canada-01")}
    found = wait_for(settings, lambda e: e["actor"] in actors, 4)
    assert Counter(e["actor"] for e in found) == dict.fromkeys(actors, 2)
    assert {(e["name"], e["source"], e["platform"]) for e in found} == {("screen_view", "client", "android")}
    assert [e["props"] for e in found] == [{"screen": "home", "step": 1}] * 4
    refused = {pseudonym(key, "visitor", v) for v in ("visitor-france-01", "visitor-canada-02")}
    assert not [e for e in stored(settings) if e["actor"] in refused]


@pytest.mark.parametrize(
    ("events", "field_name"),
    [
        ([{"name": "screen_view", "at": "NOW"}] * 51, "events"),
        ([{"name": "assessment_completed", "at": "NOW"}], "events[0].name"),
        ([{"name": "search", "at": "NOW", "props": {"query": "my name is Jane"}}], "events[0].props"),
        ([{"name": "search", "at": "NOW", "props": {"email": "x"}}], "events[0].props"),
        ([{"name": "search", "at": "2020-01-01T00:00:00Z"}], "events[0].at"),
    ],
)
def test_a_bad_batch_is_refused_whole_and_nothing_is_kept(
    server: LiveServer, settings: Settings, events: list[dict[str, Any]], field_name: str
) -> None:
    sent = [{**e, "at": now() if e["at"] == "NOW" else e["at"]} for e in events]
    origin = {"platform": "WEB", "visitorId": "visitor-badbatch", "residenceCountry": "US"}
    body = Client(server).gql(TRACK, {"origin": origin, "events": sent})
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == field_name
    assert body["data"] is None


def test_reports_are_refused_to_plain_users_and_anonymous_callers(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "curious")
    assert error_code(person.client.gql(FUNNEL, {"from": now()})) == "FORBIDDEN"
    assert error_code(Client(server).gql(FUNNEL, {"from": now()})) == "UNAUTHENTICATED"
    assert error_code(Client(server).gql("{ myAnalyticsConsent { effective } }")) == "UNAUTHENTICATED"


def test_the_funnel_counts_a_scripted_set_of_journeys_exactly(
    server: LiveServer, settings: Settings, seeded: Services, admin_account: Account
) -> None:
    since = now()
    # two visitors start and leave after one answer
    for visitor in ("visitor-leaver-01", "visitor-leaver-02"):
        client = app(server, visitor)
        started = client.data(START)["startAssessment"]
        answer(client, started["assessment"]["id"], *reference_quiz()[0], started["resumeToken"])
    # a visitor finishes anonymously, sees results, signs up, claims, plans and asks for a report
    stitched = app(server, "visitor-stitched-01")
    started = stitched.data(START)["startAssessment"]
    assessment_id, token = started["assessment"]["id"], started["resumeToken"]
    take_quiz(stitched, assessment_id, token)
    stitched.data(COMPLETE, {"id": assessment_id, "token": token})
    stitched.data(ANONYMOUS_RESULTS, {"id": assessment_id, "token": token})
    register(stitched, settings, "stitched")
    stitched.data(CLAIM, {"id": assessment_id, "token": token})
    roadmap_id = stitched.data(CREATE, {"slug": FSW, "start": START_DATE, "countries": None})["createRoadmap"]["id"]
    stitched.data(REQUEST_REPORT, {"id": roadmap_id})
    # a signed-in person (consent from the app's banner) finishes, sees results, plans, no report
    planner = signed_up(server, settings, "planner")
    client = app(server, "visitor-planner-01")
    client.token = planner.client.token
    assessment_id = client.data(START)["startAssessment"]["assessment"]["id"]
    take_quiz(client, assessment_id)
    client.data(COMPLETE, {"id": assessment_id})
    client.data(RESULTS)
    client.data(CREATE, {"slug": FSW, "start": START_DATE, "countries": None})
    # a person who said no does all of it and is counted nowhere
    refuser = signed_up(server, settings, "refuser")
    refuser.client.data(SET_CONSENT, {"analytics": "OFF"})
    assessment_id = refuser.client.data(START)["startAssessment"]["assessment"]["id"]
    take_quiz(refuser.client, assessment_id)
    refuser.client.data(COMPLETE, {"id": assessment_id})
    refuser.client.data(RESULTS)

    expected = [
        {"name": "assessment_started", "actors": 4, "conversion": None},
        {"name": "assessment_completed", "actors": 2, "conversion": 0.5},
        {"name": "results_viewed", "actors": 2, "conversion": 1.0},
        {"name": "roadmap_created", "actors": 2, "conversion": 1.0},
        {"name": "report_requested", "actors": 1, "conversion": 0.5},
    ]
    deadline = time.monotonic() + 20
    while True:
        report = admin_account.client.data(FUNNEL, {"from": since})
        if report["analyticsFunnel"] == expected or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert report["analyticsFunnel"] == expected
    assert report["quizCompletion"] == {"actors": 2, "conversion": 0.5}
    assert report["activePeople"] == [{"start": date.today().isoformat(), "actors": 4}]
    first_question = reference_quiz()[0][0]
    assert report["questionDropOff"] == [{"bankVersion": 1, "questionId": first_question, "actors": 2}]
    quiz_done = ["assessment_started", "assessment_completed", "results_viewed"]
    assert report["journeys"] == [
        {"steps": ["assessment_started"], "actors": 2},
        {"steps": [*quiz_done, "roadmap_created"], "actors": 1},
        {"steps": [*quiz_done, "signed_up", "assessment_claimed", "roadmap_created", "report_requested"], "actors": 1},
    ]


def test_the_worker_reports_report_ready_when_it_has_produced_a_report(
    server: LiveServer, settings: Settings, seeded: Services, key: bytes
) -> None:
    account = applicant(server, settings, "reader")
    account.client.data(SET_CONSENT, {"analytics": "ON", "country": "US"})
    roadmap = create_roadmap(account, date.today())
    requested = account.client.data(REQUEST_REPORT, {"id": roadmap["id"]})["requestReport"]
    assert wait_for_job(account, requested["job"]["id"])["status"] == "SUCCEEDED"

    actor = pseudonym(key, "user", account.id)
    [ready] = wait_for(settings, lambda e: e["actor"] == actor and e["name"] == "report_ready", 1)
    assert (ready["source"], ready["props"]) == ("server", {"program": FSW})


def test_a_subscription_reports_its_start_once_and_its_end_once_from_stripes_events(
    server: LiveServer, settings: Settings, key: bytes
) -> None:
    account = signed_up(server, settings, "subscriber")
    account.client.data(SET_CONSENT, {"analytics": "ON", "country": "US"})
    sub_id = stripe.subscribed(server.url, account.id)  # checkout completed (incomplete), then first invoice paid
    renewal = stripe.invoice(sub_id, account.id, 900, stripe.PERIOD_END)
    assert stripe.post_event(server.url, stripe.event("invoice.paid", renewal, int(time.time()))).status_code == 200
    ended = stripe.subscription(sub_id, account.id, "canceled", stripe.PERIOD_END)
    deleted = stripe.event("customer.subscription.deleted", ended, int(time.time()) + 1)
    for _ in range(2):  # Stripe's retry of the same deletion changes nothing
        assert stripe.post_event(server.url, deleted).status_code == 200

    actor = pseudonym(key, "user", account.id)
    wait_for(settings, lambda e: e["actor"] == actor and e["name"].startswith("subscription_"), 2)
    time.sleep(settings.analytics_flush_interval_s * 2)  # a duplicate would be sent by now
    found = [e for e in stored(settings) if e["actor"] == actor and e["name"].startswith("subscription_")]
    assert [(e["name"], e["props"]) for e in found] == [
        ("subscription_started", {"plan": "plus", "interval": "month"}),
        ("subscription_cancelled", {"plan": "plus", "interval": "month"}),
    ]


@pytest.fixture(scope="module")
def admin_account(server: LiveServer, settings: Settings) -> Account:
    return admin(server, settings)


@pytest.fixture(scope="module")
def offline(server: LiveServer, settings: Settings) -> Iterator[LiveServer]:
    """The same API with OpenSearch pointing at a closed port, flushing often, and few trackEvents calls."""
    dead = settings.model_copy(
        update={
            "opensearch_url": f"http://127.0.0.1:{free_port()}",
            "analytics_flush_interval_s": 0.2,
            "analytics_track_calls_per_caller": 3,
            "analytics_track_calls_per_address": 5,
            "migrate_on_start": False,
        }
    )
    live = start_server(dead)
    yield live
    live.stop()


def _counter(live: LiveServer, outcome: str) -> float:
    text = httpx.get(f"{live.url}/metrics", timeout=10).text
    found = re.search(rf'^analytics_events_total\{{outcome="{outcome}"\}} (\S+)$', text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_with_opensearch_down_requests_stay_fast_and_events_are_dropped_and_counted(offline: LiveServer) -> None:
    client = app(offline, "visitor-offline-01")
    origin = {"platform": "WEB", "visitorId": "visitor-offline-01", "residenceCountry": "US"}
    started = time.perf_counter()
    tracked = client.data(TRACK, {"origin": origin, "events": [{"name": "screen_view", "at": now()}] * 3})
    client.data(START)
    elapsed = time.perf_counter() - started
    assert tracked["trackEvents"] == {"accepted": 3, "consent": True}
    assert elapsed < 1.0, elapsed
    deadline = time.monotonic() + 10
    while _counter(offline, "dropped_unavailable") < 6 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _counter(offline, "dropped_unavailable") == 6  # 3 app events, assessment_started, 2 graphql_operation
    assert _counter(offline, "sent") == 0


def test_track_events_is_rate_limited_per_visitor(offline: LiveServer) -> None:
    origin = {"platform": "WEB", "visitorId": "visitor-chatty-01", "residenceCountry": "US"}
    client = Client(offline)
    for _ in range(3):
        client.data(TRACK, {"origin": origin, "events": [{"name": "screen_view", "at": now()}]})
    body = client.gql(TRACK, {"origin": origin, "events": [{"name": "screen_view", "at": now()}]})
    assert error_code(body) == "RATE_LIMITED"


def test_track_events_from_one_address_stops_at_its_cap_whatever_visitor_ids_it_makes_up(offline: LiveServer) -> None:
    """Twenty parallel calls from one address, each under a fresh visitor id: exactly the cap (5) get through."""
    address = Client(offline).ip
    event = [{"name": "screen_view", "at": now()}]

    def call(n: int) -> dict[str, Any]:
        origin = {"platform": "WEB", "visitorId": f"visitor-crowd-{n:02}", "residenceCountry": "US", "consent": "OFF"}
        return Client(offline, ip=address).gql(TRACK, {"origin": origin, "events": event})

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(call, range(20)))

    assert Counter(error_code(a) if "errors" in a else "accepted" for a in answers) == {
        "accepted": 5,
        "RATE_LIMITED": 15,
    }
    other = Client(offline).gql(
        TRACK, {"origin": {"platform": "WEB", "visitorId": "visitor-crowd-99"}, "events": event}
    )
    assert "errors" not in other  # another address is not held back


def _event(day: date, actor: str) -> StoredEvent:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return StoredEvent("screen_view", at, Source.CLIENT, Platform.WEB, "US", actor, None, None, {}, ())


async def test_the_retention_purge_drops_only_days_past_the_period(
    settings: Settings, services: Services, tmp_path: Path
) -> None:
    today = date.today()
    days = [today - timedelta(days=n) for n in (400, 396, 395, 30)]
    index = services.analytics.index
    await index.write([_event(day, f"actor-{i}") for i, day in enumerate(days)])
    before = await index.days()
    oldest = index.index_for(days[0])
    mapping = (await services.search.indices.get_mapping(index=oldest))[oldest]["mappings"]
    assert mapping["dynamic"] == "strict"
    assert mapping["properties"]["actor"] == {"type": "keyword"}

    output = run_cli(settings, "analytics-purge", "--today", today.isoformat())

    gone = [index.index_for(day) for day in days[:2]]  # 400 and 396 days old; 395 is the last day kept
    assert output.splitlines() == ["dropped 2 index(es)", *gone]
    after = await index.days()
    assert set(before) - set(after) == set(gone)
    assert {index.index_for(day) for day in days[2:]} <= set(after)


def test_the_export_for_test_environments_rekeys_every_pseudonym_consistently(
    settings: Settings, tmp_path: Path, key: bytes
) -> None:
    source = [e for e in stored(settings) if e["actor"]]
    path = tmp_path / "events.ndjson"
    run_cli(settings, "analytics-export", str(path))
    copied = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(copied) == len(stored(settings))
    originals = {e["actor"] for e in source}
    fakes = {e["actor"] for e in copied if e["actor"]}
    assert len(fakes) == len(originals) and not fakes & originals
    assert not {a for e in copied for a in e["linked_actors"]} & originals


async def test_erasing_an_account_removes_its_consent_and_every_event_under_its_pseudonym(
    server: LiveServer, settings: Settings, services: Services, key: bytes
) -> None:
    account = signed_up(server, settings, "erased")
    client = app(server, "visitor-erased-01")
    client.token = account.client.token
    client.data(SET_CONSENT, {"analytics": "ON", "country": "US"})
    client.data(START)
    actor = pseudonym(key, "user", account.id)
    [started] = wait_for(settings, lambda e: e["actor"] == actor and e["name"] == "assessment_started", 1)
    assert started["linked_actors"] == [pseudonym(key, "visitor", "visitor-erased-01")]
    [records] = [source for source in services.identity.personal_data if source.name == "analytics"]
    assert await records.export(account.id) == {"consent": "on", "residenceCountry": "US"}

    await records.erase(account.id)

    assert [e for e in stored(settings) if actor in (e["actor"], *e["linked_actors"])] == []
    assert await records.export(account.id) == {"consent": None, "residenceCountry": None}


async def test_the_flusher_runs_outside_the_request_that_started_it(services: Services, settings: Settings) -> None:
    """Its Mongo reads are not counted in that request's query stats, and it carries no request's origin."""
    emitted_after = datetime.now(UTC)  # earlier tests of this module stored roadmap_created events too
    tally = CommandTally()
    tally_token = current_tally.set(tally)
    origin_token = origin.CURRENT.set(Origin(visitor_id="visitor-context-01", country="US"))
    try:
        services.analytics.buffer.emit(ServerEvent(EventName.ROADMAP_CREATED, "user-context-01"))
    finally:
        current_tally.reset(tally_token)
        origin.CURRENT.reset(origin_token)
    await asyncio.sleep(settings.analytics_flush_interval_s * 2)
    found = await asyncio.to_thread(
        wait_for,
        settings,
        lambda e: e["name"] == "roadmap_created" and datetime.fromisoformat(e["@timestamp"]) >= emitted_after,
        1,
    )
    assert [e["country"] for e in found] == ["US"]
    assert tally.count == 0
