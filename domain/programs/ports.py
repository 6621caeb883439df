"""What the catalog use cases need from storage, search and cache — declared here, implemented in datasources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from domain.programs.model import Category, Country, Program, Status


@dataclass(frozen=True, slots=True)
class ProgramFilter:
    countries: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    statuses: tuple[Status, ...] = (Status.ACTIVE,)


@dataclass(frozen=True, slots=True)
class ProgramRecord:
    """A stored program: the current version number travels with it for optimistic updates."""

    program: Program
    version: int
    updated_at: datetime
    updated_by: str | None = None


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class Facets:
    countries: tuple[FacetCount, ...] = ()
    categories: tuple[FacetCount, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHits:
    slugs: tuple[str, ...]
    total: int
    facets: Facets
    highlights: dict[str, tuple[str, ...]] = field(default_factory=dict)


class SearchUnavailable(Exception):
    """The search engine did not answer; the use case falls back to the document store."""


class VersionConflict(Exception):
    """Someone else saved the program since the caller read it."""


class ProgramRepository(Protocol):
    async def by_slugs(self, slugs: Sequence[str]) -> list[ProgramRecord | None]: ...

    async def find(
        self, text: str | None, filter: ProgramFilter, offset: int, limit: int
    ) -> tuple[list[ProgramRecord], int]: ...

    async def facets(self, text: str | None, filter: ProgramFilter) -> Facets: ...

    async def insert(self, program: Program, at: datetime, actor: str | None) -> ProgramRecord: ...

    async def replace(
        self, program: Program, expected_version: int, at: datetime, actor: str | None
    ) -> ProgramRecord: ...

    async def history(self, slug: str) -> list[ProgramRecord]: ...

    async def all(self) -> list[ProgramRecord]: ...


class CountryRepository(Protocol):
    async def upsert_many(self, countries: Sequence[Country]) -> None: ...

    async def all(self) -> list[Country]: ...


class SearchIndex(Protocol):
    async def search(self, text: str, filter: ProgramFilter, offset: int, limit: int) -> SearchHits: ...

    async def upsert(self, record: ProgramRecord, country_name: str) -> None: ...

    async def rebuild(self, records: Sequence[ProgramRecord], country_names: dict[str, str]) -> str: ...


class CatalogCache(Protocol):
    async def get(self, key: str) -> tuple[object | None, str]:
        """The value (None on a miss) and the cache generation it was looked up in, for `set`."""
        ...

    async def set(self, key: str, value: object, generation: str) -> None: ...

    async def invalidate(self) -> None: ...
