"""The job worker (`python -m migratio.entrypoints.worker`) as a stack service, with the API's settings.

It reads the same environment as the API (`spawn` passes it on) and the project's `.env`, so it serves the
default run (`serve`) only; tests and benches name queues of their own and start their own workers. Health is
the worker's own registration in Redis (saq's worker info), found by pid; it carries a fingerprint of the code
it was started with, so `up` restarts a worker left running from before a code change.
"""

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import redis

from devstack.layout import Address, address_of
from devstack.process import StackError, running_pid
from devstack.redis import RedisService
from devstack.service import Service
from migratio.entrypoints.worker import code_fingerprint
from migratio.settings import PROJECT_ROOT, Settings


class WorkerService(Service):
    name = "worker"
    startup_timeout_s = 30.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.redis_url, 6379)

    def install(self) -> None:
        """Nothing to fetch (it is this project's code); wait for Redis, which `up` may be installing meanwhile."""
        redis_service = RedisService(self.settings, self.paths)
        deadline = time.monotonic() + 900
        while not redis_service.is_healthy():
            if time.monotonic() > deadline:
                raise StackError(f"redis did not answer on {redis_service.address}; the worker needs it")
            time.sleep(0.5)

    def argv(self) -> Sequence[str]:
        return [sys.executable, "-m", "migratio.entrypoints.worker", "--env-file", str(self.env_file)]

    @property
    def env_file(self) -> Path:
        return PROJECT_ROOT / ".env"

    @property
    def queue(self) -> str:
        """The queue the worker reads: that of its own settings, not of the settings `up` was called with (a test
        run's, whose queue is its own)."""
        return Settings(_env_file=self.env_file).job_queue  # type: ignore[call-arg]

    def _registration(self) -> dict[str, Any] | None:
        """Our worker's saq registration (found by the pid we started), or None."""
        pid = running_pid(self.pid_file)
        if pid is None:
            return None
        client = redis.Redis(host=self.address.host, port=self.address.port, socket_timeout=1, socket_connect_timeout=1)
        queue = self.queue
        try:
            members: Any = client.zrange(f"saq:{queue}:stats", 0, -1)  # the worker_info keys
            infos: Any = client.mget(members) if members else []
        except redis.RedisError:
            return None
        finally:
            client.close()
        for raw in infos:
            info = json.loads(raw) if raw else {}
            metadata = info.get("metadata") or {}
            if metadata.get("pid") == pid:
                return dict(metadata)
        return None

    def is_healthy(self) -> bool:
        return self._registration() is not None

    def is_stale(self) -> bool:
        registration = self._registration()
        return registration is not None and registration.get("code") != code_fingerprint()
