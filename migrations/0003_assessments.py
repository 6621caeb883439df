"""Assessments and their profile snapshots, with an index for every query the repositories make.

Lookups by `_id` (with the owner or token hash beside it) use the primary key; the rest:
- assessments: the owner's list, newest first;
- profile_snapshots: the owner's latest, and an assessment's snapshots (claiming assigns them).
"""

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase


async def up(db: AsyncDatabase) -> None:
    existing = set(await db.list_collection_names())
    for name in ("assessments", "profile_snapshots"):
        if name not in existing:
            await db.create_collection(name)
    await db.assessments.create_indexes(
        [
            IndexModel([("owner_id", ASCENDING), ("updated_at", DESCENDING)], name="owner_recent"),
        ]
    )
    await db.profile_snapshots.create_indexes(
        [
            IndexModel([("owner_id", ASCENDING), ("created_at", DESCENDING)], name="owner_latest"),
            IndexModel([("assessment_id", ASCENDING), ("owner_id", ASCENDING)], name="assessment"),
        ]
    )
