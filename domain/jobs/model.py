"""A background job as its owner sees it; the queue that runs it is an adapter detail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class JobKind(StrEnum):
    REPORT = "report"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"  # an attempt failed; the queue will try again
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def terminal(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED)


@dataclass(frozen=True, slots=True)
class Job:
    id: str
    owner_id: str
    kind: JobKind
    subject_id: str  # what the job works on (a report's id)
    status: JobStatus
    progress: int  # 0–100
    message: str
    attempts: int
    revision: int  # grows with every change, so watchers skip stale events
    created_at: datetime
    updated_at: datetime
    error: str | None = None
