"""Job records in Mongo: what a job's owner reads; the queue in Redis only delivers the work.

Every change moves the job's `revision` by one through a claim (atomic.py): concurrent changes all land, in
one order, each with its own revision (`$inc` loses some on FerretDB)."""

from collections.abc import Mapping
from enum import Enum
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.atomic import Versioned
from domain.jobs.model import Job, JobKind, JobStatus


def _job(doc: Mapping[str, Any]) -> Job:
    return Job(
        id=doc["_id"],
        owner_id=doc["owner_id"],
        kind=JobKind(doc["kind"]),
        subject_id=doc["subject_id"],
        status=JobStatus(doc["status"]),
        progress=doc["progress"],
        message=doc["message"],
        attempts=doc["attempts"],
        revision=doc["revision"],
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        error=doc.get("error"),
    )


class JobRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["jobs"]
        self.versioned = Versioned(self.collection)

    async def insert(self, job: Job) -> None:
        await self.collection.insert_one(
            {
                "_id": job.id,
                "owner_id": job.owner_id,
                "kind": job.kind.value,
                "subject_id": job.subject_id,
                "status": job.status.value,
                "progress": job.progress,
                "message": job.message,
                "attempts": job.attempts,
                "revision": job.revision,
                "created_at": job.created_at,
                "updated_at": job.updated_at,
                "error": job.error,
            }
        )

    async def for_owner(self, owner_id: str, job_id: str) -> Job | None:
        doc = await self.versioned.read(job_id, owner_id=owner_id)
        return None if doc is None else _job(doc)

    async def by_id(self, job_id: str) -> Job | None:
        doc = await self.versioned.read(job_id)
        return None if doc is None else _job(doc)

    async def change(self, job_id: str, changes: dict[str, Any]) -> Job | None:
        plain = {k: v.value if isinstance(v, Enum) else v for k, v in changes.items()}
        doc = await self.versioned.update(job_id, plain)
        return None if doc is None else _job(doc)
