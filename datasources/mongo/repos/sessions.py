"""Refresh tokens in `refresh_sessions`, stored as SHA-256 hashes; rotation claims a token atomically."""

from datetime import datetime
from typing import Any

from pymongo import DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from domain.users.model import JsonValue, RefreshSession

_FIELDS = ("user_id", "family_id", "token_hash", "created_at", "expires_at", "used_at", "revoked_at", "ip",
           "user_agent")


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

    async def add(self, session: RefreshSession) -> None:
        await self.collection.insert_one({"_id": session.id, **{name: getattr(session, name) for name in _FIELDS}})

    async def claim(self, token_hash: str, now: datetime) -> RefreshSession | None:
        doc = await self.collection.find_one_and_update(
            {"token_hash": token_hash, "used_at": None, "revoked_at": None},
            {"$set": {"used_at": now}},
            return_document=ReturnDocument.BEFORE,
        )
        return _to_session(doc) if doc else None

    async def by_token_hash(self, token_hash: str) -> RefreshSession | None:
        doc = await self.collection.find_one({"token_hash": token_hash})
        return _to_session(doc) if doc else None

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        await self.collection.update_many({"family_id": family_id, "revoked_at": None}, {"$set": {"revoked_at": now}})

    async def revoke_families_of(self, user_id: str, now: datetime, keep: str | None = None) -> list[str]:
        query: dict[str, Any] = {"user_id": user_id, "revoked_at": None}
        if keep is not None:
            query["family_id"] = {"$ne": keep}
        families: list[str] = await self.collection.distinct("family_id", query)
        if families:
            await self.collection.update_many(query, {"$set": {"revoked_at": now}})
        return families

    async def active_for_owner(self, user_id: str, now: datetime) -> list[RefreshSession]:
        cursor = self.collection.find(
            {"user_id": user_id, "used_at": None, "revoked_at": None, "expires_at": {"$gt": now}}
        ).sort("created_at", DESCENDING)
        return [_to_session(doc) async for doc in cursor]

    async def revoke_for_owner(self, user_id: str, family_id: str, now: datetime) -> bool:
        result = await self.collection.update_many(
            {"user_id": user_id, "family_id": str(family_id), "revoked_at": None}, {"$set": {"revoked_at": now}}
        )
        return result.modified_count > 0


class SessionRecords:
    name = "sessions"

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.refresh_sessions

    async def export(self, user_id: str) -> JsonValue:
        cursor = self.collection.find({"user_id": user_id, "used_at": None}).sort("created_at", DESCENDING)
        return [
            {"id": doc["family_id"], "startedAt": doc["created_at"].isoformat(), "ip": doc.get("ip"),
             "userAgent": doc.get("user_agent"), "revoked": doc.get("revoked_at") is not None}
            async for doc in cursor
        ]

    async def erase(self, user_id: str) -> None:
        await self.collection.delete_many({"user_id": user_id})
