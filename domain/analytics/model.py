"""What an analytics event is: a name, a time, a pseudonymous actor and a few coarse facts — never who."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

PropValue = str | int | float | bool
Props = Mapping[str, PropValue]
NO_PROPS: Props = MappingProxyType({})


class Platform(StrEnum):
    WEB = "web"
    IOS = "ios"
    ANDROID = "android"
    API = "api"


class Consent(StrEnum):
    """A person's analytics preference; no record means the regional default (`privacy.analytics_allowed`)."""

    ON = "on"
    OFF = "off"


class Source(StrEnum):
    SERVER = "server"
    CLIENT = "client"


class EventName(StrEnum):
    """Events the use cases emit; the apps may not send these names."""

    ASSESSMENT_STARTED = "assessment_started"
    QUESTION_ANSWERED = "question_answered"
    ASSESSMENT_COMPLETED = "assessment_completed"
    ASSESSMENT_CLAIMED = "assessment_claimed"
    RESULTS_VIEWED = "results_viewed"
    ROADMAP_CREATED = "roadmap_created"
    REPORT_REQUESTED = "report_requested"
    REPORT_READY = "report_ready"
    DOCUMENT_UPLOADED = "document_uploaded"
    SIGNED_UP = "signed_up"
    SUBSCRIPTION_STARTED = "subscription_started"
    SUBSCRIPTION_CANCELLED = "subscription_cancelled"
    GRAPHQL_OPERATION = "graphql_operation"  # one per GraphQL request: no actor, session, country or version


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """Emitted by a use case. `subject` names an anonymous journey (an assessment) when nobody is signed in;
    `links` are earlier pseudonyms of the same person (an anonymous assessment, a visitor) to stitch."""

    name: EventName
    user_id: str | None = None
    subject: str | None = None
    props: Props = field(default_factory=dict)
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a request came from, as the app states it: its visitor id (random, per install), session, platform,
    version, the consent its banner collected (anonymous visitors) and the country of residence it knows."""

    visitor_id: str | None = None
    session_id: str | None = None
    platform: Platform = Platform.API
    app_version: str | None = None
    consent: Consent | None = None
    country: str | None = None


UNKNOWN_ORIGIN = Origin()


@dataclass(frozen=True, slots=True)
class ClientEvent:
    name: str
    at: datetime
    props: Props = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Pending:
    """An event as emitted, before consent is resolved and identifiers are replaced by pseudonyms."""

    name: str
    at: datetime
    source: Source
    origin: Origin
    user_id: str | None = None
    subject: str | None = None
    props: Props = field(default_factory=dict)
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """What the event store holds: no e-mail, name, free text, answer or raw identifier."""

    name: str
    at: datetime
    source: Source
    platform: Platform
    country: str
    actor: str | None
    session: str | None
    app_version: str | None
    props: Props = field(default_factory=dict)
    linked_actors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    analytics: Consent | None
    country: str | None
    updated_at: datetime
