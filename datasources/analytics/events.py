"""The event store on OpenSearch: one index per UTC day under `<prefix>-events-`, mapped strictly by an index
template; bulk writes; the aggregations the reports need (composite, paged); retention by dropping whole days; and an
anonymised export for test environments."""

import re
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from opensearchpy import AsyncOpenSearch
from opensearchpy.exceptions import NotFoundError, RequestError

from domain.analytics.model import EventName, StoredEvent
from domain.analytics.privacy import pseudonym
from domain.analytics.reports import FirstSeen, OperationDay

_PAGE = 1000
ROLLUP_FIELDS = ("name", "source", "platform", "country")
"""What the daily counts keep of an event."""
_DAY = re.compile(r"(\d{4})\.(\d{2})\.(\d{2})")

INDEX_BODY: dict[str, Any] = {
    "settings": {"number_of_shards": 1, "number_of_replicas": 0},
    "mappings": {
        "dynamic": "strict",
        "dynamic_templates": [
            {
                "props_tokens": {
                    "path_match": "props.*",
                    "match_mapping_type": "string",
                    "mapping": {"type": "keyword", "ignore_above": 64},
                }
            }
        ],
        "properties": {
            "@timestamp": {"type": "date"},
            "name": {"type": "keyword"},
            "source": {"type": "keyword"},
            "platform": {"type": "keyword"},
            "country": {"type": "keyword"},
            "actor": {"type": "keyword"},
            "session": {"type": "keyword"},
            "app_version": {"type": "keyword"},
            "linked_actors": {"type": "keyword"},
            # the GraphQL operations' numbers; an app's event with another kind of value there keeps the rest
            "props": {
                "type": "object",
                "dynamic": True,
                "properties": {
                    "duration_ms": {"type": "double", "ignore_malformed": True},
                    "errors": {"type": "integer", "ignore_malformed": True},
                },
            },
        },
    },
}


def document(event: StoredEvent) -> dict[str, Any]:
    return {
        "@timestamp": event.at.astimezone(UTC).isoformat(),
        "name": event.name,
        "source": event.source.value,
        "platform": event.platform.value,
        "country": event.country,
        "actor": event.actor,
        "session": event.session,
        "app_version": event.app_version,
        "linked_actors": list(event.linked_actors),
        "props": dict(event.props),
    }


class EventWriteFailed(Exception):
    def __init__(self, failed: int) -> None:
        super().__init__(f"{failed} event(s) not stored")
        self.failed = failed


class EventIndex:
    def __init__(self, client: AsyncOpenSearch, prefix: str) -> None:
        self.client = client
        self.prefix = f"{prefix}-events-"
        self._created: set[str] = set()
        self._templated = False

    @property
    def pattern(self) -> str:
        return f"{self.prefix}*"

    @property
    def template(self) -> str:
        return self.prefix.removesuffix("-")

    def index_for(self, day: date) -> str:
        return f"{self.prefix}{day:%Y.%m.%d}"

    async def install_template(self) -> None:
        """The index template that maps every daily index (idempotent: the same body replaces itself)."""
        body = {"index_patterns": [self.pattern], "priority": 100, "template": INDEX_BODY}
        await self.client.indices.put_index_template(name=self.template, body=body)
        self._templated = True

    async def ensure_index(self, name: str) -> None:
        """A day's index is created (its template installed first, once per process) before its first write, so
        none is ever auto-created with guessed text mappings."""
        if name in self._created:
            return
        if not self._templated:
            await self.install_template()
        try:
            await self.client.indices.create(index=name)
        except RequestError as error:
            if error.error != "resource_already_exists_exception":
                raise
        self._created.add(name)

    async def write(self, events: Sequence[StoredEvent]) -> None:
        """One bulk request; raises (connection errors, or EventWriteFailed with the count) when any is lost."""
        if not events:
            return
        body: list[dict[str, Any]] = []
        for event in events:
            name = self.index_for(event.at.astimezone(UTC).date())
            await self.ensure_index(name)
            body.append({"index": {"_index": name}})
            body.append(document(event))
        answer = await self.client.bulk(body=body)
        if answer.get("errors"):
            failed = sum(1 for item in answer["items"] if item.get("index", {}).get("error"))
            raise EventWriteFailed(failed)

    async def refresh(self) -> None:
        await self.client.indices.refresh(index=self.pattern, allow_no_indices=True)

    async def days(self) -> dict[str, date]:
        try:
            rows = await self.client.cat.indices(index=self.pattern, format="json")
        except NotFoundError:
            return {}
        found = {}
        for row in rows:
            match = _DAY.fullmatch(row["index"].removeprefix(self.prefix))
            if row["index"].startswith(self.prefix) and match:
                found[row["index"]] = date(int(match[1]), int(match[2]), int(match[3]))
        return found

    async def purge(self, before: date) -> list[str]:
        """Drop the days older than `before` (whole indices: nothing to rewrite, nothing half-deleted)."""
        old = sorted(name for name, day in (await self.days()).items() if day < before)
        for name in old:
            await self.client.indices.delete(index=name)
        return old

    async def erase_actor(self, actor: str) -> None:
        """Events of this pseudonym and the stitches pointing at it (an erasure: the person asked). Found and
        deleted by id in pages: the local engine has no delete-by-query module."""
        query = {"bool": {"should": [{"term": {"actor": actor}}, {"term": {"linked_actors": actor}}]}}
        params = {"allow_no_indices": "true", "ignore_unavailable": "true"}
        while True:
            await self.client.indices.refresh(index=self.pattern, params=params)
            page = await self.client.search(
                index=self.pattern, body={"size": _PAGE, "_source": False, "query": query}, params=params
            )
            hits = page["hits"]["hits"]
            if not hits:
                return
            await self.client.bulk(body=[{"delete": {"_index": h["_index"], "_id": h["_id"]}} for h in hits])

    async def day_counts(self, day: date) -> dict[tuple[str, ...], int]:
        """One UTC day's events counted by `ROLLUP_FIELDS` (a missing country counts as "")."""
        start = datetime.combine(day, time.min, UTC)
        query = {"bool": {"filter": [self._range(start, start + timedelta(days=1))]}}
        sources = [{f: {"terms": {"field": f, "missing_bucket": True}}} for f in ROLLUP_FIELDS]
        return {
            tuple(str(bucket["key"][f] or "") for f in ROLLUP_FIELDS): bucket["doc_count"]
            async for bucket in self._buckets(query, sources)
        }

    async def _composite(self, query: dict[str, Any], sources: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
        async for bucket in self._buckets(query, sources):
            yield bucket["key"]

    async def _buckets(
        self, query: dict[str, Any], sources: list[dict[str, Any]], aggs: dict[str, Any] | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """Every bucket of a composite aggregation (with `aggs` computed in each), page by page."""
        after: dict[str, Any] | None = None
        while True:
            composite: dict[str, Any] = {"size": _PAGE, "sources": sources}
            if after is not None:
                composite["after"] = after
            pairs: dict[str, Any] = {"composite": composite}
            if aggs:
                pairs["aggs"] = aggs
            answer = await self.client.search(
                index=self.pattern,
                body={"size": 0, "query": query, "aggs": {"pairs": pairs}},
                params={"allow_no_indices": "true", "ignore_unavailable": "true"},
            )
            agg = answer.get("aggregations", {}).get("pairs")
            if not agg:
                return
            for bucket in agg["buckets"]:
                yield bucket
            after = agg.get("after_key")
            if after is None or len(agg["buckets"]) < _PAGE:
                return

    @staticmethod
    def _range(start: datetime | None, end: datetime) -> dict[str, Any]:
        bounds = {"lt": end.astimezone(UTC).isoformat()}
        if start is not None:
            bounds["gte"] = start.astimezone(UTC).isoformat()
        return {"range": {"@timestamp": bounds}}

    async def actor_steps(self, names: Sequence[str], start: datetime, end: datetime) -> Mapping[str, set[str]]:
        filters: list[dict[str, Any]] = [self._range(start, end), {"exists": {"field": "actor"}}]
        if names:
            filters.append({"terms": {"name": list(names)}})
        found: dict[str, set[str]] = {}
        sources = [{"actor": {"terms": {"field": "actor"}}}, {"name": {"terms": {"field": "name"}}}]
        async for key in self._composite({"bool": {"filter": filters}}, sources):
            found.setdefault(key["actor"], set()).add(key["name"])
        return found

    async def links(self, end: datetime) -> Mapping[str, str]:
        query = {
            "bool": {
                "filter": [
                    self._range(None, end),
                    {"exists": {"field": "linked_actors"}},
                    {"exists": {"field": "actor"}},
                ]
            }
        }
        sources = [{"linked": {"terms": {"field": "linked_actors"}}}, {"actor": {"terms": {"field": "actor"}}}]
        return {key["linked"]: key["actor"] async for key in self._composite(query, sources)}

    async def actor_days(self, start: datetime, end: datetime) -> set[tuple[str, date]]:
        query = {"bool": {"filter": [self._range(start, end), {"exists": {"field": "actor"}}]}}
        sources = [
            {"actor": {"terms": {"field": "actor"}}},
            {"day": {"date_histogram": {"field": "@timestamp", "calendar_interval": "1d"}}},
        ]
        return {
            (key["actor"], datetime.fromtimestamp(key["day"] / 1000, UTC).date())
            async for key in self._composite(query, sources)
        }

    async def first_times(
        self, start: datetime, end: datetime, names: Sequence[str] = (), by: str | None = None
    ) -> Mapping[str, dict[str, FirstSeen]]:
        """A composite of (actor, name[, by]) with the earliest time in each; of several values of `by` for one
        actor and name, the earliest one's."""
        filters: list[dict[str, Any]] = [self._range(start, end), {"exists": {"field": "actor"}}]
        if names:
            filters.append({"terms": {"name": list(names)}})
        sources: list[dict[str, Any]] = [
            {"actor": {"terms": {"field": "actor"}}},
            {"name": {"terms": {"field": "name"}}},
        ]
        if by is not None:
            sources.append({"by": {"terms": {"field": by, "missing_bucket": True}}})
        found: dict[str, dict[str, FirstSeen]] = {}
        aggs = {"first": {"min": {"field": "@timestamp"}}}
        async for bucket in self._buckets({"bool": {"filter": filters}}, sources, aggs):
            key = bucket["key"]
            seen = (datetime.fromtimestamp(bucket["first"]["value"] / 1000, UTC), key.get("by"))
            person = found.setdefault(key["actor"], {})
            if key["name"] not in person or seen[0] < person[key["name"]][0]:
                person[key["name"]] = seen
        return found

    async def last_answers(self, start: datetime, end: datetime) -> Mapping[str, tuple[datetime, int, str]]:
        query = {
            "bool": {
                "filter": [
                    self._range(start, end),
                    {"term": {"name": "question_answered"}},
                    {"exists": {"field": "actor"}},
                ]
            }
        }
        last = {"top_hits": {"size": 1, "sort": [{"@timestamp": "desc"}], "_source": ["@timestamp", "props"]}}
        found = {}
        async for bucket in self._buckets(query, [{"actor": {"terms": {"field": "actor"}}}], {"last": last}):
            [hit] = bucket["last"]["hits"]["hits"]
            source = hit["_source"]
            at = datetime.fromisoformat(source["@timestamp"])
            props = source.get("props") or {}
            found[bucket["key"]["actor"]] = (at, int(props.get("bank_version", 0)), str(props.get("question_id", "")))
        return found

    async def operation_days(self, start: datetime, end: datetime) -> list[OperationDay]:
        query = {"bool": {"filter": [self._range(start, end), {"term": {"name": EventName.GRAPHQL_OPERATION.value}}]}}
        sources = [
            {"day": {"date_histogram": {"field": "@timestamp", "calendar_interval": "1d"}}},
            {"operation": {"terms": {"field": "props.operation"}}},
            {"type": {"terms": {"field": "props.operation_type"}}},
        ]
        aggs = {
            "latency": {"percentiles": {"field": "props.duration_ms", "percents": [50, 95]}},
            "failed": {"filter": {"range": {"props.errors": {"gt": 0}}}},
        }
        found = []
        async for bucket in self._buckets(query, sources, aggs):
            key, latency = bucket["key"], bucket["latency"]["values"]
            found.append(
                OperationDay(
                    day=datetime.fromtimestamp(key["day"] / 1000, UTC).date(),
                    operation=key["operation"],
                    operation_type=key["type"],
                    requests=bucket["doc_count"],
                    failed=bucket["failed"]["doc_count"],
                    p50_ms=latency.get("50.0"),
                    p95_ms=latency.get("95.0"),
                )
            )
        return found

    async def export(self, key: bytes) -> AsyncIterator[dict[str, Any]]:
        """Every stored event with actors, links and sessions re-keyed under `key` (a fresh one per export):
        journeys stay intact in the copy, but cannot be matched with production's or each other's."""
        try:
            page = await self.client.search(
                index=self.pattern,
                body={"size": _PAGE, "sort": ["@timestamp", "_doc"], "query": {"match_all": {}}},
                params={"allow_no_indices": "true", "ignore_unavailable": "true"},
            )
        except NotFoundError:
            return
        while hits := page["hits"]["hits"]:
            for hit in hits:
                yield anonymised(hit["_source"], key)
            page = await self.client.search(
                index=self.pattern,
                body={
                    "size": _PAGE,
                    "sort": ["@timestamp", "_doc"],
                    "query": {"match_all": {}},
                    "search_after": hits[-1]["sort"],
                },
                params={"allow_no_indices": "true", "ignore_unavailable": "true"},
            )


def anonymised(source: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    copy = dict(source)
    for name in ("actor", "session"):
        if copy.get(name):
            copy[name] = pseudonym(key, name, copy[name])
    copy["linked_actors"] = [pseudonym(key, "actor", a) for a in copy.get("linked_actors") or []]
    return copy
