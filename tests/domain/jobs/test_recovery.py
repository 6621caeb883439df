"""The sweeper's decisions, over in-memory fakes: what is queued again, retried, failed or left alone."""

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.jobs.model import Job, JobKind, JobStatus
from domain.jobs.recovery import LOST, JobRecovery, Swept

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def _job(job_id: str, status: JobStatus, attempts: int = 0, revision: int = 0) -> Job:
    return Job(
        job_id,
        "owner",
        JobKind.REPORT,
        f"report-{job_id}",
        status,
        0,
        "",
        attempts,
        revision,
        NOW - timedelta(minutes=1),
        NOW - timedelta(minutes=1),
    )


class Leases:
    def __init__(self, waiting: list[Job], silent: list[Job], moved_on: frozenset[str] = frozenset()) -> None:
        self._waiting, self._silent, self.moved_on = waiting, silent, moved_on
        self.beats: dict[str, datetime] = {}

    async def beat(self, job_id: str, at: datetime) -> None:
        self.beats[job_id] = at

    async def forget(self, job_id: str) -> None:
        self.beats.pop(job_id, None)

    async def waiting(self, changed_before: datetime) -> list[Job]:
        return self._waiting

    async def silent(self, beat_before: datetime) -> list[Job]:
        return self._silent

    async def move(self, job: Job, changes: dict[str, Any]) -> Job | None:
        if job.id in self.moved_on:
            return None
        return dataclasses.replace(job, revision=job.revision + 1, **changes)


class Delivery:
    def __init__(self, held: frozenset[str] = frozenset()) -> None:
        self._held = held
        self.calls: list[tuple[str, str]] = []

    async def held(self, job: Job) -> bool:
        return job.id in self._held

    async def deliver(self, job: Job) -> None:
        self.calls.append(("deliver", job.id))

    async def redeliver(self, job: Job, reason: str) -> None:
        self.calls.append(("redeliver", job.id))

    async def drop(self, job: Job, reason: str) -> None:
        self.calls.append(("drop", job.id))


class Events:
    def __init__(self) -> None:
        self.published: list[Job] = []

    async def publish(self, job: Job) -> None:
        self.published.append(job)

    def subscribe(self, job_id: str) -> Any:
        raise NotImplementedError


async def test_queued_jobs_the_queue_lost_are_delivered_again_and_held_ones_left_alone() -> None:
    delivery = Delivery(held=frozenset({"held"}))
    recovery = JobRecovery(
        Leases([_job("lost", JobStatus.QUEUED), _job("held", JobStatus.RETRYING, 1)], []),
        delivery,
        Events(),
        lambda: NOW,
        attempts=3,
        lease_s=10,
    )
    assert await recovery.sweep() == Swept(requeued=1)
    assert delivery.calls == [("deliver", "lost")]


async def test_a_silent_running_job_is_retried_and_on_its_last_attempt_failed_with_its_report() -> None:
    delivery, events, failed = Delivery(), Events(), []

    async def on_failed(job: Job, reason: str) -> None:
        failed.append((job.subject_id, reason))

    leases = Leases([], [_job("again", JobStatus.RUNNING, 1), _job("last", JobStatus.RUNNING, 3)])
    recovery = JobRecovery(leases, delivery, events, lambda: NOW, attempts=3, lease_s=10, on_failed=on_failed)
    assert await recovery.sweep() == Swept(retried=1, failed=1)
    assert delivery.calls == [("redeliver", "again"), ("drop", "last")]
    assert [(j.id, j.status, j.error, j.revision) for j in events.published] == [
        ("again", JobStatus.RETRYING, LOST, 1),
        ("last", JobStatus.FAILED, LOST, 1),
    ]
    assert failed == [("report-last", LOST)]


async def test_a_job_that_moved_on_before_the_compare_and_set_is_left_to_its_worker() -> None:
    delivery, events = Delivery(), Events()
    leases = Leases([], [_job("busy", JobStatus.RUNNING, 1)], moved_on=frozenset({"busy"}))
    recovery = JobRecovery(leases, delivery, events, lambda: NOW, attempts=3, lease_s=10)
    assert await recovery.sweep() == Swept()
    assert (delivery.calls, events.published) == ([], [])
