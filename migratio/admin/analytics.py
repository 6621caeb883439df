"""Analytics maintenance: the daily counts, the retention purge (whole days past ANALYTICS_RETENTION_DAYS,
counted first) and the anonymised export of events for test environments."""

import json
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import TextIO

from datasources import search
from datasources.analytics.events import EventIndex
from datasources.analytics.rollups import DailyCounts
from domain.analytics.rollups import days_to_count
from migratio.settings import Settings


def _index(settings: Settings) -> EventIndex:
    client = search.connect(settings.opensearch_url, settings.dependency_timeout_s * 5)
    return EventIndex(client, settings.opensearch_index_prefix)


async def install_event_template(settings: Settings) -> None:
    """The index template of the daily event indices (start-up and `migrate`; idempotent)."""
    index = _index(settings)
    try:
        await index.install_template()
    finally:
        await index.client.close()


async def _count_days(settings: Settings, index: EventIndex, today: date) -> list[date]:
    counts = DailyCounts(index.client, settings.opensearch_index_prefix)
    days = days_to_count((await index.days()).values(), await counts.days(), today)
    for day in days:
        await counts.replace_day(day, await index.day_counts(day))
    return days


async def count_events(settings: Settings, today: date | None = None) -> list[date]:
    """Counts each ended day not counted yet (and recounts the last two) into the daily counts; returns the days."""
    index = _index(settings)
    try:
        return await _count_days(settings, index, today or datetime.now(UTC).date())
    finally:
        await index.client.close()


async def purge_events(settings: Settings, today: date | None = None) -> list[str]:
    """Drops the daily indices older than the retention period, once every ended day is counted; returns their
    names."""
    index = _index(settings)
    try:
        today = today or datetime.now(UTC).date()
        await _count_days(settings, index, today)
        return await index.purge(today - timedelta(days=settings.analytics_retention_days))
    finally:
        await index.client.close()


async def export_events(settings: Settings, out: TextIO) -> int:
    """Every event as one JSON line, pseudonyms re-keyed with a key made for this export and then forgotten."""
    index = _index(settings)
    written = 0
    try:
        async for doc in index.export(secrets.token_bytes(32)):
            out.write(json.dumps(doc, sort_keys=True) + "\n")
            written += 1
    finally:
        await index.client.close()
    return written
