"""Debian's PostgreSQL as FerretDB's backend: a cluster of our own in the stack's data dir, on loopback only.

The server and initdb refuse to run as root, so as root they run as the package's `postgres` user, which
then owns the data and socket directories. Where that user cannot walk down to the stack's data dir (a clone
in a 0700 directory, such as one `mktemp -d` made), the cluster lives in its home instead, one per stack.
Authentication is `trust`, as FerretDB and Redis here have none.
"""

import hashlib
import os
import pwd
import shutil
import signal
import stat
import subprocess
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from devstack.apt import apt_install
from devstack.layout import Address, address_of
from devstack.process import StackError, run_logged, stop
from devstack.service import Service

_DEBIAN_ROOT = Path("/usr/lib/postgresql")
_OS_USER = "postgres"
_OS_USER_HOME = Path("/var/lib/postgresql")


def bin_dir() -> Path | None:
    """The newest `/usr/lib/postgresql/<major>/bin` holding a server, or None when none is installed."""
    servers = [path.parent for path in _DEBIAN_ROOT.glob("*/bin/postgres") if path.parent.parent.name.isdigit()]
    return max(servers, key=lambda path: int(path.parent.name), default=None)


class PostgresService(Service):
    name = "postgres"
    startup_timeout_s = 30.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.ferretdb_postgresql_url, 5432)

    @property
    def wanted(self) -> bool:
        return self.settings.ferretdb_backend == "postgresql"

    @property
    def user(self) -> str:
        return urlsplit(self.settings.ferretdb_postgresql_url).username or "postgres"

    @property
    def database(self) -> str:
        return urlsplit(self.settings.ferretdb_postgresql_url).path.lstrip("/") or "ferretdb"

    @property
    def data_dir(self) -> Path:
        return self._base(self.paths.data(self.name), "data")

    @property
    def socket_dir(self) -> Path:
        return self._base(self.paths.run / self.name, "run")

    def _base(self, inside_stack: Path, kind: str) -> Path:
        if os.geteuid() != 0 or _walkable_by_others(inside_stack):
            return inside_stack
        stack = hashlib.sha256(str(self.paths.data(self.name).resolve()).encode()).hexdigest()[:12]
        return _OS_USER_HOME / f"migratio-{stack}" / kind

    def install(self) -> None:
        if bin_dir() is None:
            apt_install(["postgresql"], log_file=self.log_file)
        for directory in (self.data_dir, self.socket_dir):
            directory.mkdir(parents=True, exist_ok=True)
        self._own(self.data_dir, self.socket_dir)
        version_file = self.data_dir / "PG_VERSION"
        major = self._bin().parent.name
        if version_file.exists():
            if version_file.read_text().strip() != major:
                raise StackError(
                    f"{self.data_dir} holds a PostgreSQL {version_file.read_text().strip()} cluster "
                    f"and the server is {major}; delete that directory to start afresh"
                )
            return
        initdb = [
            str(self._bin() / "initdb"), "-D", str(self.data_dir), f"--username={self.user}",
            "--auth=trust", "--encoding=UTF8", "--no-locale",
        ]  # fmt: skip
        run_logged([*self._as_owner(), *initdb], log_file=self.log_file)

    def argv(self) -> Sequence[str]:
        return [
            *self._as_owner(),
            str(self._bin() / "postgres"),
            "-D", str(self.data_dir),
            "-c", f"listen_addresses={self.address.host}",
            "-c", f"port={self.address.port}",
            # a unix socket path longer than 107 bytes is refused; nothing here needs the socket anyway
            "-c", f"unix_socket_directories={self.socket_dir if len(str(self.socket_dir)) < 90 else ''}",
            # FerretDB's pool takes up to 50 connections per client it serves
            "-c", "max_connections=200",
        ]  # fmt: skip

    def is_healthy(self) -> bool:
        directory = bin_dir()
        if directory is None:
            return False
        probe = [
            str(directory / "pg_isready"),
            "-q",
            "-h",
            self.address.host,
            "-p",
            str(self.address.port),
            "-U",
            self.user,
            "-d",
            "postgres",
            "-t",
            "1",
        ]
        try:
            return subprocess.run(probe, check=False, timeout=5).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    def stop(self) -> bool:
        # SIGINT is the fast shutdown: SIGTERM would wait for FerretDB's pooled connections to close
        return stop(self.pid_file, sig=signal.SIGINT, group=False)

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run one SQL statement over TCP as the cluster's owner role; its unaligned output."""
        command = [
            str(self._bin() / "psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
            "-h", self.address.host, "-p", str(self.address.port), "-U", self.user, "-d", database, "-c", sql,
        ]  # fmt: skip
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
            env={**os.environ, "PGCONNECT_TIMEOUT": "5"},
        )
        if result.returncode != 0:
            raise StackError(f"psql failed on {self.address}: {result.stderr.strip()}")
        return result.stdout.strip()

    def ensure_database(self) -> None:
        """Create FerretDB's database (one PostgreSQL schema per MongoDB database lives in it)."""
        name = self.database
        if self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
            self.psql(f'CREATE DATABASE "{name}"')

    def _bin(self) -> Path:
        directory = bin_dir()
        if directory is None:
            raise StackError(f"PostgreSQL is not installed (no {_DEBIAN_ROOT}/<version>/bin/postgres)")
        return directory

    def _as_owner(self) -> list[str]:
        """As root, a prefix that runs the command as the `postgres` user (setpriv execs, keeping the pid)."""
        if os.geteuid() != 0:
            return []
        return [
            shutil.which("setpriv") or "setpriv",
            f"--reuid={_OS_USER}",
            f"--regid={_OS_USER}",
            "--init-groups",
            "--",
        ]

    def _own(self, *directories: Path) -> None:
        for directory in directories:
            if os.geteuid() == 0:
                account = pwd.getpwnam(_OS_USER)
                os.chown(directory, account.pw_uid, account.pw_gid)
            directory.chmod(0o700)


def _walkable_by_others(path: Path) -> bool:
    """Whether every existing directory above `path` lets other users pass (the `x` bit for others)."""
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.resolve().parents if parent.exists())
