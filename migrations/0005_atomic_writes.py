"""Collections of the insert-decided writes (datasources/mongo/atomic.py): spent single-use keys, and a claims
collection `<name>_revisions` beside every collection whose documents change by compare-and-set.

Lookups are by `_id`; `doc` serves erasing a document's claims. TTL indexes only where the server has them
(MongoDB; FerretDB v1 answers NotImplemented), so records simply stay on the local store.
"""

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

SPENT = "spent"
VERSIONED = ("assessments", "jobs", "documents", "api_keys", "roadmap_tasks", "reports")
CLAIM_TTL_S = 30 * 24 * 3600
NOT_IMPLEMENTED = 238


async def _ttl(db: AsyncDatabase, collection: str, field: str, seconds: int) -> None:
    try:
        await db[collection].create_indexes(
            [IndexModel([(field, ASCENDING)], name=f"{field}_ttl", expireAfterSeconds=seconds)]
        )
    except OperationFailure as error:
        if error.code != NOT_IMPLEMENTED:
            raise


async def up(db: AsyncDatabase) -> None:
    existing = set(await db.list_collection_names())
    claims = [f"{name}_revisions" for name in VERSIONED]
    for name in (SPENT, *claims):
        if name not in existing:
            await db.create_collection(name)
    await _ttl(db, SPENT, "expires_at", 0)
    for name in claims:
        await db[name].create_indexes([IndexModel([("doc", ASCENDING)], name="doc")])
        await _ttl(db, name, "at", CLAIM_TTL_S)
