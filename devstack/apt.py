"""Debian packages the stack runs as its own processes (redis-server, postgresql), installed when missing."""

import os
import threading
from collections.abc import Sequence
from pathlib import Path

from devstack.process import StackError, run_logged

_POLICY = Path("/usr/sbin/policy-rc.d")
# `up` installs services side by side; apt and its policy file are one at a time
_ONE_AT_A_TIME = threading.Lock()


def apt_install(packages: Sequence[str], *, log_file: Path) -> None:
    """`apt-get update` and install `packages`, without starting their system-wide services."""
    if os.geteuid() != 0:
        raise StackError(f"{' '.join(packages)} missing; run `sudo apt-get install -y {' '.join(packages)}`")
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    apt = ["apt-get", "-o", "DPkg::Lock::Timeout=300"]
    with _ONE_AT_A_TIME:
        run_logged([*apt, "update"], log_file=log_file, env=env)
        # policy-rc.d keeps the packages from starting system services on their default ports
        created_policy = not _POLICY.exists()
        if created_policy:
            _POLICY.write_text("#!/bin/sh\nexit 101\n")
            _POLICY.chmod(0o755)
        try:
            run_logged([*apt, "install", "-y", "--no-install-recommends", *packages], log_file=log_file, env=env)
        finally:
            if created_policy:
                _POLICY.unlink()
