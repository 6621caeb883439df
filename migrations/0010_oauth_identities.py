"""Linked sign-in identities (`oauth_identities`): `_id` is `<provider>:<subject>`, so a unique-key insert decides
which account an identity belongs to; `me { linkedIdentities }`, export and erasure look them up by owner."""

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

COLLECTION = "oauth_identities"


async def up(db: AsyncDatabase) -> None:
    if COLLECTION not in set(await db.list_collection_names()):
        await db.create_collection(COLLECTION)
    await db[COLLECTION].create_indexes([IndexModel([("user_id", ASCENDING)], name="user_id")])
