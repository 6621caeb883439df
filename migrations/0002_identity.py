"""Identity: accounts (unique email), refresh sessions, one-time tickets and API keys.

No TTL indexes: FerretDB does not guarantee them, so expiry is checked in every query instead.
"""

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase


async def up(db: AsyncDatabase) -> None:
    existing = set(await db.list_collection_names())
    for name in ("users", "refresh_sessions", "one_time_tokens", "api_keys"):
        if name not in existing:
            await db.create_collection(name)
    await db.users.create_indexes(
        [
            IndexModel([("email", ASCENDING)], unique=True, name="email_unique"),
            IndexModel([("advisor_id", ASCENDING)], name="advisor"),
            IndexModel([("purge_after", ASCENDING)], name="purge_after"),
            IndexModel([("created_at", ASCENDING), ("_id", ASCENDING)], name="created"),
        ]
    )
    await db.refresh_sessions.create_indexes(
        [
            IndexModel([("token_hash", ASCENDING)], unique=True, name="token_hash_unique"),
            IndexModel([("family_id", ASCENDING)], name="family"),
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="owner"),
        ]
    )
    await db.one_time_tokens.create_indexes(
        [
            IndexModel([("user_id", ASCENDING), ("purpose", ASCENDING)], name="owner_purpose"),
            IndexModel([("expires_at", ASCENDING)], name="expires"),
        ]
    )
    await db.api_keys.create_indexes(
        [
            IndexModel([("key_hash", ASCENDING)], unique=True, name="key_hash_unique"),
        ]
    )
