"""Issued one-time tickets in `one_time_tokens`, keyed by a hash of their id. No TTL index is relied on
(FerretDB does not guarantee one): expiry is part of every query, and expired tickets are swept on insert.
Consuming spends the ticket's key (atomic.py): exactly one caller succeeds, on FerretDB as on MongoDB."""

import hashlib
from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.atomic import SpentKeys
from datasources.mongo.lookups import lookup
from domain.users.model import JsonValue, Ticket, TicketPurpose


def _key(ticket_id: str) -> str:
    return hashlib.sha256(ticket_id.encode()).hexdigest()


class MongoTokenStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.one_time_tokens
        self.spent = SpentKeys(db)

    async def add(self, ticket: Ticket) -> None:
        await self.collection.delete_many({"expires_at": {"$lt": datetime.now(UTC)}})
        await self.collection.insert_one(
            {
                "_id": _key(ticket.ticket_id),
                "purpose": ticket.purpose.value,
                "user_id": ticket.user_id,
                "expires_at": ticket.expires_at,
            }
        )

    async def consume(self, purpose: TicketPurpose, ticket_id: str, now: datetime) -> bool:
        key = _key(ticket_id)
        doc = await self.collection.find_one({"_id": key})
        if doc is None or doc["purpose"] != purpose.value or doc["expires_at"] <= now:
            return False
        if not await self.spent.spend("ticket", key, expires_at=doc["expires_at"]):
            return False
        await self.collection.delete_one({"_id": key})
        return True

    async def is_live(self, purpose: TicketPurpose, ticket_id: str, now: datetime) -> bool:
        doc = await lookup(self.collection, _key(ticket_id), purpose=purpose.value)
        return doc is not None and doc["expires_at"] > now

    async def discard_for_user(self, user_id: str, purpose: TicketPurpose) -> None:
        await self.collection.delete_many({"user_id": user_id, "purpose": purpose.value})


class TicketRecords:
    name = "pendingLinks"

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.one_time_tokens

    async def export(self, user_id: str) -> JsonValue:
        return [
            {"purpose": doc["purpose"], "expiresAt": doc["expires_at"].isoformat()}
            async for doc in self.collection.find({"user_id": user_id})
        ]

    async def erase(self, user_id: str) -> None:
        await self.collection.delete_many({"user_id": user_id})
