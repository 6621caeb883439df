"""Roadmap use cases: create one from a program and the latest profile, read it, move its tasks along."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from domain.analytics.model import EventName, ServerEvent
from domain.analytics.ports import NO_ANALYTICS, Analytics
from domain.errors import BadUserInput, NotFound
from domain.recommendations.fact_values import FactValuesBuilder
from domain.recommendations.service import NoCompletedAssessment
from domain.roadmaps.checklist import countries_lived_in, personalised_checklist, with_residence_count
from domain.roadmaps.model import Roadmap, Task, TaskStatus
from domain.roadmaps.planning import PlanError, milestones, plan_steps
from domain.roadmaps.ports import (
    CountrySource,
    DocumentLedger,
    ProgramSource,
    RoadmapAllowance,
    RoadmapRepository,
    SnapshotSource,
)

MAX_LISTED = 50
MAX_COUNTRIES = 30
START_WINDOW = timedelta(days=5 * 366)
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class RoadmapNotFound(NotFound):
    def __init__(self, roadmap_id: str) -> None:
        super().__init__(f"no roadmap {roadmap_id!r} of yours", id=roadmap_id)


@dataclass(frozen=True, slots=True)
class RoadmapState:
    """A roadmap with the owner's verified document categories, which decide the checklist's boxes."""

    roadmap: Roadmap
    verified_categories: frozenset[str]


def _countries(given: Sequence[str]) -> tuple[str, ...]:
    codes = tuple(sorted({code.strip().upper() for code in given}))
    if len(codes) > MAX_COUNTRIES or not all(_COUNTRY.match(code) for code in codes):
        raise BadUserInput(
            f"countriesLivedIn takes up to {MAX_COUNTRIES} ISO 3166-1 alpha-2 codes", field="countriesLivedIn"
        )
    return codes


@dataclass
class Roadmaps:
    roadmaps: RoadmapRepository
    snapshots: SnapshotSource
    programs: ProgramSource
    countries: CountrySource
    documents: DocumentLedger
    clock: Callable[[], datetime]
    new_id: Callable[[], str] = field(default=lambda: secrets.token_hex(12))
    analytics: Analytics = NO_ANALYTICS
    allowance: RoadmapAllowance | None = None  # the plan's number of roadmaps (billing)

    async def create(
        self, owner_id: str, program_slug: str, start: date, lived_in: Sequence[str] | None = None
    ) -> RoadmapState:
        """Plan the program's steps from `start` and personalise its checklist with the latest profile."""
        today = self.clock().date()
        if abs(start - today) > START_WINDOW:
            raise BadUserInput("startDate must be within five years of today", field="startDate")
        snapshot = await self.snapshots.latest_for_owner(owner_id)
        if snapshot is None:
            raise NoCompletedAssessment()
        [record] = await self.programs.by_slugs([program_slug])
        if record is None:
            raise NotFound(f"no program {program_slug!r}", slug=program_slug)
        program = record.program
        if not program.steps:
            raise BadUserInput(f"{program.name} has no application steps to plan", field="programSlug")
        [country] = await self.countries.by_codes([program.country])
        if country is None:
            raise NotFound(f"no country {program.country!r}", slug=program_slug)
        try:
            planned = plan_steps(program.steps, start)
        except PlanError as error:
            raise BadUserInput(f"{program.name}: {error}", field="programSlug") from None
        countries = countries_lived_in(snapshot.profile, program.country) if lived_in is None else _countries(lived_in)
        facts = FactValuesBuilder(snapshot.profile, snapshot.supplement, today).for_program(program, country)
        roadmap_id = self.new_id()
        now = self.clock()
        roadmap = Roadmap(
            id=roadmap_id,
            owner_id=owner_id,
            program_slug=program.slug,
            program_name=program.name,
            country=program.country,
            start_date=start,
            snapshot_id=snapshot.id,
            countries_lived_in=countries,
            milestones=milestones(planned),
            checklist=personalised_checklist(program.documents, with_residence_count(facts, countries), countries),
            created_at=now,
            tasks=tuple(
                Task(
                    id=f"{roadmap_id}:{step.key}",
                    roadmap_id=roadmap_id,
                    owner_id=owner_id,
                    position=i,
                    step=step,
                    updated_at=now,
                )
                for i, step in enumerate(planned)
            ),
        )
        if self.allowance is not None:  # last, so a refused request for another reason uses up nothing
            await self.allowance.take_roadmap(owner_id)
        await self.roadmaps.insert(roadmap)
        self.analytics.emit(ServerEvent(EventName.ROADMAP_CREATED, owner_id, props={"program": program.slug}))
        return RoadmapState(roadmap, await self.documents.verified_categories(owner_id))

    async def _roadmap(self, owner_id: str, roadmap_id: str) -> Roadmap:
        found = await self.roadmaps.for_owner(owner_id, roadmap_id)
        if found is None:
            raise RoadmapNotFound(roadmap_id)
        return found

    async def get(self, owner_id: str, roadmap_id: str) -> RoadmapState:
        roadmap = await self._roadmap(owner_id, roadmap_id)
        return RoadmapState(roadmap, await self.documents.verified_categories(owner_id))

    async def mine(self, owner_id: str) -> list[RoadmapState]:
        found = await self.roadmaps.list_for_owner(owner_id, MAX_LISTED)
        verified = await self.documents.verified_categories(owner_id)
        return [RoadmapState(roadmap, verified) for roadmap in found]

    async def update_task(self, owner_id: str, roadmap_id: str, key: str, status: TaskStatus) -> RoadmapState:
        roadmap = await self._roadmap(owner_id, roadmap_id)
        if roadmap.task(key) is None:
            raise BadUserInput(f"the roadmap has no task {key!r}", field="taskKey")
        if not await self.roadmaps.set_task_status(owner_id, roadmap_id, key, status, self.clock()):
            raise RoadmapNotFound(roadmap_id)
        return await self.get(owner_id, roadmap_id)
