"""The analytics event store on the real OpenSearch: the index template maps every new daily index, and the daily
counts (kept after the raw days are purged) equal the raw counts."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import cast

import pytest
from opensearchpy.exceptions import RequestError

from datasources.analytics.events import INDEX_BODY
from datasources.analytics.rollups import DailyCounts
from domain.analytics.model import Platform, Source, StoredEvent
from migratio.admin import analytics
from migratio.admin.migrations import apply_migrations
from migratio.entrypoints import worker
from migratio.entrypoints.worker import WorkerContext, WorkerRuntime, worker_options
from migratio.settings import Settings
from migratio.wiring.services import Services

TODAY = date(2026, 3, 10)


def event(day: date, hour: int, name: str, platform: Platform, country: str) -> StoredEvent:
    at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    source = Source.SERVER if name == "assessment_started" else Source.CLIENT
    return StoredEvent(name, at, source, platform, country, "actor", None, None, {}, ())


def seeded() -> list[StoredEvent]:
    """Events on four ended days (one at each edge of its UTC day) and today."""
    plan = [
        (TODAY - timedelta(days=400), [(0, "assessment_started", Platform.WEB, "DE")] * 2),
        (TODAY - timedelta(days=5), [(0, "screen_view", Platform.IOS, "US"), (23, "screen_view", Platform.IOS, "US")]),
        (
            TODAY - timedelta(days=2),
            [(h, "assessment_started", Platform.ANDROID, "other") for h in (1, 5, 9)]
            + [(23, "screen_view", Platform.WEB, "unknown")],
        ),
        (TODAY - timedelta(days=1), [(12, "assessment_started", Platform.WEB, "DE"), (12, "tap", Platform.WEB, "FR")]),
        (TODAY, [(0, "assessment_started", Platform.WEB, "DE")]),
    ]
    return [event(day, *row) for day, rows in plan for row in rows]


def raw_counts(events: list[StoredEvent], before: date) -> dict[date, dict[tuple[str, ...], int]]:
    counted: dict[date, Counter[tuple[str, ...]]] = {}
    for e in events:
        day = e.at.date()
        if day < before:
            counted.setdefault(day, Counter())[(e.name, e.source.value, e.platform.value, e.country)] += 1
    return {day: dict(counts) for day, counts in counted.items()}


@pytest.fixture(scope="module")
async def stored(services: Services) -> list[StoredEvent]:
    events = seeded()
    await services.analytics.index.write(events)
    await services.analytics.index.refresh()
    return events


async def test_migrations_install_the_template_that_maps_a_new_daily_index(
    settings: Settings, services: Services
) -> None:
    await apply_migrations(services.db, settings)
    name = f"{settings.opensearch_index_prefix}-events"
    [template] = (await services.search.indices.get_index_template(name=name))["index_templates"]
    assert template["index_template"]["index_patterns"] == [f"{name}-*"]

    day = services.analytics.index.index_for(date(2025, 1, 2))  # auto-created by a plain write: only the template
    try:
        await services.search.index(index=day, body={"name": "screen_view", "@timestamp": "2025-01-02T10:00:00Z"})
        mapping = (await services.search.indices.get_mapping(index=day))[day]["mappings"]
        assert mapping["dynamic"] == "strict"
        props = INDEX_BODY["mappings"]["properties"]["props"]
        assert mapping["properties"] == INDEX_BODY["mappings"]["properties"] | {
            "props": {"dynamic": "true", "properties": props["properties"]}  # as OpenSearch reports an object
        }
        with pytest.raises(RequestError) as refused:
            await services.search.index(index=day, body={"email": "someone@example.com"})
        assert refused.value.error == "strict_dynamic_mapping_exception"
    finally:
        await services.search.indices.delete(index=day)


async def test_the_daily_counts_equal_the_raw_counts_and_a_rerun_only_recounts_late_days(
    settings: Settings, services: Services, stored: list[StoredEvent]
) -> None:
    counts = DailyCounts(services.search, settings.opensearch_index_prefix)

    counted = await analytics.count_events(settings, TODAY)

    expected = raw_counts(stored, TODAY)
    assert counted == sorted(expected)
    assert await counts.counts(date(2000, 1, 1), TODAY + timedelta(days=1)) == expected
    assert expected[TODAY - timedelta(days=2)] == {
        ("assessment_started", "server", "android", "other"): 3,
        ("screen_view", "client", "web", "unknown"): 1,
    }

    late = event(TODAY - timedelta(days=1), 23, "tap", Platform.WEB, "FR")
    await services.analytics.index.write([late])
    await services.analytics.index.refresh()

    assert await analytics.count_events(settings, TODAY) == [TODAY - timedelta(days=2), TODAY - timedelta(days=1)]
    assert await counts.counts(date(2000, 1, 1), TODAY + timedelta(days=1)) == raw_counts([*stored, late], TODAY)


async def test_the_purge_drops_raw_days_past_the_period_and_their_counts_stay(
    settings: Settings, services: Services, stored: list[StoredEvent]
) -> None:
    oldest = TODAY - timedelta(days=400)
    index = services.analytics.index

    dropped = await analytics.purge_events(settings, TODAY)

    assert dropped == [index.index_for(oldest)]
    assert oldest not in (await index.days()).values()
    kept = await DailyCounts(services.search, settings.opensearch_index_prefix).counts(oldest, TODAY)
    assert kept[oldest] == {("assessment_started", "server", "web", "DE"): 2}


async def test_the_worker_counts_on_its_cron_every_day_ended_by_the_wall_clock(
    settings: Settings, services: Services, stored: list[StoredEvent]
) -> None:
    cron = {job.function.__name__: job.cron for job in worker_options(settings)["cron_jobs"]}
    assert cron["count_analytics_events"] == settings.analytics_count_cron
    await analytics.count_events(settings, TODAY)
    runtime = WorkerRuntime(settings)
    try:
        counted = await worker.count_analytics_events(cast(WorkerContext, {"runtime": runtime}))
    finally:
        await runtime.close()
    assert counted == 1  # TODAY's events: ended by the wall clock, not by the fixed one
    kept = await DailyCounts(services.search, settings.opensearch_index_prefix).counts(TODAY, TODAY + timedelta(days=1))
    assert kept == {TODAY: {("assessment_started", "server", "web", "DE"): 1}}
