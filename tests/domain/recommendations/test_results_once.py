"""Results are computed once per (snapshot, catalog generation, day): pages, points and gaps of a snapshot are
served from what was computed, and a new catalog generation or another day computes afresh."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import MappingProxyType

from domain.assessment.snapshot import ProfileSnapshot
from domain.programs.catalog import CATALOG, COUNTRIES
from domain.programs.model import Country
from domain.programs.ports import ProgramRecord
from domain.recommendations.service import Recommendations
from tests.builders.profiles import make_profile

NOW = datetime(2026, 12, 1, tzinfo=UTC)
CRS = "ca-express-entry-fsw"


@dataclass
class Programs:
    generation: str = "1"
    reads: int = 0
    records: list[ProgramRecord] = field(default_factory=lambda: [ProgramRecord(p, 1, NOW) for p in CATALOG])

    async def all(self) -> list[ProgramRecord]:
        return (await self.versioned())[1]

    async def versioned(self) -> tuple[str, list[ProgramRecord]]:
        self.reads += 1
        return self.generation, list(self.records)

    async def by_slugs(self, slugs: Sequence[str]) -> list[ProgramRecord | None]:
        by_slug = {r.program.slug: r for r in self.records}
        return [by_slug.get(s) for s in slugs]


class Countries:
    async def all(self) -> list[Country]:
        return list(COUNTRIES)

    async def by_codes(self, codes: Sequence[str]) -> list[Country | None]:
        by_code = {c.code: c for c in COUNTRIES}
        return [by_code.get(c) for c in codes]


class Snapshots:
    async def latest_for_owner(self, user_id: str) -> ProfileSnapshot | None:
        return None

    async def version_for_owner(self, user_id: str) -> str | None:
        return None


def _snapshot(snapshot_id: str = "s1") -> ProfileSnapshot:
    return ProfileSnapshot(snapshot_id, "a1", "u1", NOW, 1, MappingProxyType({}), make_profile())


def _service(programs: Programs) -> Recommendations:
    return Recommendations(Snapshots(), programs, Countries(), lambda: NOW)


async def test_the_pages_of_one_snapshot_come_from_one_ranking() -> None:
    service = _service(Programs())
    snapshot = _snapshot()

    first = await service.ranked_for(snapshot, 0, 10)
    second = await service.ranked_for(snapshot, 10, 10)
    again = await service.ranked_for(snapshot, 0, 10)

    assert service.results.computed == 2  # the ranking and its page's gap reports, once each
    assert [r.program.slug for r in again.items] == [r.program.slug for r in first.items]
    assert first.total == second.total > 20
    assert {r.rank for r in second.items} == set(range(11, 21))


async def test_gap_reports_of_a_page_are_computed_once_and_only_for_its_targets() -> None:
    service = _service(Programs())
    snapshot = _snapshot()

    page = await service.ranked_for(snapshot, 0, 20)
    offered = [r.program.slug for r in page.items if page.gap_report(r) is not None]
    later = await service.ranked_for(snapshot, 0, 20)

    assert offered and set(offered) == {r.program.slug for r in page.items} & page.gap_targets
    assert set(later.reports) == set(offered)  # the next request finds them computed
    assert later.gap_report(later.items[0]) is page.reports[later.items[0].program.slug]


async def test_a_new_catalog_generation_or_another_day_computes_afresh() -> None:
    programs = Programs()
    service = _service(programs)
    snapshot = _snapshot()

    await service.ranked_for(snapshot, 0, 10)
    programs.generation = "2"
    await service.ranked_for(snapshot, 0, 10)
    await service.ranked_for(snapshot, 0, 10, on=date(2026, 6, 1))

    assert service.results.computed == 6


async def test_an_unknown_generation_caches_nothing() -> None:
    service = _service(Programs(generation=""))
    snapshot = _snapshot()

    await service.ranked_for(snapshot, 0, 10)
    await service.ranked_for(snapshot, 0, 10)

    assert service.results.computed == 4


async def test_points_and_gaps_of_a_program_are_computed_once_per_snapshot() -> None:
    service = _service(Programs())

    points = await service.points_for(_snapshot(), CRS)
    same_points = await service.points_for(_snapshot(), CRS)
    gaps = await service.gaps_for(_snapshot(), CRS)
    same_gaps = await service.gaps_for(_snapshot(), CRS)
    other = await service.gaps_for(_snapshot("s2"), CRS)

    assert same_points.result is points.result and same_gaps is gaps
    assert other is not gaps and [g.change.key for g in other.suggestions] == [g.change.key for g in gaps.suggestions]
    assert service.results.computed == 3
