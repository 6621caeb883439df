"""Roadmaps, their tasks, reports, documents and jobs, with an index for every query the repositories make.

Lookups by `_id` (with the owner beside it) use the primary key; the rest:
- roadmaps: the owner's list, newest first;
- roadmap_tasks: a roadmap's tasks (scoped to the owner; the owner prefix also serves export and erasure),
  and the reminder sweep — unreminded, by due day;
- documents: the owner's list, newest first, and the owner's documents of one status (verified categories);
- reports and jobs: read by `_id` with the owner; the owner index serves export and erasure.
"""

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase


async def up(db: AsyncDatabase) -> None:
    existing = set(await db.list_collection_names())
    for name in ("roadmaps", "roadmap_tasks", "reports", "documents", "jobs"):
        if name not in existing:
            await db.create_collection(name)
    await db.roadmaps.create_indexes(
        [
            IndexModel([("owner_id", ASCENDING), ("created_at", DESCENDING)], name="owner_recent"),
        ]
    )
    await db.roadmap_tasks.create_indexes(
        [
            IndexModel([("owner_id", ASCENDING), ("roadmap_id", ASCENDING)], name="owner_roadmap"),
            IndexModel([("reminded_at", ASCENDING), ("due_on", ASCENDING)], name="reminder_due"),
        ]
    )
    await db.documents.create_indexes(
        [
            IndexModel([("owner_id", ASCENDING), ("uploaded_at", DESCENDING)], name="owner_recent"),
            IndexModel([("owner_id", ASCENDING), ("status", ASCENDING)], name="owner_status"),
        ]
    )
    await db.reports.create_indexes(
        [
            IndexModel([("owner_id", ASCENDING), ("created_at", DESCENDING)], name="owner_recent"),
        ]
    )
    await db.jobs.create_indexes(
        [
            IndexModel([("owner_id", ASCENDING), ("created_at", DESCENDING)], name="owner_recent"),
        ]
    )
