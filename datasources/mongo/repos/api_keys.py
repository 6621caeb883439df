"""Server-to-server API keys in `api_keys`: only a SHA-256 of each key is stored. Revocation is a
compare-and-set on the key's revision (atomic.py), so exactly one of concurrent revokers is told it revoked."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.atomic import Versioned
from domain.users.model import ApiKey, Scope


def _to_key(doc: dict[str, Any]) -> ApiKey:
    return ApiKey(
        id=doc["_id"],
        name=doc["name"],
        prefix=doc["prefix"],
        key_hash=doc["key_hash"],
        scopes=tuple(Scope(s) for s in doc["scopes"]),
        created_by=doc["created_by"],
        created_at=doc["created_at"],
        revoked_at=doc.get("revoked_at"),
    )


class MongoApiKeyRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.api_keys
        self.versioned = Versioned(self.collection)

    async def add(self, key: ApiKey) -> None:
        await self.collection.insert_one(
            {
                "_id": key.id,
                "name": key.name,
                "prefix": key.prefix,
                "key_hash": key.key_hash,
                "scopes": [s.value for s in key.scopes],
                "created_by": key.created_by,
                "created_at": key.created_at,
                "revoked_at": key.revoked_at,
            }
        )

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        doc = await self.collection.find_one({"key_hash": str(key_hash)})
        return _to_key(await self.versioned.catch_up(doc)) if doc else None

    async def all(self) -> list[ApiKey]:
        return [
            _to_key(await self.versioned.catch_up(doc))
            async for doc in self.collection.find({}).sort("created_at", ASCENDING)
        ]

    async def revoke(self, key_id: str, now: datetime) -> bool:
        revoked = await self.versioned.update(str(key_id), {"revoked_at": now}, where=lambda d: d["revoked_at"] is None)
        return revoked is not None
