"""The package as it ships: `pip install .` gives a wheel without the development stack, tests or benches, and
the API and the worker start from it alone, in a fresh environment and a working directory outside the
checkout, so nothing resolves to the sources."""

import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from migratio.settings import PROJECT_ROOT, Settings
from tests.builders.accounts import cli_env
from tests.server import free_port, worker_registration

BUILD_TIMEOUT_S = 300
START_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(PROJECT_ROOT)],
        check=True,
        timeout=BUILD_TIMEOUT_S,
        cwd=out,
    )
    [built] = out.glob("migratio-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed; its dependencies come from the test venv's
    site-packages through a path entry (whose own .pth files, the editable install among them, are not run)."""
    env = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=60)
    purelib = Path(
        subprocess.run(
            [str(env / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (purelib / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(env / "bin" / "python")]
    subprocess.run(
        [*pip, "install", "--quiet", "--no-index", "--no-deps", str(wheel)],
        check=True,
        timeout=BUILD_TIMEOUT_S,
    )
    return env


def test_the_wheel_ships_the_service_and_not_the_development_tools(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    packages = {name.split("/")[0] for name in names if "/" in name and ".dist-info" not in name}
    assert packages == {"migratio", "schema", "resolvers", "domain", "datasources", "migrations"}
    assert "migratio/entrypoints/worker.py" in names
    assert "domain/users/common_passwords.txt" in names
    assert any(name.startswith("datasources/fonts/") and name.endswith(".ttf") for name in names)
    [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
    requires = [
        line.split(":", 1)[1].strip().lower()
        for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    assert not [r for r in requires if r.startswith(("aiosmtpd", "moto", "pytest", "locust"))]
    [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    scripts = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "migratio = migratio.entrypoints.cli:main" in scripts
    assert "migratio-worker = migratio.entrypoints.worker:main" in scripts


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in cli_env(settings).items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return {**env, **extra}


def test_the_installed_package_imports_from_itself_and_has_no_development_stack(
    installed: Path, tmp_path: Path
) -> None:
    probe = (
        "import importlib.util, migratio, domain; print(migratio.__file__); print(importlib.util.find_spec('devstack'))"
    )
    done = subprocess.run(
        [str(installed / "bin" / "python"), "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0, done.stderr
    where, devstack = done.stdout.splitlines()
    assert Path(where).is_relative_to(installed)
    assert devstack == "None"


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def test_the_api_starts_from_the_wheel_and_answers(installed: Path, tmp_path: Path, settings: Settings) -> None:
    port = free_port()
    env = _env(settings, HOST="127.0.0.1", PORT=str(port), MIGRATE_ON_START="true")
    process = subprocess.Popen([str(installed / "bin" / "migratio"), "serve"], env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert process.poll() is None, "the API exited"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the API did not answer /healthz"
            time.sleep(0.2)
        answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ questionBank { version } }"})
        assert answer.status_code == 200
        assert answer.json()["data"]["questionBank"]["version"] >= 1
    finally:
        _stop(process)


def test_the_worker_starts_from_the_wheel_and_registers(installed: Path, tmp_path: Path, settings: Settings) -> None:
    """On the module's own queue (tests.builders.accounts.cli_env); its keys go with the module's."""
    process = subprocess.Popen([str(installed / "bin" / "migratio-worker")], env=_env(settings), cwd=tmp_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while (registration := worker_registration(settings.redis_url, settings.job_queue, process.pid)) is None:
            assert process.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker did not register"
            time.sleep(0.2)
        assert len(registration["code"]) == 16  # the code fingerprint, computed from the installed package
    finally:
        _stop(process)
