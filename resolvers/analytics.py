"""Root fields of analytics: the apps send events and people set their consent; analysts and admins read the reports."""

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated

import strawberry

from domain.analytics.model import ClientEvent, Consent, Origin
from domain.analytics.reports import Dimension, Interval
from domain.errors import BadUserInput
from schema.analytics import (
    ActivePeriod,
    AnalyticsConsentSettings,
    ClientOriginInput,
    FunnelStep,
    Journey,
    OperationPerformance,
    QuestionDropOff,
    RetentionCohort,
    TrackedEventInput,
    TrackEventsPayload,
)
from schema.context import Context
from schema.permissions import CanReadAnalytics, IsAuthenticated, allow

Info = strawberry.Info[Context, None]
From = Annotated[datetime, strawberry.argument(name="from")]


def _props(value: object, i: int) -> Mapping[str, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadUserInput("props is an object", field=f"events[{i}].props")
    return value


def _origin(data: ClientOriginInput) -> Origin:
    return Origin(
        visitor_id=data.visitor_id,
        session_id=data.session_id,
        platform=data.platform,
        app_version=data.app_version,
        consent=data.consent,
        country=data.residence_country,
    )


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(extensions=allow(IsAuthenticated()), description="Your analytics choice.")
    async def my_analytics_consent(self, info: Info) -> AnalyticsConsentSettings:
        user_id = info.context.user_id or ""
        return AnalyticsConsentSettings.from_domain(user_id, await info.context.services.tracking.consent(user_id))

    @strawberry.field(
        extensions=allow(CanReadAnalytics()),
        description="People per step (default: started, completed, results viewed, roadmap, report requested); "
        "with groupBy or by, the steps once per period and/or platform or country, in that order.",
    )
    async def analytics_funnel(
        self,
        info: Info,
        from_: From,
        to: datetime | None = None,
        steps: list[str] | None = None,
        group_by: Interval | None = None,
        by: Dimension | None = None,
    ) -> list[FunnelStep]:
        found = await info.context.services.insights.funnel(steps or [], from_, to, group_by, by)
        return [FunnelStep.from_domain(s) for s in found]

    @strawberry.field(
        extensions=allow(CanReadAnalytics()),
        description="People per stage: visitor (any event), completed quiz, account, roadmap, paid.",
    )
    async def conversion(self, info: Info, from_: From, to: datetime | None = None) -> list[FunnelStep]:
        found = await info.context.services.insights.conversion(from_, to)
        return [FunnelStep.from_domain(s) for s in found]

    @strawberry.field(
        extensions=allow(CanReadAnalytics()),
        description="Per day and GraphQL operation: requests, error rate, p50/p95 latency (by day, then operation).",
    )
    async def operation_performance(
        self, info: Info, from_: From, to: datetime | None = None
    ) -> list[OperationPerformance]:
        found = await info.context.services.insights.operation_performance(from_, to)
        return [OperationPerformance.from_domain(row) for row in found]

    @strawberry.field(extensions=allow(CanReadAnalytics()), description="Started vs completed questionnaires.")
    async def quiz_completion(self, info: Info, from_: From, to: datetime | None = None) -> FunnelStep:
        step = await info.context.services.insights.completion(from_, to)
        return FunnelStep.from_domain(step)

    @strawberry.field(
        extensions=allow(CanReadAnalytics()), description="Distinct people with any event, per day, week or month."
    )
    async def active_people(
        self, info: Info, from_: From, to: datetime | None = None, interval: Interval = Interval.DAY
    ) -> list[ActivePeriod]:
        found = await info.context.services.insights.active(from_, to, interval)
        return [ActivePeriod(start=p.start, actors=p.actors) for p in found]

    @strawberry.field(
        extensions=allow(CanReadAnalytics()), description="Weekly cohorts by first week seen, and who came back."
    )
    async def cohort_retention(
        self, info: Info, from_: From, to: datetime | None = None, weeks: int = 8
    ) -> list[RetentionCohort]:
        found = await info.context.services.insights.cohorts(from_, to, weeks)
        return [RetentionCohort(week=c.week, size=c.size, retained=list(c.retained)) for c in found]

    @strawberry.field(extensions=allow(CanReadAnalytics()), description="Where people leave the questionnaire.")
    async def question_drop_off(self, info: Info, from_: From, to: datetime | None = None) -> list[QuestionDropOff]:
        found = await info.context.services.insights.question_drop_off(from_, to)
        return [QuestionDropOff.from_domain(row) for row in found]

    @strawberry.field(extensions=allow(CanReadAnalytics()), description="The most common paths through the milestones.")
    async def journeys(self, info: Info, from_: From, to: datetime | None = None, top: int = 10) -> list[Journey]:
        found = await info.context.services.insights.journeys(from_, to, top)
        return [Journey(steps=list(j.steps), actors=j.actors) for j in found]


@strawberry.type
class AnalyticsMutation:
    @strawberry.mutation(description="A batch of the app's events (1-50); kept only with consent.")
    async def track_events(
        self, info: Info, origin: ClientOriginInput, events: list[TrackedEventInput]
    ) -> TrackEventsPayload:
        batch = [ClientEvent(e.name, e.at, _props(e.props, i)) for i, e in enumerate(events)]  # type: ignore[arg-type]
        tracked = await info.context.services.tracking.track(
            info.context.user_id, info.context.meta.ip, _origin(origin), batch
        )
        return TrackEventsPayload(accepted=tracked.accepted, consent=tracked.consent)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Turn analytics on or off for yourself.")
    async def set_analytics_consent(
        self, info: Info, analytics: Consent, residence_country: str | None = None
    ) -> AnalyticsConsentSettings:
        user_id = info.context.user_id or ""
        record = await info.context.services.tracking.set_consent(user_id, analytics, residence_country)
        return AnalyticsConsentSettings.from_domain(user_id, record)
