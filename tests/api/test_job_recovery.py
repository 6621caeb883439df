"""Jobs survive a Redis that lost its queue and a worker killed mid-job: the record in Mongo is the truth.

Each test runs worker processes of its own on a queue of its own (no other worker sees these jobs), with a
short heartbeat, lease and sweep interval, and kills only the processes it started.
"""

import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, mongo
from tests.builders.redis_server import start_redis
from tests.builders.roadmaps import REPORT, REQUEST_REPORT, applicant, create_roadmap, wait_for_job
from tests.server import LiveServer, LiveWorker, free_port, start_server, start_worker

FAST = {"job_heartbeat_s": 0.5, "job_lease_s": 3.0, "job_sweep_interval_s": 0.5}


@contextmanager
def worker(settings: Settings, log: Path) -> Iterator[LiveWorker]:
    live = start_worker(settings, log)
    try:
        yield live
    finally:
        live.kill()


@contextmanager
def api(settings: Settings) -> Iterator[LiveServer]:
    live = start_server(settings)
    try:
        yield live
    finally:
        live.stop()


def _requested(account: Account) -> tuple[str, str]:
    roadmap = create_roadmap(account, date.today())
    payload: dict[str, Any] = account.client.data(REQUEST_REPORT, {"id": roadmap["id"]})["requestReport"]
    assert payload["job"]["status"] == "QUEUED"
    return payload["job"]["id"], payload["report"]["id"]


def _record(settings: Settings, job_id: str) -> dict[str, Any]:
    found: dict[str, Any] | None = mongo(settings)["jobs"].find_one({"_id": job_id})
    assert found is not None
    return found


@pytest.fixture
def own_queue(settings: Settings) -> Settings:
    queue = f"{settings.redis_key_prefix}-recovery-{uuid.uuid4().hex[:8]}"  # its keys go with the module's run
    return settings.model_copy(update={"job_queue": queue, "log_level": "INFO", **FAST})


def test_a_job_queued_before_redis_restarts_empty_is_queued_again_and_succeeds(
    own_queue: Settings, seeded: Services, tmp_path: Path
) -> None:
    port = free_port()
    redis_process = start_redis(port)
    settings = own_queue.model_copy(update={"redis_url": f"redis://127.0.0.1:{port}/0"})
    try:
        with api(settings) as live:
            person = applicant(live, settings, "requeued")
            job_id, report_id = _requested(person)
            redis_process.kill()  # no worker has taken it yet; this Redis keeps nothing on disk
            redis_process.wait()
            redis_process = start_redis(port)
            keys = subprocess.run(["redis-cli", "-p", str(port), "dbsize"], capture_output=True, text=True)
            assert keys.stdout.strip() == "0"  # the queue is gone
            assert _record(settings, job_id)["status"] == "queued"
            with worker(settings, tmp_path / "worker.log"):
                job = wait_for_job(person, job_id, timeout_s=60)
            assert (job["status"], job["attempts"], job["error"]) == ("SUCCEEDED", 1, None)
            report = person.client.data(REPORT, {"id": report_id})["report"]
            assert report["status"] == "READY" and report["sizeBytes"] > 0
    finally:
        redis_process.kill()
        redis_process.wait()


def test_a_job_whose_worker_is_killed_mid_job_is_retried_and_succeeds_within_15_seconds(
    own_queue: Settings, seeded: Services, tmp_path: Path
) -> None:
    settings = own_queue
    log = tmp_path / "workers.log"
    with api(settings) as live:
        person = applicant(live, settings, "orphaned")
        with worker(settings, log) as first:
            job_id, report_id = _requested(person)
            deadline = time.monotonic() + 60
            while _record(settings, job_id)["status"] != "running":
                assert time.monotonic() < deadline, "the worker never started the job"
                time.sleep(0.02)
            first.kill()
            killed_at = time.monotonic()
        assert _record(settings, job_id)["status"] == "running"  # as the dead worker left it
        with worker(settings, log):
            job = wait_for_job(person, job_id, timeout_s=30)
            recovered_s = time.monotonic() - killed_at
        print(f"killed mid-job; SUCCEEDED {recovered_s:.1f}s later")
        assert (job["status"], job["attempts"], job["error"]) == ("SUCCEEDED", 2, None)
        assert recovered_s < 15
        report = person.client.data(REPORT, {"id": report_id})["report"]
        assert report["status"] == "READY" and report["sizeBytes"] > 0
