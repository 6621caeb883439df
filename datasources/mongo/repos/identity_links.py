"""Linked sign-in identities in `oauth_identities` (migration 0010). The `_id` is the provider identity itself,
so of parallel links of one identity exactly one insert succeeds, on FerretDB as on MongoDB."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from domain.users.model import JsonValue
from domain.users.oauth_ports import LinkedIdentity


def _id(provider: str, subject: str) -> str:
    return f"{provider}:{subject}"


def _link(doc: dict[str, Any]) -> LinkedIdentity:
    return LinkedIdentity(doc["user_id"], doc["provider"], doc["subject"], doc.get("email"), doc["linked_at"])


class MongoIdentityLinks:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db.oauth_identities

    async def add(self, link: LinkedIdentity) -> bool:
        try:
            await self.collection.insert_one(
                {
                    "_id": _id(link.provider, link.subject),
                    "user_id": link.user_id,
                    "provider": link.provider,
                    "subject": link.subject,
                    "email": link.email,
                    "linked_at": link.linked_at,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def by_identity(self, provider: str, subject: str) -> LinkedIdentity | None:
        doc = await self.collection.find_one({"_id": _id(provider, subject)})
        return _link(doc) if doc else None

    async def for_user(self, user_id: str) -> list[LinkedIdentity]:
        docs = self.collection.find({"user_id": user_id}).sort("linked_at", 1)
        return [_link(doc) async for doc in docs]

    async def remove(self, user_id: str, provider: str, subject: str) -> bool:
        done = await self.collection.delete_one({"_id": _id(provider, subject), "user_id": user_id})
        return done.deleted_count == 1


class IdentityLinkRecords:
    """Linked identities in a data export, and gone with the account."""

    name = "linkedIdentities"

    def __init__(self, db: AsyncDatabase) -> None:
        self.links = MongoIdentityLinks(db)

    async def export(self, user_id: str) -> JsonValue:
        return [
            {"provider": x.provider, "subject": x.subject, "email": x.email, "linkedAt": x.linked_at.isoformat()}
            for x in await self.links.for_user(user_id)
        ]

    async def erase(self, user_id: str) -> None:
        await self.links.collection.delete_many({"user_id": user_id})
