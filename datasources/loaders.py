"""Per-request dataloaders, one per relation a GraphQL type follows (`<Thing>By<Key>Loader`): each tick's keys
are looked up concurrently, each distinct key once (never `$in`: FerretDB scans the whole collection for it),
and answered in key order. A key that fails fails alone."""

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from aiodataloader import DataLoader

from domain.assessment.model import Assessment
from domain.assessment.service import Assessments
from domain.assessment.snapshot import ProfileSnapshot
from domain.billing.service import Billing, Standing
from domain.jobs.model import Job
from domain.jobs.service import JobTracker
from domain.programs.model import Country
from domain.programs.ports import ProgramRecord
from domain.programs.service import Catalog
from domain.recommendations.gaps import GapReport
from domain.recommendations.service import PointsBreakdown, RankedPage, Recommendations

K = TypeVar("K")
V = TypeVar("V")


class ProgramsBySlug(Protocol):
    async def by_slugs(self, slugs: Sequence[str]) -> list[ProgramRecord | None]: ...


class ProgramBySlugLoader(DataLoader[str, ProgramRecord | None]):
    def __init__(self, repository: ProgramsBySlug) -> None:
        super().__init__()
        self.repository = repository

    async def batch_load_fn(self, slugs: Sequence[str]) -> list[ProgramRecord | None]:
        return await self.repository.by_slugs(slugs)


class CountriesByCode(Protocol):
    async def by_codes(self, codes: Sequence[str]) -> list[Country | None]: ...


class CountryByCodeLoader(DataLoader[str, Country | None]):
    def __init__(self, repository: CountriesByCode) -> None:
        super().__init__()
        self.repository = repository

    async def batch_load_fn(self, codes: Sequence[str]) -> list[Country | None]:
        return await self.repository.by_codes(codes)


class EachKeyLoader(DataLoader[K, V]):
    """A loader over a use case that answers one key at a time: the keys of a tick run concurrently, and a
    key that raises rejects only its own load. `cache_key` names keys that carry unhashable domain objects."""

    def __init__(self, fetch: Callable[[K], Awaitable[V]], cache_key: Callable[[K], Hashable] | None = None) -> None:
        super().__init__(get_cache_key=cache_key)
        self.fetch = fetch

    async def batch_load_fn(self, keys: Sequence[K]) -> list[V]:
        # aiodataloader rejects a key whose value is an exception: only that key's load fails.
        return await asyncio.gather(*(self.fetch(key) for key in keys), return_exceptions=True)  # type: ignore[return-value]


class ProgramHistoryBySlugLoader(EachKeyLoader[str, list[ProgramRecord]]):
    def __init__(self, catalog: Catalog) -> None:
        super().__init__(catalog.history)


class LatestSnapshotByAssessmentLoader(EachKeyLoader[Assessment, ProfileSnapshot | None]):
    """The latest snapshot of an assessment the caller has already opened (keyed by assessment and snapshot)."""

    def __init__(self, assessments: Assessments) -> None:
        super().__init__(assessments.latest_snapshot, lambda a: (a.id, a.latest_snapshot_id))


class JobByOwnerAndIdLoader(EachKeyLoader[tuple[str, str], Job]):
    def __init__(self, jobs: JobTracker) -> None:
        super().__init__(lambda key: jobs.get(*key))


class SubscriptionByOwnerLoader(EachKeyLoader[str, Standing]):
    """The plan in force for a person, its subscription and this month's usage."""

    def __init__(self, billing: Billing) -> None:
        super().__init__(billing.standing)


RankingKey = tuple[ProfileSnapshot, int, int, date | None]
ProgramKey = tuple[ProfileSnapshot, str, date | None]


def _by_snapshot_id(key: tuple[Any, ...]) -> Hashable:
    return (key[0].id, *key[1:])


class RankingBySnapshotLoader(EachKeyLoader[RankingKey, RankedPage]):
    def __init__(self, recommendations: Recommendations) -> None:
        super().__init__(lambda key: recommendations.ranked_for(*key), _by_snapshot_id)


class PointsBySnapshotLoader(EachKeyLoader[ProgramKey, PointsBreakdown]):
    def __init__(self, recommendations: Recommendations) -> None:
        super().__init__(lambda key: recommendations.points_for(*key), _by_snapshot_id)


class GapsBySnapshotLoader(EachKeyLoader[ProgramKey, GapReport]):
    def __init__(self, recommendations: Recommendations) -> None:
        super().__init__(lambda key: recommendations.gaps_for(*key), _by_snapshot_id)


@dataclass(frozen=True)
class Loaders:
    program_by_slug: ProgramBySlugLoader
    country_by_code: CountryByCodeLoader
    program_history_by_slug: ProgramHistoryBySlugLoader
    latest_snapshot_by_assessment: LatestSnapshotByAssessmentLoader
    job_by_owner_and_id: JobByOwnerAndIdLoader
    ranking_by_snapshot: RankingBySnapshotLoader
    points_by_snapshot: PointsBySnapshotLoader
    gaps_by_snapshot: GapsBySnapshotLoader
    subscription_by_owner: SubscriptionByOwnerLoader

    @classmethod
    def for_request(
        cls,
        programs: ProgramsBySlug,
        countries: CountriesByCode,
        catalog: Catalog,
        assessments: Assessments,
        jobs: JobTracker,
        recommendations: Recommendations,
        billing: Billing,
    ) -> "Loaders":
        return cls(
            program_by_slug=ProgramBySlugLoader(programs),
            country_by_code=CountryByCodeLoader(countries),
            program_history_by_slug=ProgramHistoryBySlugLoader(catalog),
            latest_snapshot_by_assessment=LatestSnapshotByAssessmentLoader(assessments),
            job_by_owner_and_id=JobByOwnerAndIdLoader(jobs),
            ranking_by_snapshot=RankingBySnapshotLoader(recommendations),
            points_by_snapshot=PointsBySnapshotLoader(recommendations),
            gaps_by_snapshot=GapsBySnapshotLoader(recommendations),
            subscription_by_owner=SubscriptionByOwnerLoader(billing),
        )
