"""Where the local stack keeps things, and which address each service listens on.

Everything lives under `settings.stack_dir` so that deleting one directory resets the whole stack.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def address_of(url: str, default_port: int) -> Address:
    """Host and port of a service URL, so that changing an env var moves the service."""
    parts = urlsplit(url)
    return Address(parts.hostname or "127.0.0.1", parts.port or default_port)


@dataclass(frozen=True)
class StackPaths:
    root: Path

    @property
    def cache(self) -> Path:
        """Downloads and builds: slow to make, safe to keep across `down`/`up`."""
        return self.root / "cache"

    @property
    def run(self) -> Path:
        return self.root / "run"

    def data(self, service: str) -> Path:
        return self.root / "data" / service

    def log(self, service: str) -> Path:
        return self.root / "logs" / f"{service}.log"

    def pid(self, service: str) -> Path:
        return self.run / f"{service}.pid"

    def ensure(self, service: str) -> None:
        for directory in (self.cache, self.run, self.data(service), self.log(service).parent):
            directory.mkdir(parents=True, exist_ok=True)
