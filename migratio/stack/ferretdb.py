"""FerretDB v1 on its SQLite backend: the MongoDB wire protocol with no database server to install.

See /work/shared/reference/platform-notes.md for what it does not support (transactions, $lookup…).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from migratio.stack.gotool import go_build_patched
from migratio.stack.layout import Address, address_of
from migratio.stack.service import Service

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

    def install(self) -> None:
        self._binary()

    def _binary(self) -> str:
        return str(go_build_patched(self.paths, MODULE, VERSION, "cmd/ferretdb", GENERATED, log_file=self.log_file))

    def argv(self) -> Sequence[str]:
        return [
            self._binary(),
            f"--listen-addr={self.address}",
            "--handler=sqlite",
            # the trailing slash matters: the URL names a directory holding one .sqlite file per database
            f"--sqlite-url=file:{self.data_dir}/",
            f"--state-dir={self.data_dir}",
            # its pprof/metrics listener defaults to 127.0.0.1:8088, which other tools like to use
            "--debug-addr=-",
            "--telemetry=disable",
            "--log-level=warn",
        ]

    def env(self) -> Mapping[str, str]:
        return {"DO_NOT_TRACK": "1"}

    def is_healthy(self) -> bool:
        client: MongoClient[dict[str, Any]] = MongoClient(
            host=self.address.host,
            port=self.address.port,
            serverSelectionTimeoutMS=1000,
            connectTimeoutMS=1000,
            directConnection=True,
        )
        try:
            return client.admin.command("ping").get("ok") == 1
        except PyMongoError:
            return False
        finally:
            client.close()
