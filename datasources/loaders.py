"""Per-request dataloaders: each tick's keys are looked up concurrently, one `_id` lookup per distinct key
(never `$in`: FerretDB scans the whole collection for it), and returned in key order."""

from collections.abc import Sequence
from dataclasses import dataclass

from aiodataloader import DataLoader
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.repos.programs import CountryRepository, ProgramRepository
from domain.programs.model import Country
from domain.programs.ports import ProgramRecord


class ProgramBySlugLoader(DataLoader[str, ProgramRecord | None]):
    def __init__(self, repository: ProgramRepository) -> None:
        super().__init__()
        self.repository = repository

    async def batch_load_fn(self, slugs: Sequence[str]) -> list[ProgramRecord | None]:
        return await self.repository.by_slugs(slugs)


class CountryByCodeLoader(DataLoader[str, Country | None]):
    def __init__(self, repository: CountryRepository) -> None:
        super().__init__()
        self.repository = repository

    async def batch_load_fn(self, codes: Sequence[str]) -> list[Country | None]:
        return await self.repository.by_codes(codes)


@dataclass
class Loaders:
    program_by_slug: ProgramBySlugLoader
    country_by_code: CountryByCodeLoader

    @classmethod
    def for_request(cls, db: AsyncDatabase) -> "Loaders":
        return cls(
            program_by_slug=ProgramBySlugLoader(ProgramRepository(db)),
            country_by_code=CountryByCodeLoader(CountryRepository(db)),
        )
