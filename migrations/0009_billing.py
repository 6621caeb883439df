"""Billing: subscriptions listed by status (admin), their claims collection (compare-and-set merges of
provider events), and events listed newest first. Accounts, events and quota units are found by `_id`."""

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

CLAIMS = "billing_subscriptions_revisions"
CLAIM_TTL_S = 30 * 24 * 3600
NOT_IMPLEMENTED = 238


async def up(db: AsyncDatabase) -> None:
    await db["billing_subscriptions"].create_indexes(
        [
            IndexModel([("status", ASCENDING)], name="status"),
            IndexModel([("owner_id", ASCENDING)], name="owner_id"),
        ]
    )
    await db["billing_events"].create_indexes([IndexModel([("created", DESCENDING)], name="created")])
    if CLAIMS not in set(await db.list_collection_names()):
        await db.create_collection(CLAIMS)
    await db[CLAIMS].create_indexes([IndexModel([("doc", ASCENDING)], name="doc")])
    try:
        await db[CLAIMS].create_indexes(
            [IndexModel([("at", ASCENDING)], name="at_ttl", expireAfterSeconds=CLAIM_TTL_S)]
        )
    except OperationFailure as error:
        if error.code != NOT_IMPLEMENTED:
            raise
