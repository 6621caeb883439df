"""up / down / status for the whole local stack; services are brought up side by side.

`up` is idempotent: a healthy service is left alone, a starting one is waited for, a missing one is
installed (once, into the cache) and started detached. A file lock keeps two callers (say, two pytest
workers) from starting the same service twice.
"""

import fcntl
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from devstack.ferretdb import FerretDBService
from devstack.layout import StackPaths
from devstack.notify_servers import FcmService, TwilioService
from devstack.oidc import OidcService
from devstack.opensearch import OpenSearchService
from devstack.postgres import PostgresService
from devstack.process import StackError, running_pid, spawn, stop, tail
from devstack.redis import RedisService
from devstack.s3 import S3Service
from devstack.service import Service
from devstack.smtp import SmtpService
from devstack.stripe import StripeMockService
from devstack.worker import WorkerService
from migratio.settings import Settings

SERVICE_TYPES: list[type[Service]] = [
    FerretDBService,
    PostgresService,
    RedisService,
    OpenSearchService,
    S3Service,
    SmtpService,
    StripeMockService,
    OidcService,
    WorkerService,
    TwilioService,
    FcmService,
]
NAMES = [kind.name for kind in SERVICE_TYPES]
HUNG_AFTER_S = 30.0  # a running service that answers no probe for this long is restarted by `up` (5 s killed a
# FerretDB busy with a 10,000-document insert on 2 cores)


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    address: str
    healthy: bool
    pid: int | None

    def __str__(self) -> str:
        state = "up" if self.healthy else "down"
        owner = f"pid {self.pid}" if self.pid else ("not ours" if self.healthy else "")
        return f"{self.name:<11} {state:<5} {self.address:<21} {owner}".rstrip()


def services(settings: Settings, only: list[str] | None = None, *, with_requirements: bool = True) -> list[Service]:
    """The selected services (default: those the settings use), and what they require."""
    unknown = set(only or []) - set(NAMES)
    if unknown:
        raise StackError(f"unknown service(s) {', '.join(sorted(unknown))}; known: {', '.join(NAMES)}")
    paths = StackPaths(settings.stack_dir)
    every = [kind(settings, paths) for kind in SERVICE_TYPES]
    names = set(only) if only else {s.name for s in every if s.wanted}
    while with_requirements and (missing := {r for s in every if s.name in names for r in s.requires} - names):
        names |= missing
    return [s for s in every if s.name in names]


def up(settings: Settings, only: list[str] | None = None, *, prepare: bool = True) -> None:
    """Install, start and health-wait every selected service; with `prepare`, also run `on_ready` hooks."""
    selected = services(settings, only)
    done = {s.name: threading.Event() for s in selected}
    outcomes: dict[str, str | None] = {}

    def bring_up(service: Service) -> None:
        try:
            for name in service.requires:
                done[name].wait()
                if outcomes.get(name):
                    outcomes[service.name] = f"{service.name} not started: it needs {name}, which failed"
                    return
            outcomes[service.name] = _up_one(service)
        finally:
            done[service.name].set()

    # one thread per service, so a service waiting for its requirements never holds up another
    with _lock(StackPaths(settings.stack_dir)), ThreadPoolExecutor(len(selected)) as pool:
        list(pool.map(bring_up, selected))
    failures = [message for message in outcomes.values() if message]
    if failures:
        raise StackError("\n\n".join(failures))
    if prepare:
        for service in selected:
            service.on_ready()


def down(settings: Settings, only: list[str] | None = None) -> list[str]:
    """Stop the services this stack started (by pid file), used or not; returns the names of those stopped."""
    return [s.name for s in services(settings, only or NAMES, with_requirements=False) if s.stop()]


def status(settings: Settings, only: list[str] | None = None) -> list[ServiceStatus]:
    selected = services(settings, only)
    with ThreadPoolExecutor(len(selected)) as pool:
        healthy = list(pool.map(lambda s: s.is_healthy(), selected))
    return [
        ServiceStatus(s.name, str(s.address), ok, running_pid(s.pid_file))
        for s, ok in zip(selected, healthy, strict=True)
    ]


def ensure_stack_running(settings: Settings) -> None:
    """For a test session fixture: a few pings when the stack is up, a full `up` when it is not.

    No bucket is created here: each test run makes its own (named in its settings).
    """
    if not all(s.healthy for s in status(settings)) or any(s.is_stale() for s in services(settings)):
        up(settings, prepare=False)


def start(service: Service) -> None:
    """Bring one service up as `up` does (its requirements must be up already); raise StackError on failure."""
    message = _up_one(service)
    if message:
        raise StackError(message)


def _up_one(service: Service) -> str | None:
    """Bring one service up; on failure, a message with the tail of its log (never raises)."""
    try:
        if service.is_stale():
            service.stop()
        elif service.is_healthy():
            return None
        if running_pid(service.pid_file) is not None and not _healthy_within(service, HUNG_AFTER_S):
            stop(service.pid_file, sig=signal.SIGKILL)  # running but answering nothing: no graceful stop
        service.paths.ensure(service.name)
        service.data_dir.mkdir(parents=True, exist_ok=True)
        if running_pid(service.pid_file) is None:
            service.install()
            spawn(
                service.argv(),
                log_file=service.log_file,
                pid_file=service.pid_file,
                env=service.env(),
                cwd=service.data_dir,
            )
        _wait_healthy(service)
        return None
    except Exception as exc:
        return f"{service.name} failed: {exc}\n--- last lines of {service.log_file}:\n{tail(service.log_file)}"


def _healthy_within(service: Service, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not service.is_healthy():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True


def _wait_healthy(service: Service) -> None:
    deadline = time.monotonic() + service.startup_timeout_s
    while not service.is_healthy():
        if running_pid(service.pid_file) is None:
            raise StackError(f"the process exited before {service.address} answered")
        if time.monotonic() > deadline:
            raise StackError(f"not healthy on {service.address} after {service.startup_timeout_s:.0f}s")
        time.sleep(0.25)


@contextmanager
def _lock(paths: StackPaths) -> Iterator[None]:
    paths.run.mkdir(parents=True, exist_ok=True)
    with (paths.run / "up.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
