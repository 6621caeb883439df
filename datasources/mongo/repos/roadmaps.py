"""Roadmaps in Mongo: the plan in `roadmaps`, one document per task in `roadmap_tasks`, reports in `reports`.

Tasks live in their own documents (FerretDB has no transactions, and array positional updates are best
avoided); every change to a task or a report is a compare-and-set on its revision (atomic.py), so of
concurrent reminder claims exactly one wins and a status change never erases a reminder mark. Every read a
client can cause is scoped to the owner; the worker reads reports by id only to produce them.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from datasources.mongo.atomic import Versioned
from datasources.mongo.lookups import lookup
from domain.assessment.snapshot import from_data, to_data
from domain.roadmaps.model import ChecklistItem, Milestone, PlannedStep, Roadmap, Task, TaskStatus
from domain.roadmaps.reports import Report, ReportStatus

OPEN = [TaskStatus.TODO.value, TaskStatus.IN_PROGRESS.value]
VERSIONED = ("roadmap_tasks", "reports", "jobs", "documents")  # changed through claims: erase those too


def _midnight(day: date) -> datetime:
    """Mongo has no date type: a day is stored as its midnight UTC, which sorts and ranges correctly."""
    return datetime.combine(day, time(), tzinfo=UTC)


def _roadmap_doc(roadmap: Roadmap) -> dict[str, Any]:
    return {
        "_id": roadmap.id,
        "owner_id": roadmap.owner_id,
        "program_slug": roadmap.program_slug,
        "program_name": roadmap.program_name,
        "country": roadmap.country,
        "start_date": roadmap.start_date.isoformat(),
        "snapshot_id": roadmap.snapshot_id,
        "countries_lived_in": list(roadmap.countries_lived_in),
        "milestones": to_data(roadmap.milestones),
        "checklist": to_data(roadmap.checklist),
        "created_at": roadmap.created_at,
    }


def _task_doc(task: Task) -> dict[str, Any]:
    return {
        "_id": task.id,
        "roadmap_id": task.roadmap_id,
        "owner_id": task.owner_id,
        "position": task.position,
        "key": task.key,
        "step": to_data(task.step),
        "status": task.status.value,
        "due_on": _midnight(task.due_on),
        "updated_at": task.updated_at,
        "reminded_at": task.reminded_at,
        "reminder_claimed_at": None,
    }


def _task(doc: Mapping[str, Any]) -> Task:
    return Task(
        id=doc["_id"],
        roadmap_id=doc["roadmap_id"],
        owner_id=doc["owner_id"],
        position=doc["position"],
        step=from_data(PlannedStep, doc["step"]),
        status=TaskStatus(doc["status"]),
        updated_at=doc.get("updated_at"),
        reminded_at=doc.get("reminded_at"),
    )


def _roadmap(doc: Mapping[str, Any], tasks: list[Task]) -> Roadmap:
    return Roadmap(
        id=doc["_id"],
        owner_id=doc["owner_id"],
        program_slug=doc["program_slug"],
        program_name=doc["program_name"],
        country=doc["country"],
        start_date=date.fromisoformat(doc["start_date"]),
        snapshot_id=doc["snapshot_id"],
        countries_lived_in=tuple(doc["countries_lived_in"]),
        milestones=tuple(from_data(Milestone, m) for m in doc["milestones"]),
        checklist=tuple(from_data(ChecklistItem, c) for c in doc["checklist"]),
        created_at=doc["created_at"],
        tasks=tuple(sorted(tasks, key=lambda t: t.position)),
    )


class RoadmapRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.roadmaps = db["roadmaps"]
        self.tasks = db["roadmap_tasks"]
        self.versioned_tasks = Versioned(self.tasks)

    async def insert(self, roadmap: Roadmap) -> None:
        # Tasks first: a roadmap document is only ever visible with all its tasks beside it.
        await self.tasks.insert_many([_task_doc(t) for t in roadmap.tasks])
        await self.roadmaps.insert_one(_roadmap_doc(roadmap))

    async def for_owner(self, owner_id: str, roadmap_id: str) -> Roadmap | None:
        doc = await lookup(self.roadmaps, roadmap_id, owner_id=owner_id)
        if doc is None:
            return None
        return _roadmap(doc, await self._tasks(owner_id, roadmap_id))

    async def list_for_owner(self, owner_id: str, limit: int) -> list[Roadmap]:
        docs = [d async for d in self.roadmaps.find({"owner_id": owner_id}).sort("created_at", DESCENDING).limit(limit)]
        # The owner's tasks by one equality (an `$in` over roadmap ids is not pushed down on FerretDB); a person
        # has a few roadmaps, so those past the limit cost little.
        by_roadmap: dict[str, list[Task]] = {d["_id"]: [] for d in docs}
        async for t in self.tasks.find({"owner_id": owner_id}):
            if t["roadmap_id"] in by_roadmap:
                by_roadmap[t["roadmap_id"]].append(_task(t))
        return [_roadmap(d, by_roadmap[d["_id"]]) for d in docs]

    async def _tasks(self, owner_id: str, roadmap_id: str) -> list[Task]:
        return [_task(t) async for t in self.tasks.find({"roadmap_id": roadmap_id, "owner_id": owner_id})]

    async def set_task_status(self, owner_id: str, roadmap_id: str, key: str, status: TaskStatus, at: datetime) -> bool:
        changed = await self.versioned_tasks.update(
            f"{roadmap_id}:{key}",
            {"status": status.value, "updated_at": at},
            where=lambda d: d["roadmap_id"] == roadmap_id and d["owner_id"] == owner_id,
        )
        return changed is not None


class TaskReminders:
    """The reminder job's view of tasks: due soon, not yet reminded, claimed one at a time."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.tasks = db["roadmap_tasks"]
        self.versioned = Versioned(self.tasks)

    async def due_between(self, first: date, last: date, limit: int) -> list[Task]:
        query = {
            "reminded_at": None,
            "due_on": {"$gte": _midnight(first), "$lte": _midnight(last)},
            "status": {"$in": OPEN},
        }
        return [_task(d) async for d in self.tasks.find(query).sort([("due_on", ASCENDING)]).limit(limit)]

    async def claim_reminder(self, task_id: str, now: datetime, stale_before: datetime) -> bool:
        def unclaimed(task: dict[str, Any]) -> bool:
            claimed_at = task.get("reminder_claimed_at")
            return task.get("reminded_at") is None and (claimed_at is None or claimed_at < stale_before)

        return await self.versioned.update(task_id, {"reminder_claimed_at": now}, where=unclaimed) is not None

    async def mark_reminded(self, task_id: str, at: datetime) -> None:
        await self.versioned.update(task_id, {"reminded_at": at})

    async def release_reminder(self, task_id: str) -> None:
        await self.versioned.update(
            task_id, {"reminder_claimed_at": None}, where=lambda t: t.get("reminded_at") is None
        )


def _report(doc: Mapping[str, Any]) -> Report:
    return Report(
        id=doc["_id"],
        owner_id=doc["owner_id"],
        roadmap_id=doc["roadmap_id"],
        job_id=doc["job_id"],
        status=ReportStatus(doc["status"]),
        created_at=doc["created_at"],
        object_key=doc.get("object_key"),
        size=doc.get("size"),
        completed_at=doc.get("completed_at"),
        error=doc.get("error"),
    )


class ReportRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.reports = db["reports"]
        self.versioned = Versioned(self.reports)

    async def insert(self, report: Report) -> None:
        try:
            await self.reports.insert_one(
                {
                    "_id": report.id,
                    "owner_id": report.owner_id,
                    "roadmap_id": report.roadmap_id,
                    "job_id": report.job_id,
                    "status": report.status.value,
                    "created_at": report.created_at,
                    "object_key": None,
                    "size": None,
                    "completed_at": None,
                    "error": None,
                }
            )
        except DuplicateKeyError:
            raise ValueError(f"report {report.id} exists already") from None

    async def for_owner(self, owner_id: str, report_id: str) -> Report | None:
        doc = await self.versioned.read(report_id, owner_id=owner_id)
        return None if doc is None else _report(doc)

    async def by_id(self, report_id: str) -> Report | None:
        doc = await self.versioned.read(report_id)
        return None if doc is None else _report(doc)

    async def mark_ready(self, report_id: str, object_key: str, size: int, at: datetime) -> None:
        await self.versioned.update(
            report_id,
            {
                "status": ReportStatus.READY.value,
                "object_key": object_key,
                "size": size,
                "completed_at": at,
                "error": None,
            },
        )

    async def mark_failed(self, report_id: str, reason: str, at: datetime) -> None:
        await self.versioned.update(
            report_id,
            {
                "status": ReportStatus.FAILED.value,
                "completed_at": at,
                "error": reason[:500],
            },
            where=lambda r: r["status"] == ReportStatus.PENDING.value,
        )


class RoadmapRecords:
    """Roadmaps, tasks, reports, jobs and document metadata as personal data: in the export, gone on erasure.

    The files themselves (documents, report PDFs) live under `users/<id>/`, which `UserFiles` covers.
    """

    name = "roadmaps"
    collections = ("roadmaps", "roadmap_tasks", "reports", "jobs", "documents")

    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    async def export(self, user_id: str) -> dict[str, Any]:
        roadmaps = [
            {
                "id": d["_id"],
                "program": d["program_slug"],
                "startDate": d["start_date"],
                "countriesLivedIn": d["countries_lived_in"],
            }
            async for d in self.db["roadmaps"].find({"owner_id": user_id})
        ]
        tasks = [
            {"roadmap": d["roadmap_id"], "task": d["key"], "status": d["status"]}
            async for d in self.db["roadmap_tasks"].find({"owner_id": user_id})
        ]
        documents = [
            {
                "id": d["_id"],
                "category": d["category"],
                "status": d["status"],
                "rejectionReason": d.get("rejection_reason"),
            }
            async for d in self.db["documents"].find({"owner_id": user_id})
        ]
        reports = [
            {"id": d["_id"], "roadmap": d["roadmap_id"], "status": d["status"]}
            async for d in self.db["reports"].find({"owner_id": user_id})
        ]
        return {"roadmaps": roadmaps, "tasks": tasks, "documents": documents, "reports": reports}

    async def erase(self, user_id: str) -> None:
        for name in self.collections:
            if name in VERSIONED:
                ids = [d["_id"] async for d in self.db[name].find({"owner_id": user_id}, {"_id": 1})]
                await Versioned(self.db[name]).forget(ids)
            await self.db[name].delete_many({"owner_id": user_id})
