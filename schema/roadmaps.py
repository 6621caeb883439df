"""Shapes of roadmaps: planned tasks, milestones, the personalised checklist, progress and PDF reports."""

from datetime import date, datetime
from typing import Any

import strawberry

from domain.programs.model import DocumentWho
from domain.roadmaps import model
from domain.roadmaps.model import TaskStatus as DomainTaskStatus
from domain.roadmaps.progress import blocked_by, checklist_percent, item_done, progress_percent
from domain.roadmaps.reports import Report as DomainReport
from domain.roadmaps.reports import ReportStatus as DomainReportStatus
from schema.context import Info
from schema.jobs import Job
from schema.permissions import CanSeePerson, Private, allow, guarded
from schema.programs import Program

TaskStatus = strawberry.enum(DomainTaskStatus, description="SKIPPED: does not apply; counts as finished.")
ReportStatus = strawberry.enum(DomainReportStatus)


def mine(**options: Any) -> Any:
    return guarded(CanSeePerson(), **options)


@strawberry.type(
    description="One step of the roadmap, dated three ways from its prerequisites.", directives=[Private()]
)
class RoadmapTask:
    owner_id: strawberry.Private[str]
    key: str = mine()
    title: str = mine()
    description: str = mine()
    depends_on: list[str] = mine()
    min_days: int = mine()
    typical_days: int = mine()
    max_days: int = mine()
    earliest_start: date = mine(description="With every step at its minimum duration")
    earliest_end: date = mine()
    target_start: date = mine(description="With typical durations: the plan's dates")
    target_end: date = mine(description="The due date reminders are sent for")
    latest_start: date = mine(description="With every step at its maximum duration")
    latest_end: date = mine()
    status: DomainTaskStatus = mine()
    blocked_by: list[str] = mine(description="Prerequisites not finished yet")
    updated_at: datetime | None = mine()
    reminded_at: datetime | None = mine()

    @classmethod
    def from_domain(cls, task: model.Task, tasks: tuple[model.Task, ...]) -> "RoadmapTask":
        s = task.step
        return cls(
            owner_id=task.owner_id,
            key=s.key,
            title=s.title,
            description=s.description,
            depends_on=list(s.depends_on),
            min_days=s.min_days,
            typical_days=s.typical_days,
            max_days=s.max_days,
            earliest_start=s.earliest.start,
            earliest_end=s.earliest.end,
            target_start=s.target.start,
            target_end=s.target.end,
            latest_start=s.latest.start,
            latest_end=s.latest.end,
            status=task.status,
            blocked_by=list(blocked_by(task, tasks)),
            updated_at=task.updated_at,
            reminded_at=task.reminded_at,
        )


@strawberry.type(description="A step every route through the plan passes.", directives=[Private()])
class Milestone:
    owner_id: strawberry.Private[str]
    key: str = mine()
    title: str = mine()
    target_date: date = mine()
    earliest_date: date = mine()
    latest_date: date = mine()
    reached: bool = mine(description="Its task is done or skipped")


@strawberry.type(description="A document to gather; upload it under `key` as its category.", directives=[Private()])
class ChecklistItem:
    owner_id: strawberry.Private[str]
    key: str = mine()
    document_key: str = mine()
    title: str = mine()
    description: str = mine()
    who: DocumentWho = mine()
    country: str | None = mine()
    uncertain: bool = mine(description="Your answers could not decide whether it applies")
    condition: str | None = mine(description="What decides it, for uncertain items")
    done: bool = mine(description="A verified document is filed under this key")


@strawberry.type(description="Your plan for one program.", directives=[Private()])
class Roadmap:
    owner_id: strawberry.Private[str]
    id: strawberry.ID = mine()
    program_slug: str = mine()
    country: str = mine()
    start_date: date = mine()
    target_end_date: date = mine()
    snapshot_id: strawberry.ID = mine(description="The profile snapshot it was personalised from")
    countries_lived_in: list[str] = mine()
    progress_percent: int = mine(description="Done tasks over the tasks that apply")
    checklist_percent: int = mine()
    tasks: list[RoadmapTask] = mine(description="In dependency order")
    milestones: list[Milestone] = mine()
    checklist: list[ChecklistItem] = mine()
    created_at: datetime = mine()

    @strawberry.field(extensions=allow(CanSeePerson()), description="The program, at its current version")
    async def program(self, info: Info) -> Program:
        record = await info.context.loaders.program_by_slug.load(self.program_slug)
        if record is None:
            raise LookupError(f"program {self.program_slug} is gone")
        return Program.from_record(record)

    @classmethod
    def from_domain(cls, r: model.Roadmap, verified: frozenset[str]) -> "Roadmap":
        owner = r.owner_id
        finished = {t.key for t in r.tasks if t.status.finished}
        return cls(
            owner_id=owner,
            id=strawberry.ID(r.id),
            program_slug=r.program_slug,
            country=r.country,
            start_date=r.start_date,
            target_end_date=r.target_end,
            snapshot_id=strawberry.ID(r.snapshot_id),
            countries_lived_in=list(r.countries_lived_in),
            progress_percent=progress_percent(r.tasks),
            checklist_percent=checklist_percent(r.checklist, verified),
            tasks=[RoadmapTask.from_domain(t, r.tasks) for t in r.tasks],
            milestones=[
                Milestone(
                    owner_id=owner,
                    key=m.key,
                    title=m.title,
                    target_date=m.target_date,
                    earliest_date=m.earliest_date,
                    latest_date=m.latest_date,
                    reached=m.key in finished,
                )
                for m in r.milestones
            ],
            checklist=[
                ChecklistItem(
                    owner_id=owner,
                    key=i.key,
                    document_key=i.document_key,
                    title=i.title,
                    description=i.description,
                    who=i.who,
                    country=i.country,
                    uncertain=i.uncertain,
                    condition=i.condition,
                    done=item_done(i, verified),
                )
                for i in r.checklist
            ],
            created_at=r.created_at,
        )


@strawberry.type(description="A PDF of your roadmap, produced in the background.", directives=[Private()])
class Report:
    owner_id: strawberry.Private[str]
    job_id: strawberry.Private[str]
    id: strawberry.ID = mine()
    roadmap_id: strawberry.ID = mine()
    status: DomainReportStatus = mine()
    created_at: datetime = mine()
    completed_at: datetime | None = mine()
    size_bytes: int | None = mine()
    error: str | None = mine()
    download_url: str | None = mine(description="A short-lived link, once READY")

    @strawberry.field(extensions=allow(CanSeePerson()), description="The job producing it")
    async def job(self, info: Info) -> Job:
        return Job.from_domain(await info.context.loaders.job_by_owner_and_id.load((self.owner_id, self.job_id)))

    @classmethod
    def from_domain(cls, report: DomainReport, download_url: str | None) -> "Report":
        return cls(
            owner_id=report.owner_id,
            job_id=report.job_id,
            id=strawberry.ID(report.id),
            roadmap_id=strawberry.ID(report.roadmap_id),
            status=report.status,
            created_at=report.created_at,
            completed_at=report.completed_at,
            size_bytes=report.size,
            error=report.error,
            download_url=download_url,
        )


@strawberry.type
class RequestReportPayload:
    report: Report
    job: Job
