"""Catalog use cases: list and search (with a fallback when search is down), read, and versioned writes."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from domain.errors import BadUserInput, NotFound
from domain.programs.codec import country_from_data, country_to_data, program_from_data, program_to_data
from domain.programs.model import Country, Program, Status
from domain.programs.ports import (
    CatalogCache,
    CountryRepository,
    FacetCount,
    Facets,
    ProgramFilter,
    ProgramRecord,
    ProgramRepository,
    SearchIndex,
    SearchUnavailable,
    VersionConflict,
)

log = logging.getLogger(__name__)

MAX_PAGE = 100
ALL_PROGRAMS_KEY = "all-programs"


@dataclass(frozen=True, slots=True)
class ProgramPage:
    records: tuple[ProgramRecord, ...]
    total: int
    offset: int
    facets: Facets
    highlights: dict[str, tuple[str, ...]]
    backend: str  # "opensearch" or "mongodb"
    degraded: bool  # True when search was wanted but answered from the fallback


MEMO_PAGES = 64
"""Catalog pages kept built, most recently rebuilt last."""


@dataclass
class Catalog:
    programs: ProgramRepository
    countries: CountryRepository
    index: SearchIndex
    cache: CatalogCache
    clock: Callable[[], datetime]
    _pages: dict[str, tuple[object, ProgramPage]] = field(default_factory=dict, init=False, repr=False, compare=False)

    async def list_programs(self, text: str | None, filter: ProgramFilter, offset: int, limit: int) -> ProgramPage:
        if not 0 < limit <= MAX_PAGE:
            raise BadUserInput(f"first must be between 1 and {MAX_PAGE}", field="first")
        text = (text or "").strip() or None
        if text and len(text) > 200:
            raise BadUserInput("search text is limited to 200 characters", field="search")
        key = _cache_key(text, filter, offset, limit)
        cached, generation = await self.cache.get(key)
        if cached is not None:
            return self._page(key, cached)
        page = await self._search(text, filter, offset, limit) if text else await self._browse(filter, offset, limit)
        if not page.degraded:
            await self.cache.set(key, _page_to_data(page), generation)
        return page

    def _page(self, key: str, cached: object) -> ProgramPage:
        """Built once per cached payload: the cache hands back the same object while the payload is unchanged."""
        known = self._pages.get(key)
        if known is not None and known[0] is cached:
            return known[1]
        page = _page_from_data(cached)
        self._pages.pop(key, None)
        self._pages[key] = (cached, page)
        if len(self._pages) > MEMO_PAGES:
            del self._pages[next(iter(self._pages))]
        return page

    async def _browse(self, filter: ProgramFilter, offset: int, limit: int) -> ProgramPage:
        records, total = await self.programs.find(None, filter, offset, limit)
        facets = await self.programs.facets(None, filter)
        return ProgramPage(tuple(records), total, offset, facets, {}, "mongodb", False)

    async def _search(self, text: str, filter: ProgramFilter, offset: int, limit: int) -> ProgramPage:
        try:
            hits = await self.index.search(text, filter, offset, limit)
        except SearchUnavailable:
            log.warning("search unavailable, answering from the document store")
            records, total = await self.programs.find(text, filter, offset, limit)
            facets = await self.programs.facets(text, filter)
            return ProgramPage(tuple(records), total, offset, facets, {}, "mongodb", True)
        found = await self.programs.by_slugs(hits.slugs)
        hits_in_order = tuple(r for r in found if r is not None)
        return ProgramPage(hits_in_order, hits.total, offset, hits.facets, hits.highlights, "opensearch", False)

    async def get(self, slug: str) -> ProgramRecord:
        [record] = await self.programs.by_slugs([slug])
        if record is None:
            raise NotFound(f"no program {slug!r}", slug=slug)
        return record

    async def list_countries(self) -> list[Country]:
        return await self.countries.all()

    async def history(self, slug: str) -> list[ProgramRecord]:
        return await self.programs.history(slug)

    async def create(self, data: dict[str, Any], actor: str | None) -> ProgramRecord:
        program = _parse(data)
        await self._known_country(program.country)
        [existing] = await self.programs.by_slugs([program.slug])
        if existing is not None:
            raise BadUserInput(f"a program {program.slug!r} exists already", field="slug")
        record = await self.programs.insert(program, self.clock(), actor)
        await self._after_write(record)
        return record

    async def update(
        self, slug: str, changes: dict[str, Any], expected_version: int, actor: str | None
    ) -> ProgramRecord:
        current = await self.get(slug)
        if "slug" in changes and changes["slug"] != slug:
            raise BadUserInput("a program's slug cannot change", field="slug")
        program = _parse({**program_to_data(current.program), **changes})
        await self._known_country(program.country)
        return await self._replace(program, expected_version, actor)

    async def set_status(self, slug: str, status: Status, expected_version: int, actor: str | None) -> ProgramRecord:
        current = await self.get(slug)
        return await self._replace(replace(current.program, status=status), expected_version, actor)

    async def _replace(self, program: Program, expected_version: int, actor: str | None) -> ProgramRecord:
        try:
            record = await self.programs.replace(program, expected_version, self.clock(), actor)
        except VersionConflict:
            raise BadUserInput(
                "the program changed since you read it; reload and apply your change again", field="version"
            ) from None
        await self._after_write(record)
        return record

    async def _after_write(self, record: ProgramRecord) -> None:
        await self.cache.invalidate()
        names = await self._country_names()
        try:
            await self.index.upsert(record, names.get(record.program.country, record.program.country))
        except SearchUnavailable:
            # The document store holds the change; `reindex` brings search up to date later.
            log.warning("program %s saved but not indexed: search unavailable", record.program.slug)

    async def _known_country(self, code: str) -> None:
        if code not in await self._country_names():
            raise BadUserInput(f"unknown country {code!r}", field="country")

    async def _country_names(self) -> dict[str, str]:
        return {c.code: c.name for c in await self.countries.all()}

    async def reindex(self) -> str:
        """Build a fresh index from the document store and swap the alias: search keeps answering."""
        return await self.index.rebuild(await self.programs.all(), await self._country_names())

    async def seed(self, programs: Sequence[Program], countries: Sequence[Country], actor: str) -> int:
        """Load the curated catalog; a program whose content changed gets a new version. Returns changes."""
        await self.countries.upsert_many(countries)
        existing = {r.program.slug: r for r in await self.programs.all()}
        changed = 0
        for program in programs:
            current = existing.get(program.slug)
            if current is None:
                await self.programs.insert(program, self.clock(), actor)
            elif program_to_data(current.program) != program_to_data(program):
                await self.programs.replace(program, current.version, self.clock(), actor)
            else:
                continue
            changed += 1
        await self.cache.invalidate()
        await self.reindex()
        return changed


def _parse(data: dict[str, Any]) -> Program:
    try:
        return program_from_data(data)
    except (KeyError, ValueError, TypeError) as error:
        raise BadUserInput(f"invalid program: {error}", field="input") from None


def _cache_key(text: str | None, filter: ProgramFilter, offset: int, limit: int) -> str:
    raw = json.dumps([text, filter.countries, filter.categories, filter.statuses, offset, limit], default=str)
    return "programs:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _record_to_data(record: ProgramRecord) -> dict[str, Any]:
    return {
        "program": program_to_data(record.program),
        "version": record.version,
        "updated_at": record.updated_at.isoformat(),
        "updated_by": record.updated_by,
    }


def _record_from_data(data: Any) -> ProgramRecord:
    return ProgramRecord(
        program_from_data(data["program"]),
        data["version"],
        datetime.fromisoformat(data["updated_at"]),
        data["updated_by"],
    )


def _page_to_data(page: ProgramPage) -> dict[str, Any]:
    return {
        "records": [_record_to_data(r) for r in page.records],
        "total": page.total,
        "offset": page.offset,
        "facets": {
            "countries": [[f.value, f.count] for f in page.facets.countries],
            "categories": [[f.value, f.count] for f in page.facets.categories],
        },
        "highlights": {slug: list(snippets) for slug, snippets in page.highlights.items()},
        "backend": page.backend,
    }


def _page_from_data(data: Any) -> ProgramPage:
    records = tuple(_record_from_data(r) for r in data["records"])
    facets = Facets(
        tuple(FacetCount(v, c) for v, c in data["facets"]["countries"]),
        tuple(FacetCount(v, c) for v, c in data["facets"]["categories"]),
    )
    highlights = {slug: tuple(s) for slug, s in data["highlights"].items()}
    return ProgramPage(records, data["total"], data["offset"], facets, highlights, data["backend"], False)


@dataclass
class CachedPrograms:
    """Every program through the catalog cache, for readers of the whole catalog (ranking reads it on every
    request). The catalog changes only through `Catalog`'s writes, and each of them invalidates this cache."""

    programs: ProgramRepository
    cache: CatalogCache
    _decoded: tuple[object, list[ProgramRecord], dict[str, ProgramRecord]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _reading: dict[str, asyncio.Future[list[ProgramRecord]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    async def all(self) -> list[ProgramRecord]:
        return (await self.versioned())[1]

    async def versioned(self) -> tuple[str, list[ProgramRecord]]:
        """Every program and the cache generation it belongs to ("" when the cache could not say)."""
        cached, generation = await self.cache.get(ALL_PROGRAMS_KEY)
        if isinstance(cached, list):
            return generation, list(self._records(cached)[1])
        return generation, list(await self._read(generation))

    async def _read(self, generation: str) -> list[ProgramRecord]:
        """The catalog from the database into the cache, one read per generation at a time in this process:
        requests that miss together wait for the same read (a whole catalog is seconds of work for FerretDB at
        1,000 programs). The read is shielded, so one waiter giving up does not cancel it for the others."""
        reading = self._reading.get(generation)
        if reading is None:
            reading = self._reading[generation] = asyncio.ensure_future(self._fill(generation))
            reading.add_done_callback(lambda _: self._reading.pop(generation, None))
        return await asyncio.shield(reading)

    async def _fill(self, generation: str) -> list[ProgramRecord]:
        records = await self.programs.all()
        await self.cache.set(ALL_PROGRAMS_KEY, [_record_to_data(r) for r in records], generation)
        return records

    async def by_slugs(self, slugs: Sequence[str]) -> list[ProgramRecord | None]:
        cached, generation = await self.cache.get(ALL_PROGRAMS_KEY)
        if isinstance(cached, list):
            by_slug = self._records(cached)[2]
        else:  # read under the generation just looked up, not a second lookup
            by_slug = {r.program.slug: r for r in await self._read(generation)}
        return [by_slug.get(slug) for slug in slugs]

    def _records(self, cached: list[Any]) -> tuple[object, list[ProgramRecord], dict[str, ProgramRecord]]:
        """Records and their slug index, built once per payload: the cache hands back the same object while the
        payload is unchanged, and ranking reads the whole catalog on every request."""
        if self._decoded is None or self._decoded[0] is not cached:
            records = [_record_from_data(r) for r in cached]
            self._decoded = (cached, records, {r.program.slug: r for r in records})
        return self._decoded


ALL_COUNTRIES_KEY = "all-countries"


@dataclass
class CachedCountries:
    """Every country through the catalog cache, for the loaders and ranking that read them on every request;
    countries change only when the catalog is seeded, which invalidates this cache."""

    countries: CountryRepository
    cache: CatalogCache
    _decoded: tuple[object, list[Country]] | None = field(default=None, init=False, repr=False, compare=False)

    async def all(self) -> list[Country]:
        cached, generation = await self.cache.get(ALL_COUNTRIES_KEY)
        if isinstance(cached, list):
            if self._decoded is None or self._decoded[0] is not cached:
                self._decoded = (cached, [country_from_data(c) for c in cached])
            return list(self._decoded[1])
        countries = await self.countries.all()
        await self.cache.set(ALL_COUNTRIES_KEY, [country_to_data(c) for c in countries], generation)
        return countries

    async def by_codes(self, codes: Sequence[str]) -> list[Country | None]:
        by_code = {c.code: c for c in await self.all()}
        return [by_code.get(code) for code in codes]
