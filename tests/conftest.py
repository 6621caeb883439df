"""The real stack for every test run: started when not running. Each test module gets a database, index
prefix, bucket, Redis prefix and job queue of its own (named after the session's run id, see tests/isolation.py),
the catalog when it asks for `seeded`, a job worker with its API (`server`), and everything removed when the
module ends: no test sees what another left, and any module passes alone. At the end the session fails if
anything under its run id remains.

Under pytest-xdist (`-n 2 --dist loadfile`, as scripts/test runs) the workers share the controller's run id,
and a test marked `alone` (a latency or timing bound) runs while no other test runs on any worker."""

import fcntl
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from devstack import ensure_stack_running
from migratio.settings import Settings
from migratio.wiring.services import Services, open_services
from tests.isolation import find_owned, new_run_id, remove_owned, run_resources, run_settings, seed_catalog
from tests.server import LiveServer, LiveWorker, start_server, start_worker

RUN = pytest.StashKey[str]()
"""The session's run id: every module's names start with `migratio-test-<run>` / `migratio_test_<run>`."""
USED = pytest.StashKey[bool]()
"""Whether any module made resources on the stack (a run of domain tests alone needs no stack)."""
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_modules = count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "alone: runs while no other test runs on any xdist worker (timing bounds)")
    workerinput = getattr(config, "workerinput", None)
    config.stash[RUN] = workerinput["migratio_run"] if workerinput else new_run_id()
    config.stash[USED] = False


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist's controller hands each worker its run id."""
    node.workerinput["migratio_run"] = node.config.stash[RUN]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    if getattr(node, "workeroutput", {}).get("migratio_used"):
        node.config.stash[USED] = True


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On the controller (or a serial run), once every module's teardown ran: nothing of this run may remain."""
    config = session.config
    if hasattr(config, "workerinput") or not config.stash.get(USED, False):
        return
    run = run_settings("test", config.stash[RUN])
    left = find_owned(run)
    if not left:
        return
    remove_owned(run)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"this run ({config.stash[RUN]}) left on the stack (now removed):"]
    lines += [f"  {kind}: {', '.join(names[:10])}{' …' if len(names) > 10 else ''}" for kind, names in left.items()]
    if reporter is not None:
        reporter.write("\n")
        for line in lines:
            reporter.write_line(line, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


@contextmanager
def _turn(run: str, alone: bool) -> Iterator[None]:
    """A readers-writer lock across the xdist workers, on two files: every test holds the tests lock shared,
    a test marked `alone` holds it exclusively; the turnstile, taken first by both, keeps new tests from
    starting while an `alone` test waits for the running ones to end."""
    base = Path(tempfile.gettempdir()) / f"migratio-test-{run}"
    with open(f"{base}.turnstile", "a") as turnstile, open(f"{base}.tests", "a") as tests:
        fcntl.flock(turnstile, fcntl.LOCK_EX)
        if not alone:
            fcntl.flock(turnstile, fcntl.LOCK_UN)
        fcntl.flock(tests, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(tests, fcntl.LOCK_UN)
            if alone:
                fcntl.flock(turnstile, fcntl.LOCK_UN)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Setup, call and teardown of each test (module fixtures included) inside its turn, under xdist only."""
    if WORKER == "main":
        yield
        return
    with _turn(item.config.stash[RUN], item.get_closest_marker("alone") is not None):
        yield


@pytest.fixture(scope="session")
def stack_run(pytestconfig: pytest.Config) -> Settings:
    """The session's names on a running stack."""
    settings = run_settings("test", pytestconfig.stash[RUN])
    ensure_stack_running(settings)
    return settings


@pytest.fixture(scope="module")
def settings(stack_run: Settings, pytestconfig: pytest.Config) -> Iterator[Settings]:
    """This module's own names (`<run>-<worker>-<n>`); when the module ends, everything stored under them goes."""
    pytestconfig.stash[USED] = True
    if hasattr(pytestconfig, "workeroutput"):
        pytestconfig.workeroutput["migratio_used"] = True
    run = f"{pytestconfig.stash[RUN]}-{WORKER}-{next(_modules):02d}"
    settings = run_settings("test", run, expose_query_stats=True)
    with run_resources(settings):
        yield settings


@pytest.fixture(scope="module")
def worker(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWorker]:
    """A job worker process of the module's own, on the module's queue: no other worker reads it."""
    live = start_worker(settings, tmp_path_factory.mktemp("worker") / "worker.log")
    yield live
    live.kill()


@pytest.fixture(scope="module")
def server(settings: Settings, worker: LiveWorker) -> Iterator[LiveServer]:
    """The module's API with its worker, as deployed: the jobs it queues (reports, notifications, account mail)
    get done."""
    live = start_server(settings)
    yield live
    live.stop()


@pytest.fixture(scope="module")
async def services(settings: Settings) -> AsyncIterator[Services]:
    """The app's own adapters, opened in the test loop, for arranging data and checking what changed."""
    services = open_services(settings)
    yield services
    await services.close()


@pytest.fixture(scope="module")
def db(services: Services) -> AsyncDatabase:
    return services.db


@pytest.fixture(scope="module")
async def seeded(services: Services) -> Services:
    """The curated catalog, loaded into this module's database and index."""
    await seed_catalog(services)
    return services
