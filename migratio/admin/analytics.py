"""Analytics maintenance: the retention purge (whole days past ANALYTICS_RETENTION_DAYS) and the anonymised
export of events for test environments."""

import json
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import TextIO

from datasources import search
from datasources.analytics.events import EventIndex
from migratio.settings import Settings


def _index(settings: Settings) -> EventIndex:
    client = search.connect(settings.opensearch_url, settings.dependency_timeout_s * 5)
    return EventIndex(client, settings.opensearch_index_prefix)


async def purge_events(settings: Settings, today: date | None = None) -> list[str]:
    """Drops the daily indices older than the retention period; returns their names."""
    index = _index(settings)
    try:
        today = today or datetime.now(UTC).date()
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
