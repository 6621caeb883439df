"""Shapes of analytics: the apps' event batches, a person's consent, and the analyst reports."""

from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON

from domain.analytics import model, reports
from domain.analytics.privacy import analytics_allowed
from schema.permissions import IsOwner, Private, guarded

AnalyticsConsent = strawberry.enum(model.Consent, name="AnalyticsConsent", description="A person's analytics choice.")
ClientPlatform = strawberry.enum(model.Platform, name="ClientPlatform", description="Where an event comes from.")
ActivityInterval = strawberry.enum(
    reports.Interval, name="ActivityInterval", description="Periods people are counted over (UTC; weeks from Monday)."
)
FunnelDimension = strawberry.enum(
    reports.Dimension, name="FunnelDimension", description="What a funnel is split by: where people entered it."
)


@strawberry.input(
    description="One event of an app: a name it chose (not one of the server's), its time, and up to "
    "8 properties whose values are numbers, booleans or short tokens (no spaces, no free text)."
)
class TrackedEventInput:
    name: str
    at: datetime
    props: JSON | None = None


@strawberry.input(description="Where the events come from, as the app knows it.")
class ClientOriginInput:
    platform: model.Platform
    visitor_id: str | None = strawberry.field(default=None, description="Random, per install (8-64 of A-Za-z0-9_-).")
    session_id: str | None = None
    app_version: str | None = None
    consent: model.Consent | None = strawberry.field(
        default=None, description="The consent banner's answer (signed-in people: their stored choice wins)."
    )
    residence_country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2.")


@strawberry.type
class TrackEventsPayload:
    accepted: int = strawberry.field(description="Events kept; 0 without consent (the app may stop sending).")
    consent: bool


@strawberry.type(description="A person's analytics choice.", directives=[Private()])
class AnalyticsConsentSettings:
    owner_id: strawberry.Private[str]
    analytics: model.Consent | None = guarded(IsOwner(), description="null: not chosen yet (the regional default).")
    residence_country: str | None = guarded(IsOwner())
    effective: bool = guarded(
        IsOwner(), description="Whether events carry a pseudonym now: the choice, else on outside the EU/EEA/UK/CH."
    )
    updated_at: datetime | None = guarded(IsOwner())

    @classmethod
    def from_domain(cls, owner_id: str, record: model.ConsentRecord | None) -> "AnalyticsConsentSettings":
        analytics = record.analytics if record else None
        country = record.country if record else None
        return cls(
            owner_id=owner_id,
            analytics=analytics,
            residence_country=country,
            effective=analytics_allowed(analytics, country),
            updated_at=record.updated_at if record else None,
        )


@strawberry.type
class FunnelStep:
    name: str
    actors: int = strawberry.field(description="People who did this step and every earlier one in the window.")
    conversion: float | None = strawberry.field(description="Share of the previous step's people; null first.")
    period: date | None = strawberry.field(
        default=None, description="Grouped by period: the start of the one these people first did the first step in."
    )
    group: str | None = strawberry.field(
        default=None, description="Grouped by platform or country: the one of these people's first step."
    )

    @classmethod
    def from_domain(cls, step: reports.FunnelStep) -> "FunnelStep":
        return cls(name=step.name, actors=step.actors, conversion=step.conversion, period=step.period, group=step.group)


@strawberry.type
class ActivePeriod:
    start: date
    actors: int


@strawberry.type
class RetentionCohort:
    week: date = strawberry.field(description="Monday of the week these people were first seen.")
    size: int
    retained: list[int] = strawberry.field(description="Of them, active 0, 1, 2, … weeks later.")


@strawberry.type(description="People who answered but never completed, by the last question they answered.")
class QuestionDropOff:
    bank_version: int
    question_id: str
    actors: int

    @classmethod
    def from_domain(cls, row: reports.DropOff) -> "QuestionDropOff":
        return cls(bank_version=row.bank_version, question_id=row.question_id, actors=row.actors)


@strawberry.type(description="A path: the milestone events in the order a person first did them.")
class Journey:
    steps: list[str]
    actors: int


@strawberry.type(description="One GraphQL operation's requests on one UTC day.")
class OperationPerformance:
    day: date
    operation: str = strawberry.field(description="The operation's name; anonymous when it had none.")
    operation_type: str = strawberry.field(description="query, mutation, subscription or unknown (not parsed).")
    requests: int
    errors: int = strawberry.field(description="Requests answered with at least one error.")
    error_rate: float
    p50_ms: float | None = strawberry.field(description="Median duration in milliseconds.")
    p95_ms: float | None

    @classmethod
    def from_domain(cls, row: reports.OperationDay) -> "OperationPerformance":
        return cls(
            day=row.day,
            operation=row.operation,
            operation_type=row.operation_type,
            requests=row.requests,
            errors=row.failed,
            error_rate=row.error_rate,
            p50_ms=row.p50_ms,
            p95_ms=row.p95_ms,
        )
