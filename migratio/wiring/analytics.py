"""Wires analytics: one event buffer per process (sending to the OpenSearch event indices), the apps' event
intake, the analyst reports, and the buffer handed to every use case that reports events."""

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from opensearchpy import AsyncOpenSearch
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from datasources.analytics.buffer import BufferedAnalytics
from datasources.analytics.consent import MongoConsentStore
from datasources.analytics.events import EventIndex
from datasources.analytics.people import AnalyticsRecords
from domain.analytics.service import Insights, Tracking, TrackLimits
from migratio.settings import Settings
from migratio.wiring.identity import rate_limiter


def _now() -> datetime:
    return datetime.now(UTC)


def pseudonym_key(settings: Settings) -> bytes:
    """Its own secret when set; otherwise one derived from KEY_HASHING_SECRET (a different key, same strength)."""
    if settings.analytics_pseudonym_secret is not None:
        return settings.analytics_pseudonym_secret.get_secret_value().encode()
    base = settings.key_hashing_secret.get_secret_value().encode()
    return hmac.new(base, b"analytics-pseudonyms", hashlib.sha256).digest()


@dataclass
class AnalyticsArea:
    buffer: BufferedAnalytics
    index: EventIndex
    consents: MongoConsentStore
    tracking: Tracking
    insights: Insights
    records: AnalyticsRecords


def build_analytics(settings: Settings, db: AsyncDatabase, search: AsyncOpenSearch, redis: Redis) -> AnalyticsArea:
    index = EventIndex(search, settings.opensearch_index_prefix)
    consents = MongoConsentStore(db)
    buffer = BufferedAnalytics(
        index,
        consents,
        pseudonym_key(settings),
        _now,
        capacity=settings.analytics_buffer_capacity,
        batch=settings.analytics_batch_size,
        interval_s=settings.analytics_flush_interval_s,
        enabled=settings.analytics_enabled,
    )
    tracking = Tracking(
        sink=buffer,
        consents=consents,
        limiter=rate_limiter(settings, redis),
        clock=_now,
        limits=TrackLimits(
            settings.analytics_track_calls_per_caller,
            settings.analytics_track_calls_per_address,
            settings.rate_limit_window_s,
        ),
    )
    records = AnalyticsRecords(consents, index, pseudonym_key(settings))
    return AnalyticsArea(
        buffer, index, consents, tracking, Insights(index, index, _now, settings.analytics_report_cache_s), records
    )


def report_events_to(services: Any, area: AnalyticsArea) -> None:
    """Each use case that emits events gets the buffer (they are built without one, as in tests and tools);
    the account's export and erasure cover analytics too."""
    for name in ("assessments", "recommendations", "roadmaps", "documents", "reports", "billing"):
        getattr(services, name).analytics = area.buffer
    identity = services.identity
    services.identity = replace(identity, analytics=area.buffer, personal_data=(*identity.personal_data, area.records))
    services.oauth = replace(services.oauth, identity=services.identity)  # social sign-ups report too
