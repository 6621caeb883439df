"""Indexes of the notification area: a person's send log newest first, a send by its provider's id (status
callbacks), a person's devices, and the claims collections of the versioned sends and opt-outs."""

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

CLAIM_TTL_S = 30 * 24 * 3600
NOT_IMPLEMENTED = 238


async def up(db: AsyncDatabase) -> None:
    await db["notification_sends"].create_indexes(
        [
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="user_created"),
            IndexModel([("provider_id", ASCENDING)], name="provider_id"),
        ]
    )
    await db["push_devices"].create_indexes([IndexModel([("user_id", ASCENDING)], name="user_id")])
    existing = set(await db.list_collection_names())
    for claims in ("notification_sends_revisions", "sms_opt_outs_revisions"):
        if claims not in existing:
            await db.create_collection(claims)
        await db[claims].create_indexes([IndexModel([("doc", ASCENDING)], name="doc")])
        try:
            await db[claims].create_indexes(
                [IndexModel([("at", ASCENDING)], name="at_ttl", expireAfterSeconds=CLAIM_TTL_S)]
            )
        except OperationFailure as error:
            if error.code != NOT_IMPLEMENTED:
                raise
