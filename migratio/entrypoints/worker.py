"""The background worker: `python -m migratio.entrypoints.worker` (the local stack runs it as its `worker` service).

Why saq (over arq): both are asyncio job queues on Redis, but saq retries a job on any exception with
exponential backoff (arq retries only on an explicit `Retry`), sweeps jobs whose worker died, tracks status
and progress itself, has cron jobs and per-job timeouts, and is released often (0.26, 2026); arq pins
redis-py below 6, saq's optional extra below 8, and its core runs on the redis-py this project uses.
The job record clients read (status, progress, owner) stays in Mongo (`domain.jobs`); saq delivers work.

A job carries only its own arguments; the worker works on the database, bucket and key prefix of its own
settings, the same as the API's of its deployment (which has a JOB_QUEUE of its own).

The job record in Mongo is the truth: while a report is produced the worker writes a heartbeat every
JOB_HEARTBEAT_S, and every JOB_SWEEP_INTERVAL_S it recovers jobs (domain.jobs.recovery): queued ones the queue
lost (a Redis restart) are queued again, running ones silent for JOB_LEASE_S (a dead worker) are retried — well
before saq's own sweep would notice. The same sweep queues notification sends still pending after
NOTIFICATION_PENDING_GRACE_S (`Notifications.recover`: a process died between recording a send and sending it).
"""

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from saq import CronJob, Worker
from saq.types import Context

from datasources import jobs, mail, redis, search, storage
from datasources.jobs import PRODUCE_REPORT, SEND_REMINDERS
from datasources.mongo import client as mongo
from datasources.mongo.monitoring import CommandCounter
from datasources.notification_jobs import DELIVER_NOTIFICATION
from migratio.admin import analytics, retention
from migratio.code_version import fingerprint
from migratio.observability import configure_logging
from migratio.settings import Settings
from migratio.transport.tracing import configure_tracing, end_job_span, start_job_span
from migratio.wiring.analytics import build_analytics
from migratio.wiring.notifications import build_notifications
from migratio.wiring.roadmaps import build_roadmap_area

log = logging.getLogger("migratio.entrypoints.worker")

_SOURCES = ("migratio", "domain", "datasources", "migrations")


def code_fingerprint() -> str:
    """So the development stack can tell a worker started before a code change."""
    return fingerprint(_SOURCES)


class WorkerRuntime:
    """Connections and use cases built once per process, for the worker's own settings."""

    def __init__(self, settings: Settings) -> None:
        timeout = settings.dependency_timeout_s
        self.settings = settings
        self.mongo = mongo.connect(settings.mongodb_url, timeout, CommandCounter())
        self.redis = redis.connect(settings.redis_url, timeout)
        s3 = storage.connect(
            settings.s3_endpoint_url,
            settings.s3_region,
            settings.s3_access_key,
            settings.s3_secret_key.get_secret_value(),
            timeout,
        )
        store = storage.ObjectStore(s3, settings.s3_bucket)
        mailer = mail.Mailer(settings.smtp_url, settings.mail_from, timeout)
        self.queue = jobs.connect_queue(settings.redis_url, settings.job_queue, timeout)
        db = mongo.database(self.mongo, settings.mongodb_db)
        self.area = build_roadmap_area(settings, db, store, self.redis, None, mailer, self.queue)
        self.search = search.connect(settings.opensearch_url, timeout)
        self.analytics = build_analytics(settings, db, self.search, self.redis).buffer
        self.area.production.analytics = self.analytics  # report_ready, sent to the deployment's event indices
        self.notifications = build_notifications(settings, db, self.redis, mailer, self.queue)

    async def sweep(self) -> None:
        """Recover lost jobs, then sends left pending; a part that fails is tried again at the next interval."""
        try:
            swept = await self.area.recovery.sweep()
            if swept.requeued or swept.retried or swept.failed:
                log.info("recovered jobs: %s", swept)
        except Exception as error:
            log.warning("job sweep failed: %s: %s", type(error).__name__, error)
        try:
            stuck = await self.notifications.notifications.recover()
            if stuck:
                log.info("queued %d notification send(s) left pending", stuck)
        except Exception as error:
            log.warning("notification sweep failed: %s: %s", type(error).__name__, error)

    async def close(self) -> None:
        await self.analytics.close(self.settings.dependency_timeout_s)  # events of the last second
        await self.search.close()
        await self.mongo.close()
        await self.redis.aclose()
        await self.queue.disconnect()


class WorkerContext(Context, total=False):
    runtime: WorkerRuntime
    sweeper: "asyncio.Task[None]"


def _runtime(ctx: WorkerContext) -> WorkerRuntime:
    return ctx["runtime"]


async def produce_report(ctx: WorkerContext, *, job_id: str, report_id: str) -> str:
    """Render a roadmap's PDF report into the store; the last failed attempt marks the report failed."""
    final_attempt = not ctx["job"].retryable if "job" in ctx else True
    runtime = _runtime(ctx)
    area = runtime.area
    beating = asyncio.create_task(_every(runtime.settings.job_heartbeat_s, lambda: area.recovery.beat(job_id)))
    try:
        await area.production.produce(job_id, report_id, final_attempt=final_attempt)
    finally:
        beating.cancel()
        with contextlib.suppress(Exception):
            await area.recovery.forget(job_id)
    return report_id


async def _every(interval_s: float, work: Callable[[], Awaitable[None]]) -> None:
    """Run `work` now and then every `interval_s` until cancelled; a failed run is logged, not fatal."""
    while True:
        try:
            await work()
        except Exception as error:
            log.warning("periodic %s failed: %s: %s", getattr(work, "__name__", "work"), type(error).__name__, error)
        await asyncio.sleep(interval_s)


async def purge_analytics_events(ctx: WorkerContext) -> int:
    """Drop analytics days past ANALYTICS_RETENTION_DAYS (what `migratio analytics-purge` does)."""
    dropped = await analytics.purge_events(_runtime(ctx).settings)
    log.info("dropped %d analytics index(es)", len(dropped))
    return len(dropped)


async def purge_expired_records(ctx: WorkerContext) -> dict[str, int]:
    """Delete product records past their retention period (what `migratio purge-expired-data` does)."""
    purged = asdict(await retention.purge_expired_records(_runtime(ctx).settings))
    log.info("purged records past their retention: %s", purged)
    return purged


async def count_analytics_events(ctx: WorkerContext) -> int:
    """Count ended analytics days into the daily counts (what `migratio analytics-count` does)."""
    counted = await analytics.count_events(_runtime(ctx).settings)
    log.info("counted %d analytics day(s)", len(counted))
    return len(counted)


async def send_reminders(ctx: WorkerContext) -> int:
    """Mail reminders of tasks due soon; safe to run any number of times."""
    sent = await _runtime(ctx).area.reminders.send_due()
    log.info("sent %d reminder(s)", sent)
    return sent


async def deliver_notification(ctx: WorkerContext, *, send_id: str) -> str | None:
    """Send one recorded notification on its channel; a provider failure raises, so saq retries it."""
    final_attempt = not ctx["job"].retryable if "job" in ctx else True
    send = await _runtime(ctx).notifications.notifications.deliver(send_id, final_attempt=final_attempt)
    return None if send is None else send.status.value


assert produce_report.__qualname__ == PRODUCE_REPORT and send_reminders.__qualname__ == SEND_REMINDERS
assert deliver_notification.__qualname__ == DELIVER_NOTIFICATION


def worker_options(settings: Settings) -> dict[str, Any]:
    async def startup(ctx: WorkerContext) -> None:
        runtime = ctx["runtime"] = WorkerRuntime(settings)
        ctx["sweeper"] = asyncio.create_task(_every(settings.job_sweep_interval_s, runtime.sweep))

    async def shutdown(ctx: WorkerContext) -> None:
        if "sweeper" in ctx:
            ctx["sweeper"].cancel()
        if "runtime" in ctx:
            await _runtime(ctx).close()

    traced = configure_tracing(settings) is not None  # before the runtime's clients: the driver hooks must see them
    return {
        **({"before_process": [start_job_span], "after_process": [end_job_span]} if traced else {}),
        "queue": jobs.connect_queue(settings.redis_url, settings.job_queue),
        "functions": [produce_report, send_reminders, deliver_notification],
        "cron_jobs": [
            CronJob(send_reminders, cron=settings.reminder_cron, timeout=settings.job_timeout_s),
            CronJob(purge_analytics_events, cron=settings.analytics_purge_cron, timeout=settings.job_timeout_s),
            CronJob(count_analytics_events, cron=settings.analytics_count_cron, timeout=settings.job_timeout_s),
            CronJob(purge_expired_records, cron=settings.retention_cron, timeout=settings.job_timeout_s),
        ],
        "concurrency": settings.worker_concurrency,
        "startup": startup,
        "shutdown": shutdown,
        "metadata": {"pid": os.getpid(), "code": code_fingerprint()},
        "shutdown_grace_period_s": 5,
    }


async def run(settings: Settings) -> None:
    worker: Worker[WorkerContext] = Worker(**worker_options(settings))
    await worker.queue.connect()
    try:
        await worker.start()
    finally:
        await worker.queue.disconnect()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m migratio.entrypoints.worker", description="Run the background worker."
    )
    parser.add_argument("--env-file", type=Path, help="settings file to read (default: .env in the working dir)")
    args = parser.parse_args(argv)
    settings = Settings(_env_file=args.env_file) if args.env_file else Settings()  # type: ignore[call-arg]
    configure_logging(settings.log_level)
    log.info("worker for queue %s starting (pid %d)", settings.job_queue, os.getpid())
    asyncio.run(run(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
