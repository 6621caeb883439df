"""What keeps one run apart from others on the shared local stack: its own database, index prefix, bucket and
Redis prefix, and the bucket made before it and emptied and removed after (reports and uploads land in it)."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from datasources.storage import connect
from migratio.settings import Settings


def run_settings(kind: str, **overrides: Any) -> Settings:
    """Settings naming everything this run stores `migratio-<kind>-<random>` (underscores for the database)."""
    run = uuid.uuid4().hex[:8]
    return Settings(
        environment="test",
        mongodb_db=f"migratio_{kind}_{run}",
        opensearch_index_prefix=f"migratio-{kind}-{run}",
        s3_bucket=f"migratio-{kind}-{run}",
        redis_key_prefix=f"migratio-{kind}-{run}",
        log_level="WARNING",
        **overrides,
    )


@contextmanager
def run_bucket(settings: Settings) -> Iterator[None]:
    s3: Any = connect(
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_access_key,
        settings.s3_secret_key.get_secret_value(),
        settings.dependency_timeout_s,
    )
    s3.create_bucket(Bucket=settings.s3_bucket)
    try:
        yield
    finally:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=settings.s3_bucket):
            for item in page.get("Contents", []):
                s3.delete_object(Bucket=settings.s3_bucket, Key=item["Key"])
        s3.delete_bucket(Bucket=settings.s3_bucket)
