"""Jobs the queue lost: the record in the store is the truth, and a sweeper makes the queue match it.

A queued job missing from the queue (Redis restarted without it) is delivered again; a running job whose worker
stopped beating is put back in the queue, or failed when that was its last attempt. Delivery is idempotent by
job id and every state change is a compare-and-set from the state the sweeper saw, so any number of sweepers
(one per worker) may run at once, and a worker that was only slow wins over the sweeper or loses cleanly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from domain.jobs.model import Job, JobStatus
from domain.jobs.ports import JobEvents

LOST = "the worker running it stopped"


class JobLeases(Protocol):
    async def beat(self, job_id: str, at: datetime) -> None:
        """Unconditional: the worker running `job_id` is alive at `at`."""
        ...

    async def forget(self, job_id: str) -> None: ...

    async def waiting(self, changed_before: datetime) -> list[Job]:
        """Jobs queued or waiting for a retry, unchanged since before `changed_before`."""
        ...

    async def silent(self, beat_before: datetime) -> list[Job]:
        """Running jobs whose last heartbeat (or change, when none came) is before `beat_before`."""
        ...

    async def move(self, job: Job, changes: dict[str, Any]) -> Job | None:
        """Compare-and-set: apply `changes` only if the job is still as `job` shows it; None if it moved on."""
        ...


class JobDelivery(Protocol):
    async def held(self, job: Job) -> bool:
        """Whether the queue holds the job: waiting, scheduled for a retry or being run."""
        ...

    async def deliver(self, job: Job) -> None:
        """Put the job in the queue, with the attempts it has left, unless it is there (idempotent by job id)."""
        ...

    async def redeliver(self, job: Job, reason: str) -> None:
        """Hand a job whose worker died to another worker."""
        ...

    async def drop(self, job: Job, reason: str) -> None:
        """Take a job that will not run again out of the queue."""
        ...


@dataclass(frozen=True, slots=True)
class Swept:
    requeued: int = 0
    retried: int = 0
    failed: int = 0


@dataclass
class JobRecovery:
    leases: JobLeases
    delivery: JobDelivery
    events: JobEvents
    clock: Callable[[], datetime]
    attempts: int
    lease_s: float
    on_failed: Callable[[Job, str], Awaitable[None]] | None = None

    async def beat(self, job_id: str) -> None:
        await self.leases.beat(job_id, self.clock())

    async def forget(self, job_id: str) -> None:
        await self.leases.forget(job_id)

    async def sweep(self) -> Swept:
        now = self.clock()
        cutoff = now - timedelta(seconds=self.lease_s)
        requeued = retried = failed = 0
        for job in await self.leases.waiting(cutoff):
            if not await self.delivery.held(job):
                await self.delivery.deliver(job)
                requeued += 1
        for job in await self.leases.silent(cutoff):
            last = job.attempts >= self.attempts
            changes: dict[str, Any] = {
                "status": JobStatus.FAILED if last else JobStatus.RETRYING,
                "message": "failed" if last else "will try again",
                "error": LOST,
                "updated_at": now,
            }
            moved = await self.leases.move(job, changes)
            if moved is None:
                continue  # it finished or progressed meanwhile
            await self.events.publish(moved)
            if last:
                await self.delivery.drop(moved, LOST)
                if self.on_failed is not None:
                    await self.on_failed(moved, LOST)
                failed += 1
            else:
                await self.delivery.redeliver(moved, LOST)
                retried += 1
        return Swept(requeued, retried, failed)
