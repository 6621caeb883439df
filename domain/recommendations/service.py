"""Recommendation use cases: ranked programs, one program's points, its gaps.

Each scores one profile snapshot on today's date, so age and test expiry are current: the signed-in person's
latest (`ranked`, `points`, `gaps`), or one the caller already opened — an anonymous assessment's, reached with
its resume token, or an older one of the person's (`ranked_for`, `points_for`, `gaps_for`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from domain.analytics.model import EventName, ServerEvent
from domain.analytics.ports import NO_ANALYTICS, Analytics
from domain.assessment.snapshot import ProfileSnapshot
from domain.errors import BadUserInput, NotFound
from domain.points import PointsResult, score
from domain.programs.model import Country, Program
from domain.programs.ports import ProgramRecord
from domain.recommendations.gaps import GapReport, gap_report
from domain.recommendations.ranking import CutoffComparison, Recommendation, cutoff_comparison, rank_programs
from domain.recommendations.results import ComputedResults

MAX_PAGE = 100
GAP_TOP = 3
"""Gap analysis is offered for the best few programs and every near miss."""


class SnapshotReader(Protocol):
    async def latest_for_owner(self, user_id: str) -> ProfileSnapshot | None: ...

    async def version_for_owner(self, user_id: str) -> str | None:
        """A value that changes whenever the person's latest snapshot may have (None when unknown)."""
        ...


class ProgramReader(Protocol):
    async def all(self) -> list[ProgramRecord]: ...

    async def versioned(self) -> tuple[str, list[ProgramRecord]]:
        """Every program and the catalog generation it was read in ("" when that is unknown)."""
        ...

    async def by_slugs(self, slugs: Sequence[str]) -> list[ProgramRecord | None]: ...


class CountryReader(Protocol):
    async def all(self) -> list[Country]: ...

    async def by_codes(self, codes: Sequence[str]) -> list[Country | None]: ...


@dataclass(frozen=True, slots=True)
class RankedPage:
    snapshot: ProfileSnapshot
    on: date
    items: tuple[Recommendation, ...]
    total: int
    offset: int
    countries: dict[str, Country]
    reports: dict[str, GapReport] = field(default_factory=dict, compare=False, repr=False)
    """Gap reports of this ranking's targets, computed on first use and kept with the ranking."""

    @property
    def gap_targets(self) -> frozenset[str]:
        """Slugs on this page worth a gap analysis."""
        return gap_targets(self.items)

    def gap_report(self, recommendation: Recommendation) -> GapReport | None:
        """The gap analysis offered beside a ranked program: only for the gap targets."""
        program = recommendation.program
        if program.slug not in self.gap_targets:
            return None
        if program.slug not in self.reports:
            country = self.countries[program.country]
            self.reports[program.slug] = gap_report(
                self.snapshot.profile, self.snapshot.supplement, program, country, self.on
            )
        return self.reports[program.slug]


@dataclass(frozen=True, slots=True)
class PointsBreakdown:
    program: Program
    result: PointsResult
    cutoff: CutoffComparison | None


def gap_targets(ranked: Sequence[Recommendation]) -> frozenset[str]:
    """Slugs worth a gap analysis: the top few, and every near miss."""
    return frozenset(r.program.slug for r in ranked if r.rank <= GAP_TOP or r.near_miss)


class NoCompletedAssessment(NotFound):
    def __init__(self) -> None:
        super().__init__("complete an assessment first", reason="NO_COMPLETED_ASSESSMENT")


@dataclass
class Recommendations:
    snapshots: SnapshotReader
    programs: ProgramReader
    countries: CountryReader
    clock: Callable[[], datetime]
    results: ComputedResults = field(default_factory=ComputedResults)
    analytics: Analytics = NO_ANALYTICS

    async def _snapshot(self, user_id: str) -> ProfileSnapshot:
        snapshot = await self.snapshots.latest_for_owner(user_id)
        if snapshot is None:
            raise NoCompletedAssessment()
        return snapshot

    def _day(self, on: date | None) -> date:
        """The day scored: today by default, or another day to see the rules in force then (ages and test
        validity move with it); a day before the oldest rule set held is refused (BAD_USER_INPUT, field on)."""
        return self.clock().date() if on is None else on

    async def version(self, user_id: str) -> str | None:
        """All a person's results depend on besides the code, the request and the catalog: their latest snapshot
        (by its version) and today (the default day scored). Equal versions under one catalog generation give
        equal answers, so a response cache kept per generation may key on it; None when the snapshot's is
        unknown."""
        snapshots = await self.snapshots.version_for_owner(user_id)
        if snapshots is None:
            return None
        return f"{snapshots}:{self.clock().date().isoformat()}"

    async def ranked(self, user_id: str, offset: int, first: int, on: date | None = None) -> RankedPage:
        return await self.ranked_for(await self._snapshot(user_id), offset, first, on)

    async def points(self, user_id: str, slug: str, on: date | None = None) -> PointsBreakdown:
        return await self.points_for(await self._snapshot(user_id), slug, on)

    async def gaps(self, user_id: str, slug: str, on: date | None = None) -> GapReport:
        return await self.gaps_for(await self._snapshot(user_id), slug, on)

    async def ranked_for(
        self, snapshot: ProfileSnapshot, offset: int, first: int, on: date | None = None
    ) -> RankedPage:
        if not 0 < first <= MAX_PAGE:
            raise BadUserInput(f"first must be between 1 and {MAX_PAGE}", field="first")
        generation, records = await self.programs.versioned()
        countries = {c.code: c for c in await self.countries.all()}
        day = self._day(on)
        ranked = self.results.get_or_compute(
            generation,
            ("ranking", snapshot.id, day),
            lambda: rank_programs(snapshot.profile, snapshot.supplement, (r.program for r in records), countries, day),
        )
        reports: dict[str, GapReport] = self.results.get_or_compute(generation, ("page gaps", snapshot.id, day), dict)
        if offset == 0:  # the results screen opened, not a further page of it
            self.analytics.emit(ServerEvent(EventName.RESULTS_VIEWED, snapshot.owner_id, snapshot.assessment_id))
        return RankedPage(snapshot, day, ranked[offset : offset + first], len(ranked), offset, countries, reports)

    async def _program(self, slug: str) -> tuple[str, Program, Country]:
        generation, records = await self.programs.versioned()
        record = next((r for r in records if r.program.slug == slug), None)
        if record is None:
            raise NotFound(f"no program {slug!r}", slug=slug)
        [country] = await self.countries.by_codes([record.program.country])
        if country is None:
            raise NotFound(f"no country {record.program.country!r}", slug=slug)
        return generation, record.program, country

    async def points_for(self, snapshot: ProfileSnapshot, slug: str, on: date | None = None) -> PointsBreakdown:
        generation, program, _ = await self._program(slug)
        system = program.points_system
        if system is None:
            raise BadUserInput(f"{program.name} has no points test", field="programSlug")
        day = self._day(on)
        result = self.results.get_or_compute(
            generation, ("points", snapshot.id, slug, day), lambda: score(system, snapshot.profile, day)
        )
        return PointsBreakdown(program, result, cutoff_comparison(program, result))

    async def gaps_for(self, snapshot: ProfileSnapshot, slug: str, on: date | None = None) -> GapReport:
        generation, program, country = await self._program(slug)
        day = self._day(on)
        return self.results.get_or_compute(
            generation,
            ("gaps", snapshot.id, slug, day),
            lambda: gap_report(snapshot.profile, snapshot.supplement, program, country, day),
        )
