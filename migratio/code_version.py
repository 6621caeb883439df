"""A fingerprint of the Python sources a process runs: what outlives a deployment (cached answers, a running
worker) can tell it was made by other code."""

import hashlib
import importlib
from collections.abc import Iterable
from pathlib import Path


def fingerprint(packages: Iterable[str]) -> str:
    """Names, sizes and modification times of the packages' sources (installed or checked out)."""
    digest = hashlib.sha256()
    for name in packages:
        folder = Path(importlib.import_module(name).__path__[0])
        for path in sorted(folder.rglob("*.py")):
            stat = path.stat()
            digest.update(f"{name}/{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]
