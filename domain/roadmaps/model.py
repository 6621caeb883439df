"""A roadmap: one program's steps planned from a start date, its milestones and a personalised checklist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.programs.model import DocumentWho


class TaskStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"  # does not apply after all; counts as finished for progress and dependents

    @property
    def finished(self) -> bool:
        return self in (TaskStatus.DONE, TaskStatus.SKIPPED)


@dataclass(frozen=True, slots=True)
class Span:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """A catalog step placed on the calendar three ways: every step at its minimum, typical and maximum."""

    key: str
    title: str
    description: str
    depends_on: tuple[str, ...]
    min_days: int
    typical_days: int
    max_days: int
    earliest: Span
    target: Span
    latest: Span


@dataclass(frozen=True, slots=True)
class Task:
    """A planned step as the person works through it."""

    id: str
    roadmap_id: str
    owner_id: str
    position: int  # topological order
    step: PlannedStep
    status: TaskStatus = TaskStatus.TODO
    updated_at: datetime | None = None
    reminded_at: datetime | None = None

    @property
    def key(self) -> str:
        return self.step.key

    @property
    def due_on(self) -> date:
        return self.step.target.end


@dataclass(frozen=True, slots=True)
class Milestone:
    """A step every route through the plan passes: all other steps come before it or after it."""

    key: str
    title: str
    target_date: date
    earliest_date: date
    latest_date: date


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One document to gather; `key` is the category an uploaded document is filed under."""

    key: str
    document_key: str
    title: str
    description: str
    who: DocumentWho
    country: str | None = None  # for per-country documents (police certificates)
    uncertain: bool = False  # the catalog's condition could not be decided from the profile
    condition: str | None = None  # what the condition asks, for the uncertain ones


@dataclass(frozen=True, slots=True)
class Roadmap:
    id: str
    owner_id: str
    program_slug: str
    program_name: str
    country: str
    start_date: date
    snapshot_id: str
    countries_lived_in: tuple[str, ...]
    milestones: tuple[Milestone, ...]
    checklist: tuple[ChecklistItem, ...]
    created_at: datetime
    tasks: tuple[Task, ...] = ()

    def task(self, key: str) -> Task | None:
        return next((t for t in self.tasks if t.key == key), None)

    @property
    def target_end(self) -> date:
        return max((t.step.target.end for t in self.tasks), default=self.start_date)
