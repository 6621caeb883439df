"""Collections and indexes the foundation uses: the audit trail every later area writes to."""

from motor.motor_asyncio import AsyncIOMotorDatabase
from pymongo import ASCENDING, DESCENDING, IndexModel


async def up(db: AsyncIOMotorDatabase) -> None:
    existing = set(await db.list_collection_names())
    for name in ("audit_events",):
        if name not in existing:
            await db.create_collection(name)
    await db.audit_events.create_indexes(
        [IndexModel([("user_id", ASCENDING), ("at", DESCENDING)]), IndexModel([("kind", ASCENDING)])]
    )
