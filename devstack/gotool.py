"""Builds pinned Go programs into the stack cache, with every Go cache (modules, builds) kept there too."""

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from devstack.layout import StackPaths
from devstack.process import StackError, run_logged


def go_install(paths: StackPaths, package: str, version: str, *, log_file: Path) -> Path:
    """`go install package@version`; builds only when this exact version is not in the cache yet."""
    binary = _binary(paths, package, version)
    if not binary.is_file():
        env = {**_go_env(paths), "GOBIN": str(binary.parent)}
        run_logged([_go(), "install", f"{package}@{version}"], log_file=log_file, env=env)
    return _built(binary)


def go_build_patched(
    paths: StackPaths, module: str, version: str, command: str, files: Mapping[str, str], *, log_file: Path
) -> Path:
    """Build `module/command` from a copy of the module's source with `files` added.

    For programs whose `go install` needs files their release process generates (FerretDB's version.txt).
    """
    binary = _binary(paths, f"{module}/{command}", version)
    if binary.is_file():
        return binary
    env = _go_env(paths)
    download = subprocess.run(
        [_go(), "mod", "download", "-json", f"{module}@{version}"],
        env={**os.environ, **env},
        cwd=paths.cache,
        capture_output=True,
        text=True,
        check=False,
    )
    if download.returncode != 0:
        raise StackError(f"go mod download {module}@{version} failed: {download.stdout}{download.stderr}")
    source = paths.cache / "go" / "src" / f"{module.rsplit('/', 1)[-1]}-{version}"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(json.loads(download.stdout)["Dir"], source)
    for name, content in files.items():
        (source / name).write_text(content)
    run_logged([_go(), "build", "-trimpath", "-o", str(binary), f"./{command}"], log_file=log_file, env=env, cwd=source)
    shutil.rmtree(source)
    return _built(binary)


def _binary(paths: StackPaths, package: str, version: str) -> Path:
    name = package.rsplit("/", 1)[-1]
    return paths.cache / "go" / "bin" / f"{name}-{version}" / name


def _built(binary: Path) -> Path:
    if not binary.is_file():
        raise StackError(f"the Go build produced no {binary}")
    return binary


def _go_env(paths: StackPaths) -> dict[str, str]:
    root = paths.cache / "go"
    return {
        "GOPATH": str(root / "path"),
        "GOMODCACHE": str(root / "mod"),
        "GOCACHE": str(root / "build"),
        # read-only module files would make `rm -rf .stack` fail
        "GOFLAGS": "-modcacherw -buildvcs=false",
        "GOTOOLCHAIN": "local",
        "CGO_ENABLED": "0",
    }


def _go() -> str:
    go = shutil.which("go") or "/usr/local/go/bin/go"
    if not os.path.exists(go):
        raise StackError("`go` is not installed; the stack builds FerretDB and MinIO with it")
    return go
