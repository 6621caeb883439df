"""The privacy rules: consent by region, pseudonyms, coarse countries, what the apps may send."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.analytics.model import ClientEvent, Consent, ConsentRecord, EventName, Origin, Pending, Platform, Source
from domain.analytics.operations import operation_event
from domain.analytics.privacy import (
    MAX_BATCH,
    analytics_allowed,
    check_client_events,
    check_origin,
    country_bucket,
    pseudonym,
    shape,
)
from domain.errors import BadUserInput

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
KEY = b"k" * 32


@pytest.mark.parametrize(
    ("preference", "country", "allowed"),
    [
        (None, "DE", False),  # EU resident: off until consent
        (None, "GB", False),
        (None, "CH", False),
        (None, None, False),  # residence unknown: treated as needing consent
        (None, "US", True),
        (None, "in", True),
        (Consent.ON, "DE", True),
        (Consent.OFF, "US", False),
    ],
)
def test_analytics_is_off_until_consent_in_the_eu_eea_uk_and_switzerland(
    preference: Consent | None, country: str | None, allowed: bool
) -> None:
    assert analytics_allowed(preference, country) is allowed


def test_a_pseudonym_is_stable_per_key_and_does_not_contain_the_id() -> None:
    first = pseudonym(KEY, "user", "64f0c0ffee")
    assert first == pseudonym(KEY, "user", "64f0c0ffee")
    assert first != pseudonym(b"j" * 32, "user", "64f0c0ffee")
    assert first != pseudonym(KEY, "visitor", "64f0c0ffee")
    assert "64f0c0ffee" not in first and len(first) == 32


def test_small_countries_are_bucketed_and_nonsense_is_unknown() -> None:
    assert [country_bucket(c) for c in ("de", "US", "TV", "xyz", None)] == ["DE", "US", "other", "unknown", "unknown"]


def test_malformed_origin_identifiers_are_dropped_not_stored() -> None:
    checked = check_origin(Origin(visitor_id="jane@example.com", session_id="s" * 20, app_version="1.2 beta"))
    assert (checked.visitor_id, checked.session_id, checked.app_version) == (None, "s" * 20, None)


def _event(name: str = "screen_view", **props: object) -> ClientEvent:
    return ClientEvent(name, NOW - timedelta(minutes=1), props)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ([], "events"),
        ([_event()] * (MAX_BATCH + 1), "events"),
        ([_event(EventName.ASSESSMENT_COMPLETED.value)], "events[0].name"),
        ([_event("Screen View")], "events[0].name"),
        ([_event(screen="free text with spaces")], "events[0].props"),
        ([_event(screen="jane@example.com")], "events[0].props"),
        ([_event(email="x")], "events[0].props"),
        ([_event(nested={"a": 1})], "events[0].props"),
        ([ClientEvent("screen_view", NOW, {f"p{i}": i for i in range(9)})], "events[0].props"),
        ([ClientEvent("screen_view", NOW - timedelta(days=2))], "events[0].at"),
    ],
)
def test_the_apps_may_send_names_numbers_and_short_tokens_only(events: list[ClientEvent], field: str) -> None:
    with pytest.raises(BadUserInput) as refused:
        check_client_events(events, NOW)
    assert refused.value.details["field"] == field


def test_a_valid_batch_keeps_its_props_and_gets_a_zone() -> None:
    naive = ClientEvent("screen_view", (NOW - timedelta(minutes=1)).replace(tzinfo=None), {"screen": "results/1"})
    [checked] = check_client_events([naive], NOW)
    assert checked.at == NOW - timedelta(minutes=1) and checked.props == {"screen": "results/1"}


def _pending(origin: Origin, user_id: str | None = "u1") -> Pending:
    return Pending("assessment_started", NOW, Source.SERVER, origin, user_id=user_id, subject="a1", links=("a0",))


def test_with_consent_the_event_carries_pseudonyms_and_stitches_the_visitor_to_the_account() -> None:
    origin = Origin(visitor_id="visitor-123456", session_id="session-123456", platform=Platform.IOS, country="US")
    stored = shape(_pending(origin), None, KEY)
    assert stored.actor == pseudonym(KEY, "user", "u1")
    assert stored.session == pseudonym(KEY, "session", "session-123456")
    assert set(stored.linked_actors) == {pseudonym(KEY, "subject", "a0"), pseudonym(KEY, "visitor", "visitor-123456")}
    assert (stored.platform, stored.country) == (Platform.IOS, "US")


def test_consent_off_keeps_the_event_without_actor_session_or_links() -> None:
    origin = Origin(visitor_id="visitor-123456", session_id="session-123456", country="US")
    stored = shape(_pending(origin), ConsentRecord(Consent.OFF, "US", NOW), KEY)
    assert (stored.actor, stored.session, stored.linked_actors) == (None, None, ())
    assert stored.name == "assessment_started" and stored.country == "US"


def test_the_stored_choice_outranks_the_banner_header() -> None:
    origin = Origin(consent=Consent.OFF, country="DE")
    assert shape(_pending(origin), ConsentRecord(Consent.ON, "DE", NOW), KEY).actor is not None
    assert shape(_pending(origin), None, KEY).actor is None


def test_an_event_from_before_the_latest_choice_gets_no_pseudonym() -> None:
    origin = Origin(country="US")
    switched_on_later = ConsentRecord(Consent.ON, "US", NOW + timedelta(seconds=1))
    assert shape(_pending(origin), switched_on_later, KEY).actor is None
    assert shape(_pending(origin), ConsentRecord(Consent.ON, "US", NOW), KEY).actor is not None


def test_an_operation_event_names_no_one_whatever_the_request_stated() -> None:
    at = datetime(2026, 12, 6, 12, tzinfo=UTC)
    pending = operation_event("SignIn", "mutation", 12.34567, ["FORBIDDEN", "NOT_FOUND", "FORBIDDEN"], at, Platform.IOS)
    stored = shape(pending, None, KEY)  # no user: the buffer looks up no consent for it
    assert (stored.actor, stored.session, stored.linked_actors, stored.country, stored.app_version) == (
        None,
        None,
        (),
        "unknown",
        None,
    )
    assert (stored.name, stored.platform) == ("graphql_operation", Platform.IOS)
    assert stored.props == {
        "operation": "SignIn",
        "operation_type": "mutation",
        "duration_ms": 12.346,
        "errors": 3,
        "error_codes": "FORBIDDEN,NOT_FOUND",
    }
    assert operation_event(None, "query", 1, [], at, Platform.WEB).props["operation"] == "anonymous"
    assert operation_event("x" * 65, "query", 1, [], at, Platform.WEB).props == {
        "operation": "other",
        "operation_type": "query",
        "duration_ms": 1.0,
        "errors": 0,
    }
