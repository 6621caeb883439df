"""What keeps one run apart from others on the shared local stack, and the one helper that makes and removes
what a run owns: its database (and scratch databases named after it), OpenSearch indices, bucket, Redis keys
under every prefix the app writes, its own saq queues, and the jobs it left on the stack's shared queue.

Everything a run stores is named after its settings: `migratio-<kind>-<run>` (index prefix, bucket, Redis
prefix; underscores for the database). A pytest session has a run id, and each test module a run of its own
below it (`<run>-<worker>-<n>`), so the session's names start all its modules' names: `find_owned` on the
session's settings lists whatever any of its modules left, and nothing of another run on the same stack.
"""

import json
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

FINISHED_JOB = ("complete", "failed", "aborted")
"""saq's terminal statuses: a job in any other is still to run, and would write after the run was removed."""


def new_run_id() -> str:
    return uuid.uuid4().hex[:8]


def run_settings(kind: str, run: str | None = None, **overrides: Any) -> Settings:
    """Settings naming everything the run stores `migratio-<kind>-<run>` (underscores for the database);
    `run` defaults to a new random id. A queue of the run's own is named `<redis_key_prefix>-<anything>`."""
    prefix = f"migratio-{kind}-{run or new_run_id()}"
    return Settings(
        environment="test",
        mongodb_db=prefix.replace("-", "_"),
        opensearch_index_prefix=prefix,
        s3_bucket=prefix,
        redis_key_prefix=prefix,
        log_level="WARNING",
        **overrides,
    )


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


def _shared_queue_jobs(client: redis.Redis, settings: Settings) -> dict[str, str]:
    """The run's jobs on the stack's shared queue (each carries its scope), with their status."""
    db, found = settings.mongodb_db, {}
    for key in client.scan_iter(f"saq:job:{settings.job_queue}:*", count=1000):
        raw = client.get(key)
        job = json.loads(raw) if raw else {}
        database = str(((job.get("kwargs") or {}).get("scope") or {}).get("database", ""))
        if database == db or database.startswith(f"{db}_"):
            found[key.decode() if isinstance(key, bytes) else key] = str(job.get("status", ""))
    return found


def find_owned(settings: Settings) -> dict[str, list[str]]:
    """What the stack holds under these settings' names (a module's, or a whole session's): databases,
    indices, buckets, Redis keys, and the jobs on the shared queue not finished yet."""
    db, prefix = settings.mongodb_db, settings.opensearch_index_prefix
    with pymongo.MongoClient[dict[str, Any]](settings.mongodb_url, serverSelectionTimeoutMS=10_000) as mongo:
        databases = [n for n in mongo.list_database_names() if n == db or n.startswith(f"{db}_")]
    listed = httpx.get(f"{settings.opensearch_url}/_cat/indices/{prefix}-*", params={"format": "json"}, timeout=30)
    listed.raise_for_status()
    indices = sorted(row["index"] for row in listed.json())
    buckets = [
        b["Name"]
        for b in _s3(settings).list_buckets().get("Buckets", [])
        if b["Name"] == settings.s3_bucket or b["Name"].startswith(f"{settings.s3_bucket}-")
    ]
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    try:
        keys = sorted({key for pattern in _redis_patterns(settings) for key in client.scan_iter(pattern, count=1000)})
        jobs = [f"{key} ({status})" for key, status in _shared_queue_jobs(client, settings).items()]
    finally:
        client.close()
    found = {"databases": databases, "indices": indices, "buckets": buckets, "redis keys": keys, "queued jobs": jobs}
    return {kind: names for kind, names in found.items() if names}


def remove_owned(settings: Settings) -> None:
    """Remove everything stored under these settings' names; the shared queue keeps jobs still to run."""
    db, prefix = settings.mongodb_db, settings.opensearch_index_prefix
    with pymongo.MongoClient[dict[str, Any]](settings.mongodb_url, serverSelectionTimeoutMS=10_000) as mongo:
        for name in mongo.list_database_names():
            if name == db or name.startswith(f"{db}_"):
                mongo.drop_database(name)
    listed = httpx.get(f"{settings.opensearch_url}/_cat/indices/{prefix}-*", params={"format": "json"}, timeout=30)
    listed.raise_for_status()
    for row in listed.json():
        httpx.delete(f"{settings.opensearch_url}/{row['index']}", timeout=30).raise_for_status()
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    try:
        for pattern in _redis_patterns(settings):
            keys = list(client.scan_iter(pattern, count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
        finished = [key for key, status in _shared_queue_jobs(client, settings).items() if status in FINISHED_JOB]
        if finished:
            client.delete(*finished)
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
