"""Breaking-change check of the exported schema across the history of main.

Every committed version of graphql_schema.graphql is compared with the one before it, and the committed
version with the working tree's, by graphql-core's find_breaking_changes. Each breaking change found must
be listed in schema-changes.toml as intended; otherwise the check names it and exits 1.

Reads SDL files through git only and imports nothing from this project, so it runs before (and
regardless of) the project's own imports.

An entry in schema-changes.toml:

    [[change]]
    type = "FIELD_REMOVED"                      # graphql-core's BreakingChangeType name
    description = "Field Query.foo was removed."  # exactly as graphql-core words it
    commit = "abc1234"                          # optional: the commit that made it (a prefix of its sha)
    date = "2026-12-06"
    reason = "why breaking clients here is intended"

An entry without commit (or with commit = "uncommitted") matches its change wherever it is found: the
working tree while the change is not committed, and the commit that makes it afterwards, so the entry
goes into the same commit as the schema change. Pin the commit later if wanted; a pinned entry no longer
allows the same change again elsewhere. An entry that matches nothing fails the check in a full clone
(it would allow that change at any later time without anyone deciding so); in a shallow clone, where
older commits are not there to match, it is only reported.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLError, GraphQLSchema, build_schema
from graphql.utilities import BreakingChangeType, find_breaking_changes

SCHEMA_FILE = "graphql_schema.graphql"
UNCOMMITTED = "uncommitted"


@dataclass(frozen=True)
class Change:
    type: str
    description: str
    commit: str  # full sha, or UNCOMMITTED for the working tree


@dataclass(frozen=True)
class Entry:
    type: str
    description: str
    commit: str | None  # None: any commit, or the working tree
    reason: str
    date: str

    def matches(self, change: Change) -> bool:
        if change.type != self.type or change.description != self.description:
            return False
        return self.commit is None or change.commit.startswith(self.commit)


class CheckError(Exception):
    """A problem that stops the check itself (not a breaking change)."""


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)


def load_allowlist(path: Path) -> list[Entry]:
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise CheckError(f"{path.name}: {e}") from e
    known_types = {t.name for t in BreakingChangeType}
    entries = []
    for i, raw in enumerate(data.get("change", []), start=1):
        missing = [k for k in ("type", "description", "reason", "date") if not str(raw.get(k, "")).strip()]
        if missing:
            raise CheckError(f"{path.name}: change #{i} lacks {', '.join(missing)}")
        if raw["type"] not in known_types:
            raise CheckError(f"{path.name}: change #{i} has unknown type {raw['type']!r}")
        commit = raw.get("commit")
        entries.append(
            Entry(
                type=raw["type"],
                description=raw["description"],
                commit=None if commit in (None, "", UNCOMMITTED) else str(commit),
                reason=raw["reason"],
                date=str(raw["date"]),
            )
        )
    return entries


def parse(sdl: str, where: str) -> GraphQLSchema:
    try:
        return build_schema(sdl)
    except GraphQLError as e:
        raise CheckError(f"{SCHEMA_FILE} at {where} does not build: {e.message}") from e


def versions(repo: Path) -> list[tuple[str, str]]:
    """(sha, SDL) of each commit on HEAD's first-parent line that changed the schema file, oldest first."""
    log = git(repo, "log", "--reverse", "--first-parent", "--format=%H", "HEAD", "--", SCHEMA_FILE)
    if log.returncode != 0:
        if git(repo, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
            return []  # no commits yet
        raise CheckError(f"git log failed: {log.stderr.strip()}")
    found = []
    for sha in log.stdout.split():
        show = git(repo, "show", f"{sha}:{SCHEMA_FILE}")
        if show.returncode == 0:  # absent where a commit deleted the file
            found.append((sha, show.stdout))
    return found


def has_commit(repo: Path, sha: str) -> bool:
    return git(repo, "rev-parse", "--verify", "-q", f"{sha}^{{commit}}").returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--allowlist", type=Path, help="default: schema-changes.toml in the repository")
    args = parser.parse_args(argv)
    repo: Path = args.repo
    allowlist_path: Path = args.allowlist or repo / "schema-changes.toml"

    try:
        entries = load_allowlist(allowlist_path)
        history = versions(repo)
        shallow = git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        changes: list[Change] = []
        previous: GraphQLSchema | None = None
        for sha, sdl in history:
            schema = parse(sdl, sha[:7])
            if previous is not None:
                changes += [Change(c.type.name, c.description, sha) for c in find_breaking_changes(previous, schema)]
            previous = schema
        working = repo / SCHEMA_FILE
        checked = len(history)
        if working.exists():
            sdl = working.read_text(encoding="utf-8")
            if not history or sdl != history[-1][1]:
                schema = parse(sdl, "the working tree")
                checked += 1
                if previous is not None:
                    changes += [
                        Change(c.type.name, c.description, UNCOMMITTED) for c in find_breaking_changes(previous, schema)
                    ]
    except CheckError as err:
        print(f"schema breaking changes: {err}", file=sys.stderr)
        return 2

    unlisted = [c for c in changes if not any(e.matches(c) for e in entries)]
    stale = [e for e in entries if not any(e.matches(c) for c in changes)]
    if shallow:  # entries pinned to commits this clone does not hold cannot match here
        outside = [e for e in stale if e.commit and not has_commit(repo, e.commit)]
        stale = [e for e in stale if e not in outside]
        print(
            f"note: shallow clone; only the {len(history)} schema versions it holds were compared "
            f"({len(outside)} allowlist entries name commits outside it)"
        )
    for c in unlisted:
        where = "uncommitted" if c.commit == UNCOMMITTED else f"commit {c.commit[:7]}"
        print(f"BREAKING ({where}): {c.type}: {c.description}")
    for e in stale:
        label = "warning" if shallow else "STALE"
        print(f"{label}: {allowlist_path.name} entry matches no change: {e.type}: {e.description}")
    if unlisted:
        print(
            f"{len(unlisted)} breaking schema change(s) not listed as intended; if intended, add each to "
            f"{allowlist_path.name} with type, description, date and reason"
        )
    if stale and not shallow:
        print(f"{len(stale)} entr(y/ies) in {allowlist_path.name} match no change: fix or remove them")
    if unlisted or (stale and not shallow):
        return 1
    print(f"checked {checked} schema versions, {len(changes)} breaking changes, all intended")
    return 0


if __name__ == "__main__":
    sys.exit(main())
