"""Security events in `audit_events` (the collection the first migration made)."""

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from domain.users.model import AuditEvent, JsonValue


class MongoAuditLog:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.audit_events

    async def record(self, event: AuditEvent) -> None:
        await self.collection.insert_one(
            {
                "kind": event.kind.value,
                "at": event.at,
                "user_id": event.user_id,
                "ip": event.ip,
                "details": dict(event.details),
            }
        )


class AuditRecords:
    name = "securityEvents"

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.audit_events

    async def export(self, user_id: str) -> JsonValue:
        cursor = self.collection.find({"user_id": user_id}).sort("at", ASCENDING)
        return [
            {"kind": doc["kind"], "at": doc["at"].isoformat(), "ip": doc.get("ip"), "details": doc["details"]}
            async for doc in cursor
        ]

    async def erase(self, user_id: str) -> None:
        await self.collection.delete_many({"user_id": user_id})
