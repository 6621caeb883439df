"""The brief report cache: the same report with the same arguments within the period is answered from memory."""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from domain.analytics.reports import OperationDay
from domain.analytics.service import Insights

T0 = datetime(2026, 12, 6, 12, tzinfo=UTC)


class CountingStore:
    """Answers every aggregation with nothing, counting the reports' reads of operation days."""

    def __init__(self) -> None:
        self.reads = 0

    async def operation_days(self, start: datetime, end: datetime) -> list[OperationDay]:
        self.reads += 1
        return []

    async def actor_steps(self, names: Sequence[str], start: datetime, end: datetime) -> Mapping[str, set[str]]:
        self.reads += 1
        return {}

    async def links(self, end: datetime) -> Mapping[str, str]:
        return {}


async def test_the_same_question_is_answered_from_memory_until_the_period_ends() -> None:
    store = CountingStore()
    now = [T0]
    insights = Insights(store, store, lambda: now[0], cache_s=60)  # type: ignore[arg-type]
    start = T0 - timedelta(days=1)
    await insights.operation_performance(start, None)
    await insights.operation_performance(start, None)
    assert store.reads == 1
    await insights.operation_performance(start, T0)  # another window: computed
    await insights.conversion(start, None)  # another report: computed
    assert store.reads == 3
    now[0] = T0 + timedelta(seconds=59)
    await insights.operation_performance(start, None)
    assert store.reads == 3
    now[0] = T0 + timedelta(seconds=60)
    await insights.operation_performance(start, None)
    assert store.reads == 4


async def test_with_no_period_every_question_is_computed() -> None:
    store = CountingStore()
    insights = Insights(store, store, lambda: T0, cache_s=0)  # type: ignore[arg-type]
    for _ in range(3):
        await insights.operation_performance(T0 - timedelta(days=1), None)
    assert store.reads == 3
