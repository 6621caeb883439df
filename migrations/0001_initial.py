"""Collections and indexes of the first release: the program catalog and the audit trail."""

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase


async def up(db: AsyncDatabase) -> None:
    existing = set(await db.list_collection_names())
    for name in ("programs", "program_versions", "countries", "audit_events"):
        if name not in existing:
            await db.create_collection(name)
    await db.programs.create_indexes(
        [
            IndexModel([("country", ASCENDING), ("status", ASCENDING)]),
            IndexModel([("category", ASCENDING), ("status", ASCENDING)]),
            IndexModel([("status", ASCENDING), ("name", ASCENDING)]),
        ]
    )
    await db.program_versions.create_indexes([IndexModel([("slug", ASCENDING), ("version", DESCENDING)], unique=True)])
    await db.countries.create_indexes([IndexModel([("name", ASCENDING)])])
    await db.audit_events.create_indexes(
        [IndexModel([("user_id", ASCENDING), ("at", DESCENDING)]), IndexModel([("kind", ASCENDING)])]
    )
