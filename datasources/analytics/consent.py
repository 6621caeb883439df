"""Each person's analytics consent, one document per account (`_id` = user id): last write wins."""

from collections.abc import Iterable
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from domain.analytics.model import Consent, ConsentRecord

COLLECTION = "analytics_consent"


def _record(doc: dict[str, Any]) -> ConsentRecord:
    analytics = doc.get("analytics")
    return ConsentRecord(
        analytics=Consent(analytics) if analytics else None, country=doc.get("country"), updated_at=doc["updated_at"]
    )


class MongoConsentStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db[COLLECTION]

    async def get(self, user_id: str) -> ConsentRecord | None:
        doc = await self.collection.find_one({"_id": user_id})
        return _record(doc) if doc else None

    async def many(self, user_ids: Iterable[str]) -> dict[str, ConsentRecord]:
        ids = sorted(set(user_ids))
        if not ids:
            return {}
        return {doc["_id"]: _record(doc) async for doc in self.collection.find({"_id": {"$in": ids}})}

    async def put(self, user_id: str, record: ConsentRecord) -> None:
        doc = {
            "analytics": record.analytics.value if record.analytics else None,
            "country": record.country,
            "updated_at": record.updated_at,
        }
        try:
            await self.collection.replace_one({"_id": user_id}, doc, upsert=True)
        except DuplicateKeyError:  # two first choices at once: the insert lost, the document now exists
            await self.collection.replace_one({"_id": user_id}, doc)

    async def forget(self, user_id: str) -> None:
        await self.collection.delete_one({"_id": user_id})
