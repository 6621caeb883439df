"""A Redis server of a test's own (Debian's binary, on a free loopback port), for tests that stop or restart it
without disturbing the shared stack's."""

import shutil
import subprocess
import time


def start_redis(port: int) -> subprocess.Popen[bytes]:
    """Started and answering; it keeps nothing on disk, so a restart comes back empty."""
    binary = shutil.which("redis-server")
    assert binary, "the stack installs redis-server"
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() != b"PONG":
        assert time.monotonic() < deadline, "redis did not start"
        time.sleep(0.05)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait()
