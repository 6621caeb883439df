"""Analytics use cases: the apps' events (checked, rate-limited, only with consent), the consent preference,
and the reports analysts read."""

import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from domain.analytics import reports
from domain.analytics.model import ClientEvent, Consent, ConsentRecord, EventName, Origin, Pending, Source
from domain.analytics.ports import ConsentStore, EventSink, EventStore, OperationStore, RateLimiter
from domain.analytics.privacy import analytics_allowed, aware, check_client_events, check_country, check_origin
from domain.errors import BadUserInput, RateLimited

MAX_REPORT_DAYS = 400
MAX_COHORT_WEEKS = 26
MAX_JOURNEYS = 50
MAX_CACHED_REPORTS = 256
T = TypeVar("T")
JOURNEY_EVENTS = tuple(
    n.value for n in EventName if n not in (EventName.QUESTION_ANSWERED, EventName.GRAPHQL_OPERATION)
)


@dataclass(frozen=True, slots=True)
class TrackLimits:
    """trackEvents calls per person (or visitor, or address) per window, and per address whoever calls: new visitor
    ids cost nothing to make up, an address does."""

    per_caller: int = 120
    per_address: int = 600
    window_s: int = 3600


@dataclass(frozen=True, slots=True)
class Tracked:
    accepted: int
    consent: bool


@dataclass
class Tracking:
    sink: EventSink
    consents: ConsentStore
    limiter: RateLimiter
    clock: Callable[[], datetime]
    limits: TrackLimits = field(default_factory=TrackLimits)

    async def track(self, user_id: str | None, ip: str, origin: Origin, events: Sequence[ClientEvent]) -> Tracked:
        """Without consent nothing is kept (the answer says so, so the app can stop sending)."""
        now = self.clock()
        checked = check_client_events(events, now)
        origin = check_origin(origin)
        caller = f"user:{user_id}" if user_id else f"visitor:{origin.visitor_id}" if origin.visitor_id else f"ip:{ip}"
        limits = [
            (f"analytics-track:{caller}", self.limits.per_caller),
            (f"analytics-track-ip:{ip}", self.limits.per_address),
        ]
        retry_after = await self.limiter.acquire(limits, self.limits.window_s, secrets.token_hex(12))
        if retry_after is not None:
            raise RateLimited(
                f"too many event batches; retry in {retry_after} seconds",
                retry_after_s=retry_after,
                limit=min(self.limits.per_caller, self.limits.per_address),
            )
        stored = await self.consents.get(user_id) if user_id else None
        preference = stored.analytics if stored else origin.consent
        country = stored.country if stored and stored.country else origin.country
        if not analytics_allowed(preference, country):
            return Tracked(0, False)
        if stored is not None:
            origin = replace(origin, consent=stored.analytics, country=country)
        taken = self.sink.enqueue(
            [Pending(e.name, e.at, Source.CLIENT, origin, user_id=user_id, props=e.props) for e in checked]
        )
        return Tracked(taken, True)

    async def consent(self, user_id: str) -> ConsentRecord | None:
        return await self.consents.get(user_id)

    async def set_consent(self, user_id: str, analytics: Consent, country: str | None) -> ConsentRecord:
        """Keeps the residence already given when none is passed."""
        current = await self.consents.get(user_id)
        kept = check_country(country) if country is not None else (current.country if current else None)
        record = ConsentRecord(analytics=analytics, country=kept, updated_at=self.clock())
        await self.consents.put(user_id, record)
        return record


def _window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    start, end = aware(start), aware(end)
    if not start < end:
        raise BadUserInput("from must be before to", field="from")
    if end - start > timedelta(days=MAX_REPORT_DAYS):
        raise BadUserInput(f"a report covers at most {MAX_REPORT_DAYS} days", field="to")
    return start, end


@dataclass
class Insights:
    """Reports over stored events; who may read them is declared on the GraphQL fields (analyst roles). A report
    asked again with the same arguments within `cache_s` is answered from this process's memory: dashboards repeat
    their questions, and each costs OpenSearch several aggregations. Without `end`, the window ends now."""

    store: EventStore
    operations: OperationStore
    clock: Callable[[], datetime]
    cache_s: float = 60.0
    _answers: OrderedDict[tuple[object, ...], tuple[datetime, Any]] = field(
        default_factory=OrderedDict, init=False, repr=False
    )

    async def _report(
        self, compute: Callable[..., Awaitable[T]], start: datetime, end: datetime | None, *args: Hashable
    ) -> T:
        now = self.clock()
        window = _window(start, end or now)
        key = (compute.__name__, window[0], end and window[1], *args)
        kept = self._answers.get(key)
        if kept is not None and now < kept[0]:
            answer: T = kept[1]
            return answer
        answer = await compute(*window, *args)
        if self.cache_s > 0:
            self._answers[key] = (now + timedelta(seconds=self.cache_s), answer)
            self._answers.move_to_end(key)
            while len(self._answers) > MAX_CACHED_REPORTS:
                self._answers.popitem(last=False)
        return answer

    async def funnel(
        self,
        steps: Sequence[str],
        start: datetime,
        end: datetime | None,
        interval: reports.Interval | None = None,
        by: reports.Dimension | None = None,
    ) -> list[reports.FunnelStep]:
        """Ungrouped unless a period or a dimension is asked for (see `reports.grouped_funnel`)."""
        chosen = tuple(dict.fromkeys(steps)) or reports.DEFAULT_FUNNEL
        if len(chosen) > 10:
            raise BadUserInput("a funnel has at most 10 steps", field="steps")
        return await self._report(self._funnel, start, end, chosen, interval, by)

    async def _funnel(
        self,
        start: datetime,
        end: datetime,
        steps: tuple[str, ...],
        interval: reports.Interval | None = None,
        by: reports.Dimension | None = None,
    ) -> list[reports.FunnelStep]:
        if interval is None and by is None:
            per_actor = await self.store.actor_steps(steps, start, end)
            return reports.funnel(steps, reports.stitched_steps(per_actor, await self.store.links(end)))
        first = await self.store.first_times(start, end, steps, by.value if by else None)
        return reports.grouped_funnel(steps, reports.stitched_firsts(first, await self.store.links(end)), interval)

    async def conversion(self, start: datetime, end: datetime | None) -> list[reports.FunnelStep]:
        return await self._report(self._conversion, start, end)

    async def _conversion(self, start: datetime, end: datetime) -> list[reports.FunnelStep]:
        per_actor = await self.store.actor_steps((), start, end)
        return reports.conversion(reports.stitched_steps(per_actor, await self.store.links(end)))

    async def operation_performance(self, start: datetime, end: datetime | None) -> list[reports.OperationDay]:
        return await self._report(self.operations.operation_days, start, end)

    async def completion(self, start: datetime, end: datetime | None) -> reports.FunnelStep:
        return await self._report(self._completion, start, end)

    async def _completion(self, start: datetime, end: datetime) -> reports.FunnelStep:
        """Of those who started the questionnaire in the window, how many completed it (the step's conversion)."""
        started, completed = await self._funnel(start, end, reports.DEFAULT_FUNNEL[:2])
        return replace(completed, conversion=completed.conversion if started.actors else None)

    async def question_drop_off(self, start: datetime, end: datetime | None) -> list[reports.DropOff]:
        return await self._report(self._question_drop_off, start, end)

    async def _question_drop_off(self, start: datetime, end: datetime) -> list[reports.DropOff]:
        last = await self.store.last_answers(start, end)
        done = await self.store.actor_steps([EventName.ASSESSMENT_COMPLETED], start, end)
        return reports.drop_off(last, done, await self.store.links(end))

    async def journeys(self, start: datetime, end: datetime | None, top: int) -> list[reports.Journey]:
        if not 0 < top <= MAX_JOURNEYS:
            raise BadUserInput(f"top is 1 to {MAX_JOURNEYS}", field="top")
        return await self._report(self._journeys, start, end, top)

    async def _journeys(self, start: datetime, end: datetime, top: int) -> list[reports.Journey]:
        first = await self.store.first_times(start, end, JOURNEY_EVENTS)
        return reports.journeys(first, await self.store.links(end), top)

    async def active(
        self, start: datetime, end: datetime | None, interval: reports.Interval
    ) -> list[reports.ActivePeriod]:
        return await self._report(self._active, start, end, interval)

    async def _active(self, start: datetime, end: datetime, interval: reports.Interval) -> list[reports.ActivePeriod]:
        return reports.active(await self.store.actor_days(start, end), await self.store.links(end), interval)

    async def cohorts(self, start: datetime, end: datetime | None, weeks: int) -> list[reports.Cohort]:
        if not 0 < weeks <= MAX_COHORT_WEEKS:
            raise BadUserInput(f"weeks is 1 to {MAX_COHORT_WEEKS}", field="weeks")
        return await self._report(self._cohorts, start, end, weeks)

    async def _cohorts(self, start: datetime, end: datetime, weeks: int) -> list[reports.Cohort]:
        return reports.cohorts(await self.store.actor_days(start, end), await self.store.links(end), weeks)
