"""`maven_install` runs real Maven against the stack's local repository (`.stack/cache/m2`), into a scratch home."""

from pathlib import Path

import pytest

from devstack import oidc
from devstack.maven import maven_install
from devstack.process import StackError
from migratio.settings import Settings


@pytest.fixture(scope="module")
def m2() -> Path:
    """The stack's repository already holds mock-oauth2-server's jars (the stack is up), so nothing is fetched."""
    repository = Settings().stack_dir / "cache" / "m2"
    if not repository.is_dir():
        pytest.skip("the local stack has not been installed yet")
    return repository


def test_maven_install_copies_the_jars_the_stack_runs_and_marks_the_home_complete(m2: Path, tmp_path: Path) -> None:
    home = tmp_path / "mock-oauth2-server"
    maven_install(
        home, oidc.VERSION, {"lib": [oidc.ARTIFACT]}, m2=m2, log_file=tmp_path / "log", timeout_s=300,
        finish=oidc._check_jar,
    )  # fmt: skip
    installed = Settings().stack_dir / "cache" / f"mock-oauth2-server-{oidc.VERSION}"
    assert sorted(p.name for p in (home / "lib").iterdir()) == sorted(p.name for p in (installed / "lib").iterdir())
    assert (home / ".complete").read_text() == oidc.VERSION + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log", "mock-oauth2-server"]  # staging renamed away

    def must_not_run(_: Path) -> None:
        raise AssertionError("a complete home is not installed again")

    maven_install(home, oidc.VERSION, {"lib": []}, m2=m2, log_file=tmp_path / "log", timeout_s=1, finish=must_not_run)


def test_maven_install_leaves_a_failed_staging_unused_and_keeps_no_home(m2: Path, tmp_path: Path) -> None:
    home = tmp_path / "mock-oauth2-server"
    with pytest.raises(StackError, match="did not produce"):
        maven_install(
            home, oidc.VERSION, {"lib": []}, m2=m2, log_file=tmp_path / "log", timeout_s=300, finish=oidc._check_jar
        )
    assert not home.exists()
    assert not (tmp_path / "mock-oauth2-server.partial" / ".complete").exists()
