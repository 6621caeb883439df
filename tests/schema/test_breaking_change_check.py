"""scripts/schema_breaking_changes.py fails on an unlisted breaking change, in a throwaway git repository."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "schema_breaking_changes.py"

V1 = "type Query {\n  name: String!\n  age: String\n}\n"
WITHOUT_AGE = "type Query {\n  name: String!\n}\n"
WITH_EMAIL = "type Query {\n  name: String!\n  age: String\n  email: String\n}\n"
REMOVED = "Field Query.age was removed."


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


def commit_schema(repo: Path, sdl: str, message: str) -> str:
    (repo / "graphql_schema.graphql").write_text(sdl)
    git(repo, "add", "graphql_schema.graphql")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "--short=7", "HEAD")


def run_check(repo: Path, allowlist: str | None = None) -> subprocess.CompletedProcess[str]:
    path = repo.parent / "allowlist.toml"
    path.write_text(allowlist or "")
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--repo", str(repo), "--allowlist", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def entry(commit: str | None = None) -> str:
    pinned = f'commit = "{commit}"\n' if commit else ""
    return f'[[change]]\ntype = "FIELD_REMOVED"\ndescription = "{REMOVED}"\n{pinned}date = "2026-01-01"\nreason = "x"\n'


def new_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit_schema(repo, V1, "v1")
    return repo


def test_an_unlisted_removed_field_fails_and_is_named(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    sha = commit_schema(repo, WITHOUT_AGE, "drop age")
    done = run_check(repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"BREAKING (commit {sha}): FIELD_REMOVED: {REMOVED}" in done.stdout


def test_a_listed_removed_field_passes(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    sha = commit_schema(repo, WITHOUT_AGE, "drop age")
    for allowlist in (entry(), entry(sha), entry("uncommitted")):
        done = run_check(repo, allowlist)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "checked 2 schema versions, 1 breaking changes, all intended" in done.stdout


def test_an_entry_pinned_to_another_commit_does_not_allow_it(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    commit_schema(repo, WITHOUT_AGE, "drop age")
    done = run_check(repo, entry("0000000"))
    assert done.returncode == 1
    assert REMOVED in done.stdout


def test_an_uncommitted_breaking_change_is_checked_and_its_entry_holds_after_commit(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    (repo / "graphql_schema.graphql").write_text(WITHOUT_AGE)
    done = run_check(repo)
    assert done.returncode == 1
    assert f"BREAKING (uncommitted): FIELD_REMOVED: {REMOVED}" in done.stdout
    assert run_check(repo, entry()).returncode == 0
    commit_schema(repo, WITHOUT_AGE, "drop age")
    assert run_check(repo, entry()).returncode == 0


def test_an_added_field_passes(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    commit_schema(repo, WITH_EMAIL, "add email")
    done = run_check(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "checked 2 schema versions, 0 breaking changes, all intended" in done.stdout


def test_an_entry_that_matches_nothing_fails(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    commit_schema(repo, WITH_EMAIL, "add email")
    done = run_check(repo, entry())
    assert done.returncode == 1
    assert f"STALE: allowlist.toml entry matches no change: FIELD_REMOVED: {REMOVED}" in done.stdout


def test_a_shallow_clone_checks_what_it_holds_and_says_so(tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    sha = commit_schema(repo, WITHOUT_AGE, "drop age")
    commit_schema(repo, WITHOUT_AGE.replace("}", "  email: String\n}"), "add email")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    for allowlist in (entry(sha), entry()):
        done = run_check(clone, allowlist)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "note: shallow clone; only the 1 schema versions it holds were compared" in done.stdout
    assert "warning: allowlist.toml entry matches no change" in done.stdout  # the unpinned one: maybe older
