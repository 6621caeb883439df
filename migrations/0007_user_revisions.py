"""The claims collection of accounts (`users_revisions`): every change to a user document is a compare-and-set
(datasources/mongo/atomic.py), as 0005 set up for the other versioned collections; same indexes."""

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

CLAIMS = "users_revisions"
CLAIM_TTL_S = 30 * 24 * 3600
NOT_IMPLEMENTED = 238


async def up(db: AsyncDatabase) -> None:
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
