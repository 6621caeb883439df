"""FerretDB v1: the MongoDB wire protocol, stored in the stack's PostgreSQL (or, by a setting, in SQLite files).

On SQLite only `_id` equality is served by an index; PostgreSQL pushes any equality down (README, "The local
stack"). Neither implements transactions or $lookup, and conditional updates are not atomic on either.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from devstack.gotool import go_build_patched
from devstack.layout import Address, address_of
from devstack.postgres import PostgresService
from devstack.process import running_argv
from devstack.service import Service

MODULE = "github.com/FerretDB/FerretDB"
VERSION = "v1.24.2"
# Its release process generates version.txt; a plain `go install` binary panics at start without it.
GENERATED = {"build/version/version.txt": f"{VERSION}\n"}


class FerretDBService(Service):
    name = "mongodb"
    startup_timeout_s = 30.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.mongodb_url, 27017)

    @property
    def requires(self) -> tuple[str, ...]:
        return (PostgresService.name,) if self.settings.ferretdb_backend == "postgresql" else ()

    def install(self) -> None:
        self._binary()
        if self.requires:
            PostgresService(self.settings, self.paths).ensure_database()

    def _binary(self) -> str:
        return str(go_build_patched(self.paths, MODULE, VERSION, "cmd/ferretdb", GENERATED, log_file=self.log_file))

    def argv(self) -> Sequence[str]:
        return [
            self._binary(),
            f"--listen-addr={self.address}",
            *self._backend_args(),
            f"--state-dir={self.data_dir}",
            # its pprof/metrics listener defaults to 127.0.0.1:8088, which other tools like to use
            "--debug-addr=-",
            "--telemetry=disable",
            "--log-level=warn",
        ]

    def _backend_args(self) -> list[str]:
        if self.settings.ferretdb_backend == "postgresql":
            return ["--handler=postgresql", f"--postgresql-url={self.settings.ferretdb_postgresql_url}"]
        # the trailing slash matters: the URL names a directory holding one .sqlite file per database
        return ["--handler=sqlite", f"--sqlite-url=file:{self.data_dir}/"]

    def is_stale(self) -> bool:
        """Running with other arguments than the settings give now (say, the other backend)."""
        running = running_argv(self.pid_file)
        return running is not None and running[1:] != list(self.argv())[1:]

    def env(self) -> Mapping[str, str]:
        return {"DO_NOT_TRACK": "1"}

    def is_healthy(self) -> bool:
        client: MongoClient[dict[str, Any]] = MongoClient(
            host=self.address.host,
            port=self.address.port,
            serverSelectionTimeoutMS=1000,
            connectTimeoutMS=1000,
            socketTimeoutMS=3000,  # a hung server must read as unhealthy, not hang the probe
            directConnection=True,
        )
        try:
            return client.admin.command("ping").get("ok") == 1
        except PyMongoError:
            return False
        finally:
            client.close()
