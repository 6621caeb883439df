"""Redis from Debian's package, run as our own loopback process rather than the system service.

It keeps an append-only file in its data dir, as production Redis does, so queued jobs survive a restart.
"""

import shutil
from collections.abc import Sequence

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from devstack.apt import apt_install
from devstack.layout import Address, address_of
from devstack.process import running_pid
from devstack.service import Service


class RedisService(Service):
    name = "redis"
    startup_timeout_s = 20.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.redis_url, 6379)

    def install(self) -> None:
        if not shutil.which("redis-server"):
            apt_install(["redis-server"], log_file=self.log_file)

    def argv(self) -> Sequence[str]:
        # AOF fsynced once a second (production's usual setting); no RDB snapshots on top of it
        return [
            shutil.which("redis-server") or "redis-server",
            "--port", str(self.address.port),
            "--bind", self.address.host,
            "--dir", str(self.data_dir),
            "--save", "",
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--daemonize", "no",
            "--protected-mode", "yes",
        ]  # fmt: skip

    def _client(self) -> redis.Redis:
        # a probe answers once: redis-py's default retries would make a hung server take ~15 s to report
        return redis.Redis(
            host=self.address.host,
            port=self.address.port,
            socket_timeout=1,
            socket_connect_timeout=1,
            retry=Retry(NoBackoff(), 0),
        )

    def is_healthy(self) -> bool:
        client = self._client()
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def is_stale(self) -> bool:
        """Ours, and started before it kept an append-only file."""
        if running_pid(self.pid_file) is None:
            return False
        client = self._client()
        try:
            return client.config_get("appendonly").get("appendonly") != "yes"
        except redis.RedisError:
            return False
        finally:
            client.close()
