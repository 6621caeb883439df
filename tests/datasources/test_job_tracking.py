"""Job tracking over the real Mongo and Redis: every transition a worker records reaches a subscriber."""

import asyncio

import pytest

from domain.jobs.model import Job, JobKind, JobStatus
from domain.jobs.service import JobNotFound, Progress
from migratio.wiring.services import Services


async def _watch(services: Services, owner: str, job_id: str) -> tuple[asyncio.Task[list[Job]], asyncio.Event]:
    subscribed = asyncio.Event()

    async def collect() -> list[Job]:
        seen = []
        async for job in services.jobs.watch(owner, job_id):
            seen.append(job)
            subscribed.set()
        return seen

    task = asyncio.create_task(collect())
    await asyncio.wait_for(subscribed.wait(), 10)
    return task, subscribed


async def test_a_subscriber_sees_queued_running_each_progress_step_and_success(services: Services) -> None:
    job = await services.jobs.create("owner-1", JobKind.REPORT, "subject-1")
    watcher, _ = await _watch(services, "owner-1", job.id)

    async def work(progress: Progress) -> None:
        await progress(40, "drawing")
        await progress(80, "storing")

    await services.jobs.run(job.id, work, final_attempt=True)
    seen = await asyncio.wait_for(watcher, 10)
    assert [(j.status, j.progress, j.message) for j in seen] == [
        (JobStatus.QUEUED, 0, "waiting for a worker"),
        (JobStatus.RUNNING, 0, "started"),
        (JobStatus.RUNNING, 40, "drawing"),
        (JobStatus.RUNNING, 80, "storing"),
        (JobStatus.SUCCEEDED, 100, "done"),
    ]
    assert seen[-1].attempts == 1


async def test_a_failed_attempt_shows_retrying_and_the_last_one_failed(services: Services) -> None:
    job = await services.jobs.create("owner-2", JobKind.REPORT, "subject-2")

    async def broken(progress: Progress) -> None:
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        await services.jobs.run(job.id, broken, final_attempt=False)
    retrying = await services.jobs.get("owner-2", job.id)
    assert (retrying.status, retrying.attempts, retrying.error) == (
        JobStatus.RETRYING,
        1,
        "RuntimeError: renderer crashed",
    )
    with pytest.raises(RuntimeError):
        await services.jobs.run(job.id, broken, final_attempt=True)
    failed = await services.jobs.get("owner-2", job.id)
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 2)


async def test_a_finished_job_delivered_again_is_not_run_twice(services: Services) -> None:
    job = await services.jobs.create("owner-3", JobKind.REPORT, "subject-3")
    runs = []

    async def work(progress: Progress) -> None:
        runs.append(1)

    await services.jobs.run(job.id, work, final_attempt=True)
    await services.jobs.run(job.id, work, final_attempt=True)
    assert runs == [1]


async def test_another_owner_cannot_read_or_watch_a_job(services: Services) -> None:
    job = await services.jobs.create("owner-4", JobKind.REPORT, "subject-4")
    with pytest.raises(JobNotFound):
        await services.jobs.get("intruder", job.id)
    with pytest.raises(JobNotFound):
        async for _ in services.jobs.watch("intruder", job.id):
            pass
