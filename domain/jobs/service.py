"""Job tracking: create, read and watch (owner only), and the transitions a worker reports while running.

The record in the document store is the truth clients read; each change is published whole, so a
subscriber on any API process sees every state in order without reading the store again. An attempt that
fails while the queue will retry shows as RETRYING, the last as FAILED.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from domain.errors import NotFound
from domain.jobs.model import Job, JobKind, JobStatus
from domain.jobs.ports import JobEvents, JobRepository

Progress = Callable[[int, str], Awaitable[None]]
"""What a running job calls to report how far it got: percent and a short message."""


class JobNotFound(NotFound):
    def __init__(self, job_id: str) -> None:
        super().__init__(f"no job {job_id!r} of yours", id=job_id)


@dataclass
class JobTracker:
    jobs: JobRepository
    events: JobEvents
    clock: Callable[[], datetime]
    new_id: Callable[[], str] = field(default=lambda: secrets.token_hex(12))

    async def create(self, owner_id: str, kind: JobKind, subject_id: str) -> Job:
        now = self.clock()
        job = Job(
            self.new_id(), owner_id, kind, subject_id, JobStatus.QUEUED, 0, "waiting for a worker", 0, 0, now, now
        )
        await self.jobs.insert(job)
        return job

    async def get(self, owner_id: str, job_id: str) -> Job:
        found = await self.jobs.for_owner(owner_id, job_id)
        if found is None:
            raise JobNotFound(job_id)
        return found

    async def watch(self, owner_id: str, job_id: str) -> AsyncIterator[Job]:
        """The job now, then after every change, until it succeeds or fails for good."""
        await self.get(owner_id, job_id)
        async with self.events.subscribe(job_id) as changes:
            current = await self.get(owner_id, job_id)  # read after subscribing: no change falls in between
            yield current
            if current.status.terminal:
                return
            async for changed in changes:
                if changed.revision <= current.revision or changed.owner_id != owner_id:
                    continue
                current = changed
                yield current
                if current.status.terminal:
                    return

    async def _change(self, job_id: str, **changes: object) -> Job | None:
        changed = await self.jobs.change(job_id, {**changes, "updated_at": self.clock()})
        if changed is not None:
            await self.events.publish(changed)
        return changed

    async def abandon(self, job_id: str, reason: str) -> None:
        """A job that never reached the queue: failed at once, so nobody waits for it."""
        await self._change(job_id, status=JobStatus.FAILED, message="failed", error=reason)

    async def run(self, job_id: str, work: Callable[[Progress], Awaitable[None]], *, final_attempt: bool) -> None:
        """Run one attempt of `work`, recording each state; re-raises a failure so the queue can retry."""
        job = await self.jobs.by_id(job_id)
        if job is None or job.status is JobStatus.SUCCEEDED:
            return  # deleted, or a duplicate delivery of finished work: nothing to do
        await self._change(
            job_id, status=JobStatus.RUNNING, attempts=job.attempts + 1, progress=0, message="started", error=None
        )

        async def progress(percent: int, message: str) -> None:
            await self._change(job_id, progress=max(0, min(100, percent)), message=message)

        try:
            await work(progress)
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            if final_attempt:
                await self._change(job_id, status=JobStatus.FAILED, message="failed", error=reason)
            else:
                await self._change(job_id, status=JobStatus.RETRYING, message="will try again", error=reason)
            raise
        await self._change(job_id, status=JobStatus.SUCCEEDED, progress=100, message="done", error=None)
