"""Issued one-time tickets in `one_time_tokens`, keyed by a hash of their id. No TTL index is relied on
(FerretDB does not guarantee one): expiry is part of every query, and expired tickets are swept on insert."""

import hashlib
from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.lookups import lookup
from domain.users.model import JsonValue, Ticket, TicketPurpose


def _key(ticket_id: str) -> str:
    return hashlib.sha256(ticket_id.encode()).hexdigest()


class MongoTokenStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.one_time_tokens

    async def add(self, ticket: Ticket) -> None:
        await self.collection.delete_many({"expires_at": {"$lt": datetime.now(UTC)}})
        await self.collection.insert_one({
            "_id": _key(ticket.ticket_id),
            "purpose": ticket.purpose.value,
            "user_id": ticket.user_id,
            "expires_at": ticket.expires_at,
        })

    async def consume(self, purpose: TicketPurpose, ticket_id: str, now: datetime) -> bool:
        doc = await self.collection.find_one_and_delete(
            {"_id": _key(ticket_id), "purpose": purpose.value, "expires_at": {"$gt": now}}
        )
        return doc is not None

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
        return [{"purpose": doc["purpose"], "expiresAt": doc["expires_at"].isoformat()}
                async for doc in self.collection.find({"user_id": user_id})]

    async def erase(self, user_id: str) -> None:
        await self.collection.delete_many({"user_id": user_id})
