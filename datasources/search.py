"""OpenSearch: the program index behind an alias, rebuilt side by side and swapped so search never stops."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from opensearchpy import AsyncOpenSearch
from opensearchpy.exceptions import ConnectionError as TransportConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, TransportError
from opensearchpy.helpers import async_bulk

from domain.programs.ports import FacetCount, Facets, ProgramFilter, ProgramRecord, SearchHits, SearchUnavailable

_UNREACHABLE = (TransportConnectionError, ConnectionTimeout)
_REBUILD_TIMEOUT_S = 60

# Stemmed fields find "requirement" for "requirements"; the `plain` sub-fields keep whole words so that
# fuzzy matching works on what people type ("expres entri" → "express entry"), not on stems.
INDEX_BODY: dict[str, Any] = {
    "settings": {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "analysis": {
            "filter": {
                "english_stemmer": {"type": "stemmer", "language": "english"},
                "english_possessive": {"type": "stemmer", "language": "possessive_english"},
            },
            "analyzer": {
                "program_text": {
                    "tokenizer": "standard",
                    "filter": ["english_possessive", "lowercase", "asciifolding", "english_stemmer"],
                },
                "program_plain": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
            },
        },
    },
    "mappings": {
        "dynamic": "strict",
        "properties": {
            "slug": {"type": "keyword"},
            "name": {
                "type": "text",
                "analyzer": "program_text",
                "fields": {"plain": {"type": "text", "analyzer": "program_plain"}, "raw": {"type": "keyword"}},
            },
            "summary": {
                "type": "text",
                "analyzer": "program_text",
                "fields": {"plain": {"type": "text", "analyzer": "program_plain"}},
            },
            "country": {"type": "keyword"},
            "country_name": {"type": "text", "analyzer": "program_plain"},
            "category": {"type": "keyword"},
            "status": {"type": "keyword"},
        },
    },
}


def connect(url: str, timeout_s: float) -> AsyncOpenSearch:
    return AsyncOpenSearch(hosts=[url], timeout=timeout_s, max_retries=0, retry_on_timeout=False)


def _source(record: ProgramRecord, country_name: str) -> dict[str, Any]:
    p = record.program
    return {
        "slug": p.slug,
        "name": p.name,
        "summary": p.summary,
        "country": p.country,
        "country_name": country_name,
        "category": p.category.value,
        "status": p.status.value,
    }


def _filters(filter: ProgramFilter) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = []
    if filter.countries:
        clauses.append({"terms": {"country": list(filter.countries)}})
    if filter.categories:
        clauses.append({"terms": {"category": [c.value for c in filter.categories]}})
    if filter.statuses:
        clauses.append({"terms": {"status": [s.value for s in filter.statuses]}})
    return clauses


class ProgramSearchIndex:
    def __init__(self, client: AsyncOpenSearch, prefix: str) -> None:
        self.client = client
        self.alias = f"{prefix}-programs"

    async def search(self, text: str, filter: ProgramFilter, offset: int, limit: int) -> SearchHits:
        body = {
            "from": offset,
            "size": limit,
            "track_total_hits": True,
            "query": {
                "bool": {
                    "must": {
                        "multi_match": {
                            "query": text,
                            "fields": ["name^4", "name.plain^4", "summary", "summary.plain", "country_name^2"],
                            "fuzziness": "AUTO",
                            "prefix_length": 1,
                            "operator": "and",
                        }
                    },
                    "filter": _filters(filter),
                }
            },
            "aggs": {
                "countries": {"terms": {"field": "country", "size": 100}},
                "categories": {"terms": {"field": "category", "size": 20}},
            },
            "highlight": {
                "fields": {
                    field: {"fragment_size": 160, "number_of_fragments": 2}
                    for field in ("name", "name.plain", "summary", "summary.plain")
                }
            },
        }
        try:
            found = await self.client.search(index=self.alias, body=body)
        except _UNREACHABLE as error:
            raise SearchUnavailable(str(error)) from error
        except NotFoundError as error:  # never built yet: the document store answers meanwhile
            raise SearchUnavailable(f"no index behind {self.alias}") from error
        except TransportError as error:
            if error.status_code != 503:  # 503: no shard could answer (starting, or an index just dropped)
                raise
            raise SearchUnavailable(str(error)) from error
        hits = found["hits"]["hits"]
        return SearchHits(
            slugs=tuple(h["_id"] for h in hits),
            total=found["hits"]["total"]["value"],
            facets=Facets(_buckets(found, "countries"), _buckets(found, "categories")),
            highlights={h["_id"]: _snippets(h.get("highlight", {})) for h in hits},
        )

    async def upsert(self, record: ProgramRecord, country_name: str) -> None:
        """Write to every concrete index, so one being rebuilt right now does not miss the change."""
        try:
            targets = await self._concrete_indices()
            for index in targets:
                try:
                    await self.client.index(index=index, id=record.program.slug, body=_source(record, country_name))
                    await self.client.indices.refresh(index=index)
                except NotFoundError:  # an old index dropped by a rebuild since we listed it
                    continue
        except _UNREACHABLE as error:
            raise SearchUnavailable(str(error)) from error

    async def rebuild(self, records: Sequence[ProgramRecord], country_names: dict[str, str]) -> str:
        """The index swapped out is kept until the next rebuild: searches already routed to it still finish."""
        new = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        slow = {"request_timeout": _REBUILD_TIMEOUT_S}
        try:
            await self.client.indices.create(index=new, body=INDEX_BODY, params={"wait_for_active_shards": "1"}, **slow)
            await self.client.cluster.health(index=new, params={"wait_for_status": "yellow"}, **slow)
            actions = [
                {"_index": new, "_id": r.program.slug, "_source": _source(r, country_names.get(r.program.country, ""))}
                for r in records
            ]
            await async_bulk(self.client, actions, refresh=True, request_timeout=_REBUILD_TIMEOUT_S)
            old = [i for i in await self._concrete_indices() if i != new]
            aliased = [index for index in old if await self._aliased(index)]
            swap = [{"add": {"index": new, "alias": self.alias}}]
            swap += [{"remove": {"index": index, "alias": self.alias}} for index in aliased]
            await self.client.indices.update_aliases(body={"actions": swap}, **slow)
            for index in old:
                if index not in aliased:
                    await self.client.indices.delete(index=index, **slow)
        except _UNREACHABLE as error:
            raise SearchUnavailable(str(error)) from error
        return new

    async def drop(self) -> None:
        """Remove this prefix's indices (tests clean up with it)."""
        for index in await self._concrete_indices():
            await self.client.indices.delete(index=index)

    async def _concrete_indices(self) -> list[str]:
        try:
            found = await self.client.indices.get(index=f"{self.alias}-*")
        except NotFoundError:
            return []
        return sorted(found)

    async def _aliased(self, index: str) -> bool:
        try:
            return bool(await self.client.indices.exists_alias(name=self.alias, index=index))
        except TransportError:
            return False


def _snippets(highlight: dict[str, list[str]]) -> tuple[str, ...]:
    """Per field, the sub-field that marked the most words: a word can match stemmed, plain or fuzzily."""
    best: dict[str, list[str]] = {}
    for field, snippets in sorted(highlight.items()):
        base = field.split(".")[0]
        if sum(s.count("<em>") for s in snippets) > sum(s.count("<em>") for s in best.get(base, [])):
            best[base] = snippets
    return tuple(s for snippets in best.values() for s in snippets)


def _buckets(found: dict[str, Any], name: str) -> tuple[FacetCount, ...]:
    return tuple(FacetCount(b["key"], b["doc_count"]) for b in found["aggregations"][name]["buckets"])
