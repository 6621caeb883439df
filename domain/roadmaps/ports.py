"""What the roadmap and report use cases need from outside, declared narrowly and implemented in datasources.

The profile, programs and recommendations come from the assessment and recommendation areas: these
Protocols name only the calls made here, so their services and repositories satisfy them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from domain.assessment.snapshot import ProfileSnapshot
from domain.notifications.model import Message
from domain.programs.model import Country
from domain.programs.ports import ProgramRecord
from domain.recommendations.gaps import GapReport
from domain.recommendations.service import PointsBreakdown, RankedPage
from domain.roadmaps.model import Roadmap, Task, TaskStatus
from domain.roadmaps.reports import Report, ReportData


@dataclass(frozen=True, slots=True)
class Contact:
    user_id: str
    name: str
    email: str
    wants_email: bool  # email is among the person's notification channels


class RoadmapRepository(Protocol):
    async def insert(self, roadmap: Roadmap) -> None: ...

    async def for_owner(self, owner_id: str, roadmap_id: str) -> Roadmap | None:
        """The roadmap (with its tasks) only for its owner: another person's id is not found."""
        ...

    async def list_for_owner(self, owner_id: str, limit: int) -> list[Roadmap]: ...

    async def set_task_status(self, owner_id: str, roadmap_id: str, key: str, status: TaskStatus, at: datetime) -> bool:
        """False when the owner has no such roadmap or task."""
        ...


class Notifier(Protocol):
    """The notification use case (domain.notifications): records and queues a notice once per key."""

    async def notify(self, user_id: str, message: Message, key: str) -> Sequence[object]: ...


class ReminderQueue(Protocol):
    """Tasks due soon and not yet reminded; claiming one is atomic, so two runs never mail twice."""

    async def due_between(self, first: date, last: date, limit: int) -> list[Task]: ...

    async def claim_reminder(self, task_id: str, now: datetime, stale_before: datetime) -> bool: ...

    async def mark_reminded(self, task_id: str, at: datetime) -> None: ...

    async def release_reminder(self, task_id: str) -> None: ...


class SnapshotSource(Protocol):
    async def latest_for_owner(self, user_id: str) -> ProfileSnapshot | None: ...


class ProgramSource(Protocol):
    async def by_slugs(self, slugs: Sequence[str]) -> list[ProgramRecord | None]: ...


class CountrySource(Protocol):
    async def by_codes(self, codes: Sequence[str]) -> list[Country | None]: ...


class RecommendationSource(Protocol):
    """The recommendation area's use cases, as the report uses them."""

    async def ranked(self, user_id: str, offset: int, first: int) -> RankedPage: ...

    async def points(self, user_id: str, slug: str) -> PointsBreakdown: ...

    async def gaps(self, user_id: str, slug: str) -> GapReport: ...


class Contacts(Protocol):
    async def contact(self, user_id: str) -> Contact | None: ...


class DocumentLedger(Protocol):
    async def verified_categories(self, owner_id: str) -> frozenset[str]:
        """Categories under which the owner has a verified document."""
        ...


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


class RoadmapAllowance(Protocol):
    async def take_roadmap(self, owner_id: str) -> None:
        """Counts one roadmap against the owner's plan (atomic); raises FORBIDDEN (reason PLAN_LIMIT) beyond it."""


class ReportAllowance(Protocol):
    async def take_report(self, owner_id: str) -> None:
        """Counts one report against the owner's plan; raises FORBIDDEN (reason PLAN_LIMIT) beyond it."""


class ReportRepository(Protocol):
    async def insert(self, report: Report) -> None: ...

    async def for_owner(self, owner_id: str, report_id: str) -> Report | None: ...

    async def by_id(self, report_id: str) -> Report | None:
        """For the worker producing it; never reaches a client."""
        ...

    async def mark_ready(self, report_id: str, object_key: str, size: int, at: datetime) -> None: ...

    async def mark_failed(self, report_id: str, reason: str, at: datetime) -> None: ...


class ReportRenderer(Protocol):
    async def render(self, data: ReportData) -> bytes: ...


class ReportFiles(Protocol):
    async def put(self, key: str, body: bytes, content_type: str) -> None: ...

    def download_url(self, key: str, expires_s: int) -> str: ...


class ReportQueue(Protocol):
    async def enqueue_report(self, job_id: str, report_id: str) -> None: ...
