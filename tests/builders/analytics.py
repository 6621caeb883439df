"""Analytics events as OpenSearch holds them for a test's settings, read straight from its indices."""

import time
from collections.abc import Callable
from typing import Any

import httpx

from migratio.settings import Settings


def stored(settings: Settings) -> list[dict[str, Any]]:
    base, pattern = settings.opensearch_url, f"{settings.opensearch_index_prefix}-events-*"
    httpx.post(f"{base}/{pattern}/_refresh", params={"allow_no_indices": "true"}, timeout=30)
    answer = httpx.post(
        f"{base}/{pattern}/_search",
        params={"allow_no_indices": "true", "ignore_unavailable": "true"},
        json={"size": 10_000, "query": {"match_all": {}}, "sort": ["@timestamp"]},
        timeout=30,
    )
    return [hit["_source"] for hit in answer.json().get("hits", {}).get("hits", [])]


def wait_for(settings: Settings, match: Callable[[dict[str, Any]], bool], count: int) -> list[dict[str, Any]]:
    """The matching events once there are `count` of them (events are flushed every second), or after 20 s."""
    deadline = time.monotonic() + 20
    while True:
        found = [e for e in stored(settings) if match(e)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.3)
