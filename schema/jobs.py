"""Shapes of background jobs: what the owner sees of a job's progress."""

from datetime import datetime
from typing import Any

import strawberry

from domain.jobs import model
from schema.permissions import IsOwner, Private, guarded

JobStatus = strawberry.enum(model.JobStatus, description="RETRYING: an attempt failed and another is coming.")
JobKind = strawberry.enum(model.JobKind)


def owner_only(**options: Any) -> Any:
    return guarded(IsOwner(), **options)


@strawberry.type(
    description="A background job you started; watch it with the jobProgress subscription.", directives=[Private()]
)
class Job:
    owner_id: strawberry.Private[str]
    id: strawberry.ID = owner_only()
    kind: model.JobKind = owner_only()
    status: model.JobStatus = owner_only()
    progress: int = owner_only(description="0–100")
    message: str = owner_only(description="What the job is doing now")
    attempts: int = owner_only()
    error: str | None = owner_only(description="Why the last attempt failed")
    created_at: datetime = owner_only()
    updated_at: datetime = owner_only()

    @classmethod
    def from_domain(cls, job: model.Job) -> "Job":
        return cls(
            owner_id=job.owner_id,
            id=strawberry.ID(job.id),
            kind=job.kind,
            status=job.status,
            progress=job.progress,
            message=job.message,
            attempts=job.attempts,
            error=job.error,
            created_at=job.created_at,
            updated_at=job.updated_at,
        )
