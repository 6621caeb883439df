"""Detached service processes tracked by pid files, and blocking install commands with logged output.

A pid file holds the pid and the kernel's start time of that process, so a recycled pid is never
mistaken for our service (and never killed).
"""

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


class StackError(RuntimeError):
    """A service could not be installed, started or reached; the message says which and why."""


def _start_time(pid: int) -> str | None:
    """Start time in clock ticks since boot (field 22 of /proc/<pid>/stat); None if gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    state, start = fields[0], fields[19]
    return None if state in ("Z", "X") else start


def running_pid(pid_file: Path) -> int | None:
    """The pid recorded in `pid_file` if that very process is still alive."""
    try:
        pid_text, start = pid_file.read_text().split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return None
    return pid if _start_time(pid) == start else None


def running_argv(pid_file: Path) -> list[str] | None:
    """The command line of the process recorded in `pid_file`, if it is still alive."""
    pid = running_pid(pid_file)
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")[:-1] if pid else None
    except OSError:
        return None


def spawn(
    argv: Sequence[str | os.PathLike[str]],
    *,
    log_file: Path,
    pid_file: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> int:
    """Start `argv` in its own session, output appended to `log_file`, so it outlives the caller."""
    with log_file.open("ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {_show(argv)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            [os.fspath(arg) for arg in argv],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=True,
        )
    start = _start_time(process.pid)
    pid_file.write_text(f"{process.pid} {start}\n")
    # a long-lived caller (a pytest session) must reap the service if it dies, or it lingers as a zombie
    threading.Thread(target=process.wait, name=f"reap-{process.pid}", daemon=True).start()
    return process.pid


def stop(pid_file: Path, timeout_s: float = 20.0, *, sig: signal.Signals = signal.SIGTERM, group: bool = True) -> bool:
    """Send `sig` to the service's process group (or only to its leader), SIGKILL the group after `timeout_s`.

    True if something was stopped.
    """
    pid = running_pid(pid_file)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return False
    if group:
        _signal_group(pid, sig)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    deadline = time.monotonic() + timeout_s
    while running_pid(pid_file) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    if running_pid(pid_file) is not None:
        _signal_group(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        # spawn() made the service a session leader, so its group id is its pid
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def run_logged(
    argv: Sequence[str | os.PathLike[str]],
    *,
    log_file: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout_s: float = 1800,
) -> None:
    """Run an install step to completion, output appended to `log_file`; raise StackError on failure."""
    with log_file.open("ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} running: {_show(argv)}\n".encode())
        log.flush()
        try:
            result = subprocess.run(
                [os.fspath(arg) for arg in argv],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                cwd=cwd,
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise StackError(f"{_show(argv)} took longer than {timeout_s:.0f}s") from exc
    if result.returncode != 0:
        raise StackError(f"{_show(argv)} exited with {result.returncode}")


def tail(path: Path, lines: int = 40) -> str:
    try:
        with path.open("rb") as file:
            file.seek(0, os.SEEK_END)
            file.seek(max(0, file.tell() - 64 * 1024))
            text = file.read().decode(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def _show(argv: Sequence[str | os.PathLike[str]]) -> str:
    return " ".join(os.fspath(arg) for arg in argv)
