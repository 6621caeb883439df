"""What the analytics use cases need: somewhere to put events (never waiting), consent records, the store's
aggregations and the shared rate limiter."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from domain.analytics.model import ConsentRecord, Pending, ServerEvent
from domain.analytics.reports import FirstSeen, OperationDay


class Analytics(Protocol):
    """How a use case reports what happened. Returns at once and never raises: events are buffered and sent
    in the background; when the store is down they are dropped and counted, and the request goes on."""

    def emit(self, event: ServerEvent) -> None: ...


class NoAnalytics:
    """For use cases built without analytics (tests of other areas, tools)."""

    def emit(self, event: ServerEvent) -> None:
        return None


NO_ANALYTICS = NoAnalytics()


class EventSink(Protocol):
    def enqueue(self, events: Sequence[Pending]) -> int:
        """Buffer events already checked; returns how many were taken (the buffer is bounded)."""
        ...


class ConsentStore(Protocol):
    async def get(self, user_id: str) -> ConsentRecord | None: ...

    async def put(self, user_id: str, record: ConsentRecord) -> None: ...


class EventStore(Protocol):
    """Aggregations over stored events, by pseudonymous actor (events without one are not counted)."""

    async def actor_steps(self, names: Sequence[str], start: datetime, end: datetime) -> Mapping[str, set[str]]:
        """Each actor that had any of `names` (any event when none given) in [start, end), with the names it had."""
        ...

    async def links(self, end: datetime) -> Mapping[str, str]:
        """Earlier pseudonym -> the account's pseudonym, for every stitch recorded before `end`."""
        ...

    async def actor_days(self, start: datetime, end: datetime) -> set[tuple[str, date]]:
        """(actor, UTC day) for every day an actor had any event in [start, end)."""
        ...

    async def first_times(
        self, start: datetime, end: datetime, names: Sequence[str] = (), by: str | None = None
    ) -> Mapping[str, dict[str, FirstSeen]]:
        """Each actor's first time of each event name in [start, end) (all names when none given), with that
        event's value of the field `by` (None when not asked for)."""
        ...

    async def last_answers(self, start: datetime, end: datetime) -> Mapping[str, tuple[datetime, int, str]]:
        """Each actor's latest question_answered in [start, end): (time, bank version, question id)."""
        ...


class OperationStore(Protocol):
    async def operation_days(self, start: datetime, end: datetime) -> list[OperationDay]:
        """Per UTC day and GraphQL operation (name and type) in [start, end): requests, those with errors, and the
        50th and 95th percentiles of their durations; by day, then operation."""
        ...


class RateLimiter(Protocol):
    async def acquire(self, limits: Sequence[tuple[str, int]], window_s: int, attempt_id: str) -> int | None: ...
