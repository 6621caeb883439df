"""What every local service provides: an idempotent install, a command line, a health probe."""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path

from devstack.layout import Address, StackPaths
from devstack.process import stop
from migratio.settings import Settings


class Service(ABC):
    """One backing service run from `settings.stack_dir`; subclasses stay small and declarative."""

    name: str
    startup_timeout_s: float = 60.0

    def __init__(self, settings: Settings, paths: StackPaths) -> None:
        self.settings = settings
        self.paths = paths

    @property
    @abstractmethod
    def address(self) -> Address: ...

    @property
    def data_dir(self) -> Path:
        return self.paths.data(self.name)

    @property
    def log_file(self) -> Path:
        return self.paths.log(self.name)

    @property
    def pid_file(self) -> Path:
        return self.paths.pid(self.name)

    @abstractmethod
    def install(self) -> None:
        """Fetch or build what `argv` runs; must return at once when that is already done."""

    @abstractmethod
    def argv(self) -> Sequence[str]: ...

    def env(self) -> Mapping[str, str]:
        return {}

    @abstractmethod
    def is_healthy(self) -> bool:
        """A real request (ping, PING, list buckets…) with a short timeout; never raises."""

    def on_ready(self) -> None:  # noqa: B027 - most services need nothing here
        """Runs after every successful `up` (e.g. create the bucket); must be idempotent."""

    def is_stale(self) -> bool:
        """True when the running process should be restarted (the worker, after a code change)."""
        return False

    @property
    def wanted(self) -> bool:
        """False for a service the settings do not use (PostgreSQL when FerretDB runs on SQLite)."""
        return True

    @property
    def requires(self) -> tuple[str, ...]:
        """Services that must be healthy before this one starts; `up` selects and waits for them."""
        return ()

    def stop(self) -> bool:
        """Stop the process this stack started; True if one was running."""
        return stop(self.pid_file)
