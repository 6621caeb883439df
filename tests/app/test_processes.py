"""`serve` with several processes: both answer on one port, and /metrics counts what every process served."""

import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from prometheus_client.mmap_dict import MmapedDict

from migratio.settings import PROJECT_ROOT, Settings
from tests.builders.accounts import cli_env
from tests.server import free_port

START_TIMEOUT_S = 60
REQUESTS = 40
PARALLEL = 8


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:  # field 4 of /proc/<pid>/stat: the parent
            found.append(int(stat.parent.name))
    return found


def _ok_in(samples: Path) -> float:
    """The `ok` operations one process counted, from its own multiprocess sample file."""
    values = MmapedDict.read_all_values_from_file(str(samples))
    return sum(entry[1] for entry in values if "graphql_operations_total" in entry[0] and '"ok"' in entry[0])


def _counted(directory: Path) -> dict[str, float]:
    """The `ok` operations of each process (by pid) that has counted any."""
    return {path.stem.rsplit("_", 1)[1]: _ok_in(path) for path in directory.glob("counter_*.db")}


def _typename(base: str) -> object:
    return httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, timeout=10).json()


def _ok_operations(metrics: str) -> float:
    pattern = r'^graphql_operations_total\{[^}]*outcome="ok"[^}]*\} ([0-9.e+]+)$'
    return sum(float(value) for value in re.findall(pattern, metrics, flags=re.MULTILINE))


def test_two_processes_serve_one_port_and_share_their_metrics(settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    env = {
        **cli_env(settings),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SERVE_PROCESSES": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    process = subprocess.Popen([sys.executable, "-m", "migratio.entrypoints.cli", "serve"], env=env, cwd=PROJECT_ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert process.poll() is None, "serve exited"
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200 and len(_children(process.pid)) >= 2:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not start two ready processes"
            time.sleep(0.2)
        workers = [pid for pid in _children(process.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(workers) == 2

        # Requests in parallel, on new connections, until each process has answered some: the kernel hands a
        # connection to whichever process accepts first, so one idle process could take them all one by one.
        sent = 0
        deadline = time.monotonic() + START_TIMEOUT_S
        with ThreadPoolExecutor(PARALLEL) as pool:
            while len(_counted(tmp_path)) < 2 or sent < REQUESTS:
                answers = list(pool.map(lambda _: _typename(base), range(PARALLEL)))
                assert all(a == {"data": {"__typename": "Query"}} for a in answers)
                sent += PARALLEL
                assert time.monotonic() < deadline, f"one process answered all {sent} requests"
        assert _ok_operations(httpx.get(f"{base}/metrics", timeout=10).text) == sent
        served = _counted(tmp_path)
        assert sorted(served) == sorted(str(pid) for pid in workers)
        assert all(count > 0 for count in served.values()), served  # both processes answered some
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
