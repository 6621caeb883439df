"""The job queue (saq over Redis) and job progress events (Redis pub/sub).

A job carries only its own arguments: the worker reading a queue works on its deployment's database,
bucket and key prefix (its own settings), so each deployment has a queue of its own (JOB_QUEUE).
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from saq import Job, Queue, Status
from saq.job import TERMINAL_STATUSES
from saq.queue.redis import RedisQueue

from datasources.pubsub import GAP, Fanout, Mailbox
from domain.jobs.model import Job as TrackedJob
from domain.jobs.model import JobKind, JobStatus

log = logging.getLogger(__name__)

PRODUCE_REPORT = "produce_report"
SEND_REMINDERS = "send_reminders"


class PatientRedisQueue(RedisQueue):
    """saq's worker loops straight back into dequeue after an error: pause instead of spinning while Redis is down."""

    async def dequeue(self, timeout: float = 0.0, poll_interval: float = 0.0) -> Job | None:  # noqa: ASYNC109 - saq API
        try:
            return await super().dequeue(timeout, poll_interval)
        except RedisError as error:
            log.warning("cannot reach the job queue (%s); retrying in a second", error)
            await asyncio.sleep(1)
            return None


def connect_queue(url: str, name: str, timeout_s: float | None = None) -> Queue:
    """The API enqueues with timeouts (a down Redis fails fast); the worker passes None, as its dequeue blocks."""
    client = Redis.from_url(url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s)
    return PatientRedisQueue(client, name=name)


@dataclass
class SaqJobQueue:
    """Enqueues work for the worker; a job's key is its tracked id, so enqueuing twice runs it once."""

    queue: Queue
    attempts: int
    timeout_s: int

    async def enqueue_report(self, job_id: str, report_id: str) -> None:
        await self.queue.enqueue(self.report_job(job_id, report_id, self.attempts))

    def report_job(self, job_id: str, report_id: str, attempts: int) -> Job:
        return Job(
            function=PRODUCE_REPORT,
            key=queue_key(job_id),
            kwargs={"job_id": job_id, "report_id": report_id},
            retries=attempts,
            retry_delay=1.0,
            retry_backoff=30.0,
            timeout=self.timeout_s,
            ttl=3600,
        )

    async def run_reminders(self, wait_s: float) -> int:
        """Send due reminders through the worker now and wait for it; returns the number sent."""
        job = Job(function=SEND_REMINDERS, retries=1, timeout=self.timeout_s)
        await self.queue.enqueue(job)
        await job.refresh(until_complete=wait_s)
        if job.status is not Status.COMPLETE:
            raise RuntimeError(f"the reminder job ended {job.status.value}: {job.error}")
        return int(job.result)


def queue_key(job_id: str) -> str:
    """The saq key of a tracked job: one per job id, so the queue holds a job at most once."""
    return f"report:{job_id}"


@dataclass
class SaqJobDelivery:
    """The queue's side of job recovery (domain.jobs.recovery), over the same saq queue and keys."""

    jobs: SaqJobQueue

    async def held(self, job: TrackedJob) -> bool:
        found = await self.jobs.queue.job(queue_key(job.id))
        return found is not None and found.status not in TERMINAL_STATUSES

    async def deliver(self, job: TrackedJob) -> None:
        left = max(1, self.jobs.attempts - job.attempts)
        await self.jobs.queue.enqueue(self.jobs.report_job(job.id, job.subject_id, left))

    async def redeliver(self, job: TrackedJob, reason: str) -> None:
        found = await self.jobs.queue.job(queue_key(job.id))
        if found is None or found.status in TERMINAL_STATUSES:
            await self.deliver(job)
            return
        # saq counted the dead worker's try; the record decides how many remain, so the next run knows if it is last
        found.retries = found.attempts + max(1, self.jobs.attempts - job.attempts)
        await self.jobs.queue.retry(found, reason)

    async def drop(self, job: TrackedJob, reason: str) -> None:
        found = await self.jobs.queue.job(queue_key(job.id))
        if found is not None and found.status not in TERMINAL_STATUSES:
            await self.jobs.queue.finish(found, Status.ABORTED, error=reason)


class RedisJobEvents:
    """A channel per job: the worker publishes each change whole; API processes relay it to subscribers through
    the process's shared subscription. After a reconnect (events may be lost) the record is read again."""

    def __init__(
        self,
        publisher: Redis,
        fanout: Fanout | None,
        namespace: str,
        reread: Callable[[str], Awaitable[TrackedJob | None]] | None = None,
    ) -> None:
        self.publisher = publisher
        self.fanout = fanout
        self.namespace = namespace
        self.reread = reread

    def channel(self, job_id: str) -> str:
        return f"{self.namespace}:job-progress:{job_id}"

    async def publish(self, job: TrackedJob) -> None:
        try:
            await self.publisher.publish(self.channel(job.id), json.dumps(_job_to_data(job)))
        except RedisError as error:
            log.warning("progress of job %s not published: %s", job.id, error)

    @asynccontextmanager
    async def subscribe(self, job_id: str) -> AsyncIterator[AsyncIterator[TrackedJob]]:
        if self.fanout is None:
            raise RuntimeError("this process only publishes job events")
        async with self.fanout.listen(self.channel(job_id)) as mailbox:
            yield self._changes(job_id, mailbox)

    async def _changes(self, job_id: str, mailbox: Mailbox) -> AsyncIterator[TrackedJob]:
        async for data in mailbox:
            if data is GAP:
                current = await self.reread(job_id) if self.reread else None
                if current is not None:
                    yield current
                continue
            try:
                yield _job_from_data(json.loads(data))
            except (ValueError, KeyError, TypeError):
                log.warning("ignored malformed job event %r", data)


def _job_to_data(job: TrackedJob) -> dict[str, Any]:
    data = asdict(job)
    data.update(
        kind=job.kind.value,
        status=job.status.value,
        created_at=job.created_at.isoformat(),
        updated_at=job.updated_at.isoformat(),
    )
    return data


def _job_from_data(data: dict[str, Any]) -> TrackedJob:
    return TrackedJob(
        **{
            **data,
            "kind": JobKind(data["kind"]),
            "status": JobStatus(data["status"]),
            "created_at": datetime.fromisoformat(data["created_at"]),
            "updated_at": datetime.fromisoformat(data["updated_at"]),
        }
    )
