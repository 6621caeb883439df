"""Refresh tokens in `refresh_sessions`, stored as SHA-256 hashes.

Rotation spends the token's hash and revocation spends the family's id as single-use keys (atomic.py): a
conditional update is not atomic on FerretDB, and `used_at` / `revoked_at` on the documents are then only
written for listings (a concurrent write may overwrite them there; the spent keys decide).
"""

from datetime import datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.atomic import SpentKeys
from domain.users.model import JsonValue, RefreshSession

ROTATED = "refresh"
REVOKED = "session-family"
_FIELDS = (
    "user_id",
    "family_id",
    "token_hash",
    "created_at",
    "expires_at",
    "used_at",
    "revoked_at",
    "ip",
    "user_agent",
)


def _to_session(doc: dict[str, Any]) -> RefreshSession:
    return RefreshSession(
        id=doc["_id"],
        user_id=doc["user_id"],
        family_id=doc["family_id"],
        token_hash=doc["token_hash"],
        created_at=doc["created_at"],
        expires_at=doc["expires_at"],
        used_at=doc.get("used_at"),
        revoked_at=doc.get("revoked_at"),
        ip=doc.get("ip"),
        user_agent=doc.get("user_agent"),
    )


class MongoSessionStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.refresh_sessions
        self.spent = SpentKeys(db)

    async def add(self, session: RefreshSession) -> None:
        await self.collection.insert_one({"_id": session.id, **{name: getattr(session, name) for name in _FIELDS}})
        # A family revoked while this token was being issued: its revocation may have missed this document.
        revoked_at = await self.spent.spent_at(REVOKED, session.family_id)
        if revoked_at is not None:
            await self.collection.update_one({"_id": session.id}, {"$set": {"revoked_at": revoked_at}})

    async def claim(self, token_hash: str, now: datetime) -> RefreshSession | None:
        """The session of an unspent, unrevoked token, spending it: exactly one caller gets it."""
        doc = await self.collection.find_one({"token_hash": token_hash})
        if doc is None or doc.get("used_at") is not None or doc.get("revoked_at") is not None:
            return None
        if await self.spent.spent_at(REVOKED, doc["family_id"]) is not None:
            return None
        if not await self.spent.spend(ROTATED, token_hash, expires_at=doc["expires_at"]):
            return None
        await self.collection.update_one({"_id": doc["_id"]}, {"$set": {"used_at": now}})
        return _to_session(doc)

    async def by_token_hash(self, token_hash: str) -> RefreshSession | None:
        doc = await self.collection.find_one({"token_hash": token_hash})
        if doc is None:
            return None
        # The spent keys decide; the document's fields may lag behind a racing rotation or revocation.
        if doc.get("used_at") is None:
            doc["used_at"] = await self.spent.spent_at(ROTATED, token_hash)
        if doc.get("revoked_at") is None:
            doc["revoked_at"] = await self.spent.spent_at(REVOKED, doc["family_id"])
        return _to_session(doc)

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        await self.spent.spend(REVOKED, family_id)
        await self.collection.update_many({"family_id": family_id, "revoked_at": None}, {"$set": {"revoked_at": now}})

    async def revoke_families_of(self, user_id: str, now: datetime, keep: str | None = None) -> list[str]:
        query: dict[str, Any] = {"user_id": user_id, "revoked_at": None}
        if keep is not None:
            query["family_id"] = {"$ne": keep}
        families: list[str] = await self.collection.distinct("family_id", query)
        for family_id in families:
            await self.spent.spend(REVOKED, family_id)
        if families:
            await self.collection.update_many(query, {"$set": {"revoked_at": now}})
        return families

    async def active_for_owner(self, user_id: str, now: datetime) -> list[RefreshSession]:
        cursor = self.collection.find(
            {"user_id": user_id, "used_at": None, "revoked_at": None, "expires_at": {"$gt": now}}
        ).sort("created_at", DESCENDING)
        return [_to_session(doc) async for doc in cursor]

    async def revoke_for_owner(self, user_id: str, family_id: str, now: datetime) -> bool:
        """True for the one caller that revokes the owner's live session; False if it is not theirs or gone."""
        query = {"user_id": user_id, "family_id": str(family_id), "revoked_at": None}
        if await self.collection.find_one(query, {"_id": 1}) is None:
            return False
        if not await self.spent.spend(REVOKED, str(family_id)):
            return False
        await self.collection.update_many(query, {"$set": {"revoked_at": now}})
        return True


class SessionRecords:
    name = "sessions"

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.refresh_sessions

    async def export(self, user_id: str) -> JsonValue:
        cursor = self.collection.find({"user_id": user_id, "used_at": None}).sort("created_at", DESCENDING)
        return [
            {
                "id": doc["family_id"],
                "startedAt": doc["created_at"].isoformat(),
                "ip": doc.get("ip"),
                "userAgent": doc.get("user_agent"),
                "revoked": doc.get("revoked_at") is not None,
            }
            async for doc in cursor
        ]

    async def erase(self, user_id: str) -> None:
        await self.collection.delete_many({"user_id": user_id})
