"""Redis from Debian's package, run as our own loopback process rather than the system service."""

import os
import shutil
from collections.abc import Sequence

import redis

from migratio.stack.layout import Address, address_of
from migratio.stack.process import StackError, run_logged
from migratio.stack.service import Service


class RedisService(Service):
    name = "redis"
    startup_timeout_s = 20.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.redis_url, 6379)

    def install(self) -> None:
        if shutil.which("redis-server"):
            return
        if os.geteuid() != 0:
            raise StackError("redis-server is missing; run `sudo apt-get install -y redis-server`")
        env = {"DEBIAN_FRONTEND": "noninteractive"}
        apt = ["apt-get", "-o", "DPkg::Lock::Timeout=300"]
        run_logged([*apt, "update"], log_file=self.log_file, env=env)
        # policy-rc.d keeps the package from starting the system-wide redis on port 6379
        policy = "/usr/sbin/policy-rc.d"
        created_policy = not os.path.exists(policy)
        if created_policy:
            with open(policy, "w") as file:
                file.write("#!/bin/sh\nexit 101\n")
            os.chmod(policy, 0o755)
        try:
            run_logged(
                [*apt, "install", "-y", "--no-install-recommends", "redis-server"],
                log_file=self.log_file,
                env=env,
            )
        finally:
            if created_policy:
                os.unlink(policy)

    def argv(self) -> Sequence[str]:
        # an empty --save and no AOF: test data is disposable, and fsyncs slow every test down
        return [
            shutil.which("redis-server") or "redis-server",
            "--port", str(self.address.port),
            "--bind", self.address.host,
            "--dir", str(self.data_dir),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "yes",
        ]  # fmt: skip

    def is_healthy(self) -> bool:
        client = redis.Redis(host=self.address.host, port=self.address.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()
