"""What keeps one run apart from others on the shared local stack, and the one helper that makes and removes
what a run owns: its database (and scratch databases named after it), OpenSearch indices and index templates,
bucket, Redis keys under every prefix the app writes, and its own saq queues.

Everything a run stores is named after its settings: `migratio-<kind>-<run>` (index prefix, bucket, Redis
prefix, job queue `<…>-jobs`; underscores for the database). A pytest session has a run id, and each test
module a run of its own below it (`<run>-<worker>-<n>`), so the session's names start all its modules' names:
`find_owned` on the session's settings lists whatever any of its modules left, and nothing of another run on the
same stack.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pymongo
import redis

from datasources.storage import connect
from domain.programs.catalog import CATALOG, COUNTRIES
from migratio.admin.migrations import apply_migrations
from migratio.settings import Settings
from migratio.wiring.services import Services


def new_run_id() -> str:
    return uuid.uuid4().hex[:8]


def run_settings(kind: str, run: str | None = None, **overrides: Any) -> Settings:
    """Settings naming everything the run stores `migratio-<kind>-<run>` (underscores for the database);
    `run` defaults to a new random id. Its job queue, `<redis_key_prefix>-jobs`, is read by no worker but one
    the run starts (tests.server.start_worker); any queue named `<redis_key_prefix>-<anything>` is the run's."""
    prefix = f"migratio-{kind}-{run or new_run_id()}"
    named: dict[str, Any] = {
        "mongodb_db": prefix.replace("-", "_"),
        "opensearch_index_prefix": prefix,
        "s3_bucket": prefix,
        "redis_key_prefix": prefix,
        "job_queue": f"{prefix}-jobs",
    }
    # a run's worker starts no cron job but at 00:00 on 1 January: tests run reminders, counts and purges
    # themselves, and a cron job on the wall clock would race them (hourly reminders, daily counts and purges)
    yearly = "0 0 1 1 *"
    crons = ("reminder_cron", "retention_cron", "analytics_purge_cron", "analytics_count_cron")
    # reports uncached: tests ask again until the events they made are flushed (the cache's own test turns it on)
    quiet: dict[str, Any] = {
        "environment": "test",
        "log_level": "WARNING",
        "analytics_report_cache_s": 0,
        **dict.fromkeys(crons, yearly),
    }
    return Settings(**{**quiet, **named, **overrides})


async def seed_catalog(services: Services) -> None:
    """Migrations, then the curated catalog and countries, into the run's database and search index."""
    await apply_migrations(services.db, services.settings)
    await services.catalog.seed(CATALOG, COUNTRIES, actor="test")


def _s3(settings: Settings) -> Any:
    return connect(
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_access_key,
        settings.s3_secret_key.get_secret_value(),
        settings.dependency_timeout_s,
    )


def _redis_patterns(settings: Settings) -> list[str]:
    """Every key the app writes for these settings: `<redis_key_prefix>:` (rate limits, denylist, persisted
    queries, pub/sub and progress), `<mongodb_db>:` (the catalog cache's namespace), scratch namespaces
    `<mongodb_db>_…:` and own queues `<redis_key_prefix>-…` (saq's `saq:<queue>:` and `saq:job:<queue>:`)."""
    db, prefix = settings.mongodb_db, settings.redis_key_prefix
    return [f"{prefix}:*", f"{prefix}-*", f"{db}:*", f"{db}_*", f"saq:{prefix}-*", f"saq:job:{prefix}-*"]


def _index_templates(settings: Settings) -> list[str]:
    """The run's index templates (the analytics events' `<prefix>-events`)."""
    listed = httpx.get(f"{settings.opensearch_url}/_index_template/{settings.opensearch_index_prefix}-*", timeout=30)
    if listed.status_code == 404:  # none matches the pattern
        return []
    listed.raise_for_status()
    return sorted(t["name"] for t in listed.json()["index_templates"])


def find_owned(settings: Settings) -> dict[str, list[str]]:
    """What the stack holds under these settings' names (a module's, or a whole session's): databases,
    indices, buckets and Redis keys (its queues' among them)."""
    db, prefix = settings.mongodb_db, settings.opensearch_index_prefix
    with pymongo.MongoClient[dict[str, Any]](settings.mongodb_url, serverSelectionTimeoutMS=10_000) as mongo:
        databases = [n for n in mongo.list_database_names() if n == db or n.startswith(f"{db}_")]
    listed = httpx.get(f"{settings.opensearch_url}/_cat/indices/{prefix}-*", params={"format": "json"}, timeout=30)
    listed.raise_for_status()
    indices = sorted(row["index"] for row in listed.json())
    templates = _index_templates(settings)
    buckets = [
        b["Name"]
        for b in _s3(settings).list_buckets().get("Buckets", [])
        if b["Name"] == settings.s3_bucket or b["Name"].startswith(f"{settings.s3_bucket}-")
    ]
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    try:
        keys = sorted({key for pattern in _redis_patterns(settings) for key in client.scan_iter(pattern, count=1000)})
    finally:
        client.close()
    found = {
        "databases": databases,
        "indices": indices,
        "index templates": templates,
        "buckets": buckets,
        "redis keys": keys,
    }
    return {kind: names for kind, names in found.items() if names}


def remove_owned(settings: Settings) -> None:
    """Remove everything stored under these settings' names."""
    db, prefix = settings.mongodb_db, settings.opensearch_index_prefix
    with pymongo.MongoClient[dict[str, Any]](settings.mongodb_url, serverSelectionTimeoutMS=10_000) as mongo:
        for name in mongo.list_database_names():
            if name == db or name.startswith(f"{db}_"):
                mongo.drop_database(name)
    listed = httpx.get(f"{settings.opensearch_url}/_cat/indices/{prefix}-*", params={"format": "json"}, timeout=30)
    listed.raise_for_status()
    for row in listed.json():
        httpx.delete(f"{settings.opensearch_url}/{row['index']}", timeout=30).raise_for_status()
    for template in _index_templates(settings):
        httpx.delete(f"{settings.opensearch_url}/_index_template/{template}", timeout=30).raise_for_status()
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    try:
        for pattern in _redis_patterns(settings):
            keys = list(client.scan_iter(pattern, count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
    finally:
        client.close()
    s3 = _s3(settings)
    for bucket in s3.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        if name == settings.s3_bucket or name.startswith(f"{settings.s3_bucket}-"):
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
                for item in page.get("Contents", []):
                    s3.delete_object(Bucket=name, Key=item["Key"])
            s3.delete_bucket(Bucket=name)


@contextmanager
def run_resources(settings: Settings) -> Iterator[None]:
    """The run's bucket made before (reports and uploads land in it); at the end everything the run owns
    removed, whatever it made meanwhile (database, indices, keys, queues) and however it ended."""
    _s3(settings).create_bucket(Bucket=settings.s3_bucket)
    try:
        yield
    finally:
        remove_owned(settings)
