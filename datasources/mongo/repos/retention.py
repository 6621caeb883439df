"""Deletes records past their retention period (domain.retention): each candidate found by a range query is
rolled forward through its claims and checked again, so a change made since its last write keeps it."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.atomic import Versioned
from datasources.storage import ObjectStore
from domain.jobs.model import JobStatus

FINISHED_JOBS = [status.value for status in JobStatus if status.terminal]


class MongoExpiredRecords:
    def __init__(self, db: AsyncDatabase, files: ObjectStore) -> None:
        self.db = db
        self.files = files

    async def purge_anonymous_assessments(self, before: datetime) -> int:
        expired = await _expired(
            self.db["assessments"],
            {"owner_id": None, "updated_at": {"$lt": before}},
            lambda doc: doc.get("owner_id") is None and doc["updated_at"] < before,
        )
        ids = [doc["_id"] for doc in expired]
        if ids:
            await self.db["profile_snapshots"].delete_many({"assessment_id": {"$in": ids}})
        return await _delete(self.db["assessments"], ids)

    async def purge_reports(self, before: datetime) -> int:
        expired = await _expired(
            self.db["reports"],
            {"completed_at": {"$lt": before}},
            lambda doc: doc.get("completed_at") is not None and doc["completed_at"] < before,
        )
        for doc in expired:  # the file first: a purge cut short finds the record again next time
            if doc.get("object_key"):
                await self.files.delete(doc["object_key"])
        return await _delete(self.db["reports"], [doc["_id"] for doc in expired])

    async def purge_finished_jobs(self, before: datetime) -> int:
        expired = await _expired(
            self.db["jobs"],
            {"status": {"$in": FINISHED_JOBS}, "updated_at": {"$lt": before}},
            lambda doc: doc["status"] in FINISHED_JOBS and doc["updated_at"] < before,
        )
        return await _delete(self.db["jobs"], [doc["_id"] for doc in expired])

    async def purge_audit_events(self, before: datetime) -> int:
        return (await self.db["audit_events"].delete_many({"at": {"$lt": before}})).deleted_count


async def _expired(
    collection: AsyncCollection, query: Mapping[str, Any], still: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    versioned = Versioned(collection)
    return [doc for doc in [await versioned.catch_up(d) async for d in collection.find(query)] if still(doc)]


async def _delete(collection: AsyncCollection, ids: list[str]) -> int:
    if not ids:
        return 0
    deleted = (await collection.delete_many({"_id": {"$in": ids}})).deleted_count
    await Versioned(collection).forget(ids)
    return deleted
