"""Programs in Mongo: the current version in `programs`, every version's snapshot in `program_versions`.

An edit is decided by inserting the next version's snapshot (`<slug>@<version>`, unique `_id`) before writing
the current document, as atomic.py does for revisions: of concurrent editors of one version exactly one wins,
and a snapshot whose current write never happened is rolled forward by the next editor."""

import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from datasources.mongo.lookups import lookup_many
from domain.programs.codec import country_from_data, country_to_data, program_from_data, program_to_data
from domain.programs.model import Country, Program
from domain.programs.ports import FacetCount, Facets, ProgramFilter, ProgramRecord, VersionConflict

ALL_BATCH = 100


def _record(doc: dict[str, Any]) -> ProgramRecord:
    return ProgramRecord(program_from_data(doc["data"]), doc["version"], doc["updated_at"], doc.get("updated_by"))


def _document(program: Program, version: int, at: datetime, actor: str | None) -> dict[str, Any]:
    # Query fields sit at the top level beside the full snapshot, so filters need no nested paths.
    return {
        "_id": program.slug,
        "version": version,
        "updated_at": at,
        "updated_by": actor,
        "name": program.name,
        "summary": program.summary,
        "country": program.country,
        "category": program.category.value,
        "status": program.status.value,
        "data": program_to_data(program),
    }


def _snapshot_of(document: dict[str, Any]) -> dict[str, Any]:
    return {**document, "_id": f"{document['_id']}@{document['version']}", "slug": document["_id"]}


def _query(text: str | None, filter: ProgramFilter) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if filter.countries:
        query["country"] = {"$in": list(filter.countries)}
    if filter.categories:
        query["category"] = {"$in": [c.value for c in filter.categories]}
    if filter.statuses:
        query["status"] = {"$in": [s.value for s in filter.statuses]}
    if text:
        # User text is escaped: a search string is never a pattern (FerretDB v1 refuses $text, so this is $regex).
        pattern = {"$regex": re.escape(text), "$options": "i"}
        query["$or"] = [{"name": pattern}, {"summary": pattern}, {"_id": pattern}]
    return query


class ProgramRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.current = db["programs"]
        self.versions = db["program_versions"]

    async def by_slugs(self, slugs: Sequence[str]) -> list[ProgramRecord | None]:
        found = await lookup_many(self.current, slugs)
        return [_record(found[slug]) if slug in found else None for slug in slugs]

    async def find(
        self, text: str | None, filter: ProgramFilter, offset: int, limit: int
    ) -> tuple[list[ProgramRecord], int]:
        query = _query(text, filter)
        cursor = self.current.find(query).sort([("name", ASCENDING), ("_id", ASCENDING)]).skip(offset).limit(limit)
        records = [_record(doc) async for doc in cursor]
        return records, await self.current.count_documents(query)

    async def facets(self, text: str | None, filter: ProgramFilter) -> Facets:
        """One aggregation grouped by (country, category); both facets are summed from it."""
        pipeline = [
            {"$match": _query(text, filter)},
            {"$group": {"_id": {"country": "$country", "category": "$category"}, "n": {"$sum": 1}}},
        ]
        countries: Counter[str] = Counter()
        categories: Counter[str] = Counter()
        async for row in await self.current.aggregate(pipeline):
            countries[row["_id"]["country"]] += row["n"]
            categories[row["_id"]["category"]] += row["n"]
        return Facets(_counts(countries), _counts(categories))

    async def insert(self, program: Program, at: datetime, actor: str | None) -> ProgramRecord:
        document = _document(program, 1, at, actor)
        await self.current.insert_one(document)
        await self._snapshot(document)
        return _record(document)

    async def replace(self, program: Program, expected_version: int, at: datetime, actor: str | None) -> ProgramRecord:
        current = await self._caught_up(program.slug)
        if current is None or current["version"] != expected_version:
            raise VersionConflict(program.slug)
        document = _document(program, expected_version + 1, at, actor)
        try:
            await self.versions.insert_one(_snapshot_of(document))
        except DuplicateKeyError:
            raise VersionConflict(program.slug) from None
        await self._write_current(document)
        return _record(document)

    async def _caught_up(self, slug: str) -> dict[str, Any] | None:
        """The current document, after writing any newer snapshot whose current write never happened."""
        current: dict[str, Any] | None = await self.current.find_one({"_id": slug})
        while current is not None:
            ahead = await self.versions.find_one({"_id": f"{slug}@{current['version'] + 1}"})
            if ahead is None:
                break
            current = {k: v for k, v in ahead.items() if k != "slug"} | {"_id": slug}
            await self._write_current(current)
        return current

    async def _write_current(self, document: dict[str, Any]) -> None:
        await self.current.replace_one({"_id": document["_id"], "version": {"$lt": document["version"]}}, document)

    async def _snapshot(self, document: dict[str, Any]) -> None:
        snapshot = _snapshot_of(document)
        await self.versions.replace_one({"_id": snapshot["_id"]}, snapshot, upsert=True)

    async def history(self, slug: str) -> list[ProgramRecord]:
        cursor = self.versions.find({"slug": slug}).sort("version", DESCENDING)
        return [_record(doc) async for doc in cursor]

    async def all(self) -> list[ProgramRecord]:
        # Unsorted, in batches of ALL_BATCH: the socket timeout bounds each batch, and FerretDB turns ~100
        # programs a second into BSON; a sort there reads every document before the first batch, which outlived
        # the timeout at 10,000 programs. Sorted here instead.
        cursor = self.current.find({}).batch_size(ALL_BATCH)
        records = [_record(doc) async for doc in cursor]
        return sorted(records, key=lambda r: r.program.slug)


class CountryRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["countries"]

    async def upsert_many(self, countries: Sequence[Country]) -> None:
        for country in countries:
            await self.collection.replace_one({"_id": country.code}, country_to_data(country), upsert=True)

    async def all(self) -> list[Country]:
        return [country_from_data(doc) async for doc in self.collection.find({}).sort("name", ASCENDING)]

    async def by_codes(self, codes: Sequence[str]) -> list[Country | None]:
        found = await lookup_many(self.collection, codes)
        return [country_from_data(found[code]) if code in found else None for code in codes]


def _counts(counter: Counter[str]) -> tuple[FacetCount, ...]:
    return tuple(FacetCount(value, n) for value, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
