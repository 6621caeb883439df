"""Daily event counts, kept after the raw days are purged: one document per day, event name, source, platform
and country in `<prefix>-daily-counts`. Our own job writes them (the local OpenSearch has no rollup or
transform plugin); recounting a day replaces its documents, so a rerun never double-counts."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from opensearchpy import AsyncOpenSearch
from opensearchpy.exceptions import NotFoundError, RequestError

from datasources.analytics.events import ROLLUP_FIELDS

_PAGE = 1000
INDEX_BODY: dict[str, Any] = {
    "settings": {"number_of_shards": 1, "number_of_replicas": 0},
    "mappings": {
        "dynamic": "strict",
        "properties": {"day": {"type": "date", "format": "yyyy-MM-dd"}, "count": {"type": "long"}}
        | {field: {"type": "keyword"} for field in ROLLUP_FIELDS},
    },
}
_PARAMS = {"allow_no_indices": "true", "ignore_unavailable": "true"}

DayCounts = Mapping[tuple[str, ...], int]
"""Counts of one day keyed by the values of `ROLLUP_FIELDS`."""


class DailyCounts:
    def __init__(self, client: AsyncOpenSearch, prefix: str) -> None:
        self.client = client
        self.index = f"{prefix}-daily-counts"

    async def ensure_index(self) -> None:
        try:
            await self.client.indices.create(index=self.index, body=INDEX_BODY)
        except RequestError as error:
            if error.error != "resource_already_exists_exception":
                raise

    async def replace_day(self, day: date, counts: DayCounts) -> None:
        """The day's documents become `counts`: each written under an id made of its key, any other removed."""
        await self.ensure_index()
        ids = {"|".join((day.isoformat(), *key)): key for key in counts}
        body: list[dict[str, Any]] = []
        for doc_id, key in ids.items():
            body.append({"index": {"_index": self.index, "_id": doc_id}})
            body.append({"day": day.isoformat(), "count": counts[key], **dict(zip(ROLLUP_FIELDS, key, strict=True))})
        body += [{"delete": {"_index": self.index, "_id": old}} for old in await self._ids(day) if old not in ids]
        if body:
            answer = await self.client.bulk(body=body, params={"refresh": "true"})
            if answer.get("errors"):
                raise RuntimeError(f"daily counts of {day} not stored: {answer['items'][:3]}")

    async def _ids(self, day: date) -> list[str]:
        await self.client.indices.refresh(index=self.index)
        page = await self.client.search(
            index=self.index,
            body={"size": 10_000, "_source": False, "query": {"term": {"day": day.isoformat()}}},
        )
        return [hit["_id"] for hit in page["hits"]["hits"]]

    async def counts(self, start: date, end: date) -> dict[date, dict[tuple[str, ...], int]]:
        """Every day's counts in [start, end), as stored."""
        query = {"range": {"day": {"gte": start.isoformat(), "lt": end.isoformat()}}}
        found: dict[date, dict[tuple[str, ...], int]] = {}
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"size": _PAGE, "query": query, "sort": ["day", *ROLLUP_FIELDS]}
            if after is not None:
                body["search_after"] = after
            try:
                hits = (await self.client.search(index=self.index, body=body, params=_PARAMS))["hits"]["hits"]
            except NotFoundError:
                return found
            for hit in hits:
                doc = hit["_source"]
                key = tuple(doc[f] for f in ROLLUP_FIELDS)
                found.setdefault(date.fromisoformat(doc["day"]), {})[key] = doc["count"]
            if len(hits) < _PAGE:
                return found
            after = hits[-1]["sort"]

    async def days(self) -> set[date]:
        """The days counted so far."""
        sources = [{"day": {"date_histogram": {"field": "day", "calendar_interval": "1d", "format": "yyyy-MM-dd"}}}]
        found: set[date] = set()
        after: dict[str, Any] | None = None
        while True:
            composite: dict[str, Any] = {"size": _PAGE, "sources": sources}
            if after is not None:
                composite["after"] = after
            answer = await self.client.search(
                index=self.index, body={"size": 0, "aggs": {"days": {"composite": composite}}}, params=_PARAMS
            )
            agg = answer.get("aggregations", {}).get("days")
            if not agg:
                return found
            found |= {date.fromisoformat(bucket["key"]["day"]) for bucket in agg["buckets"]}
            after = agg.get("after_key")
            if after is None or len(agg["buckets"]) < _PAGE:
                return found
