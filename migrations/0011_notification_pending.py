"""The worker's sweep for sends left queued (`Notifications.recover`) looks them up by status and last change."""

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase


async def up(db: AsyncDatabase) -> None:
    await db["notification_sends"].create_indexes(
        [IndexModel([("status", ASCENDING), ("updated_at", ASCENDING)], name="status_updated")]
    )
