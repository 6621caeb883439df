"""What the job sweeper reads and writes in Mongo: heartbeats, unfinished jobs, and its compare-and-set moves.

Heartbeats live in their own collection, written unconditionally by the worker every few seconds, so they
never race the job's versioned record (atomic.py). Lists show jobs as last written; each one found is rolled
forward through its claims before the sweeper judges it.
"""

from datetime import datetime
from enum import Enum
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.atomic import Versioned
from datasources.mongo.repos.jobs import _job
from domain.jobs.model import Job, JobStatus

WAITING = (JobStatus.QUEUED.value, JobStatus.RETRYING.value)


class JobLeaseRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.jobs = db["jobs"]
        self.heartbeats = db["job_heartbeats"]
        self.versioned = Versioned(self.jobs)

    async def beat(self, job_id: str, at: datetime) -> None:
        await self.heartbeats.update_one({"_id": job_id}, {"$set": {"at": at}}, upsert=True)

    async def forget(self, job_id: str) -> None:
        await self.heartbeats.delete_one({"_id": job_id})

    async def waiting(self, changed_before: datetime) -> list[Job]:
        found = []
        async for doc in self.jobs.find({"status": {"$in": list(WAITING)}, "updated_at": {"$lt": changed_before}}):
            current = await self.versioned.catch_up(doc)
            if current["status"] in WAITING:
                found.append(_job(current))
        return found

    async def silent(self, beat_before: datetime) -> list[Job]:
        found = []
        async for doc in self.jobs.find({"status": JobStatus.RUNNING.value, "updated_at": {"$lt": beat_before}}):
            current = await self.versioned.catch_up(doc)
            if current["status"] != JobStatus.RUNNING.value or current["updated_at"] >= beat_before:
                continue
            beat = await self.heartbeats.find_one({"_id": current["_id"]})
            if beat is None or beat["at"] < beat_before:
                found.append(_job(current))
        return found

    async def move(self, job: Job, changes: dict[str, Any]) -> Job | None:
        plain = {k: v.value if isinstance(v, Enum) else v for k, v in changes.items()}
        moved = await self.versioned.update(
            job.id, plain, where=lambda current: self.versioned.revision(current) == job.revision
        )
        return None if moved is None else _job(moved)
