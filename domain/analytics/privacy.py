"""The privacy rules every stored event passes through: consent by region, pseudonyms, coarse countries,
and client events limited to names and short tokens (no spaces, no `@`: no free text, no e-mail)."""

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.analytics.model import (
    ClientEvent,
    Consent,
    ConsentRecord,
    EventName,
    Origin,
    Pending,
    Platform,
    Props,
    PropValue,
    StoredEvent,
)
from domain.errors import BadUserInput

# GDPR applies in the EU and the EEA; the UK (UK GDPR) and Switzerland (revFADP) follow the same consent rule.
CONSENT_REQUIRED: frozenset[str] = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO GB CH".split()  # noqa: SIM905
)
# Countries kept by name in events; any other lands in "other" so that a small country cannot single anyone out.
NAMED_COUNTRIES: frozenset[str] = CONSENT_REQUIRED | frozenset(
    "US CA AU NZ IN CN PH PK NG BR MX JP SG AE ZA KE EG TR VN BD ID KR CO AR".split()  # noqa: SIM905
)
OTHER_COUNTRY = "other"
UNKNOWN_COUNTRY = "unknown"

MAX_BATCH = 50
MAX_PROPS = 8
MAX_PAST = timedelta(hours=24)
MAX_FUTURE = timedelta(minutes=5)
_NAME = re.compile(r"[a-z][a-z0-9_]{2,47}")
_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
_TOKEN = re.compile(r"[A-Za-z0-9_.:/#-]{0,64}")
_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
_VERSION = re.compile(r"[0-9A-Za-z.+_-]{1,32}")
_COUNTRY = re.compile(r"[A-Z]{2}")
# Keys that invite personal data, refused whatever their value looks like.
FORBIDDEN_KEYS = frozenset({"email", "e_mail", "mail", "name", "first_name", "last_name", "phone", "answer", "text"})


def analytics_allowed(preference: Consent | None, country: str | None) -> bool:
    """An explicit choice wins; without one, analytics is on only for a known residence outside the consent
    region (EU/EEA, UK, Switzerland) — off until consent there, and off while the residence is unknown."""
    if preference is not None:
        return preference is Consent.ON
    return country is not None and country.upper() not in CONSENT_REQUIRED


def country_bucket(country: str | None) -> str:
    if country is None or not _COUNTRY.fullmatch(country.upper()):
        return UNKNOWN_COUNTRY
    code = country.upper()
    return code if code in NAMED_COUNTRIES else OTHER_COUNTRY


def pseudonym(key: bytes, kind: str, raw: str) -> str:
    """Stable for the same person and key; without the key it cannot be recomputed from an id."""
    return hmac.new(key, f"{kind}:{raw}".encode(), hashlib.sha256).hexdigest()[:32]


def check_origin(origin: Origin) -> Origin:
    """Identifiers the app sends are random tokens; anything else is dropped rather than stored."""
    return replace(
        origin,
        visitor_id=origin.visitor_id if origin.visitor_id and _ID.fullmatch(origin.visitor_id) else None,
        session_id=origin.session_id if origin.session_id and _ID.fullmatch(origin.session_id) else None,
        app_version=origin.app_version if origin.app_version and _VERSION.fullmatch(origin.app_version) else None,
        country=origin.country.upper() if origin.country and _COUNTRY.fullmatch(origin.country.upper()) else None,
    )


def check_country(country: str | None) -> str | None:
    if country is None:
        return None
    if not _COUNTRY.fullmatch(country.upper()):
        raise BadUserInput("residenceCountry is an ISO 3166-1 alpha-2 code", field="residenceCountry")
    return country.upper()


def _check_props(props: Mapping[str, object], at: str) -> Props:
    if len(props) > MAX_PROPS:
        raise BadUserInput(f"at most {MAX_PROPS} properties per event", field=f"{at}.props")
    checked: dict[str, PropValue] = {}
    for key, value in props.items():
        if not _KEY.fullmatch(key) or key in FORBIDDEN_KEYS:
            raise BadUserInput(f"property {key!r} is not allowed", field=f"{at}.props")
        if isinstance(value, bool | int | float) or (isinstance(value, str) and _TOKEN.fullmatch(value)):
            checked[key] = value
        else:
            raise BadUserInput(
                f"property {key!r}: a number, a boolean or a short token (letters, digits, _.:/#-)",
                field=f"{at}.props",
            )
    return checked


def aware(at: datetime) -> datetime:
    """A time without a zone is taken as UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def check_client_events(events: Sequence[ClientEvent], now: datetime) -> list[ClientEvent]:
    """The whole batch is refused on the first bad event, so an app sees its mistake instead of losing data."""
    if not 0 < len(events) <= MAX_BATCH:
        raise BadUserInput(f"send 1 to {MAX_BATCH} events at a time", field="events")
    server_names = {n.value for n in EventName}
    checked = []
    for i, event in enumerate(events):
        at = f"events[{i}]"
        if not _NAME.fullmatch(event.name) or event.name in server_names:
            raise BadUserInput(f"{event.name!r} is not an event name the apps may send", field=f"{at}.name")
        when = aware(event.at)
        if not now - MAX_PAST <= when <= now + MAX_FUTURE:
            raise BadUserInput("an event's time is within the last 24 hours", field=f"{at}.at")
        checked.append(replace(event, at=when, props=_check_props(event.props, at)))
    return checked


def shape(pending: Pending, consent: ConsentRecord | None, key: bytes) -> StoredEvent:
    """The stored form: pseudonyms only where analytics is allowed; with it off, no actor, session or link.
    Consent is read when the batch is sent, so an event from before the person's latest choice gets no
    pseudonym: whatever was chosen then, it may have been "off"."""
    origin = pending.origin
    country = consent.country if consent is not None and consent.country else origin.country
    preference = consent.analytics if consent is not None else origin.consent
    allowed = analytics_allowed(preference, country) and (consent is None or consent.updated_at <= pending.at)
    actor = None
    links: tuple[str, ...] = ()
    if allowed:
        if pending.user_id is not None:
            actor = pseudonym(key, "user", pending.user_id)
        elif origin.visitor_id is not None:
            actor = pseudonym(key, "visitor", origin.visitor_id)
        elif pending.subject is not None:
            actor = pseudonym(key, "subject", pending.subject)
        linked = [pseudonym(key, "subject", s) for s in pending.links]
        if pending.user_id is not None and origin.visitor_id is not None:
            linked.append(pseudonym(key, "visitor", origin.visitor_id))
        links = tuple(dict.fromkeys(linked))
    return StoredEvent(
        name=pending.name,
        at=pending.at,
        source=pending.source,
        platform=origin.platform if isinstance(origin.platform, Platform) else Platform.API,
        country=country_bucket(country),
        actor=actor,
        session=pseudonym(key, "session", origin.session_id) if allowed and origin.session_id else None,
        app_version=origin.app_version,
        props=dict(pending.props),
        linked_actors=links,
    )
