"""Ordered, named migrations recorded in Mongo; refuses to run when history and files disagree.

No transactions on FerretDB, so each migration must be idempotent (create-if-missing), and a lock
document keeps two starting processes from applying the same migration at once. A stale lock is taken over
by the one process that spends its takeover key (atomic.py): a conditional delete is not atomic on FerretDB.
"""

import asyncio
import hashlib
import importlib.util
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from datasources.mongo.atomic import SpentKeys

HISTORY = "_migrations"
LOCK = "_migration_lock"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.py$")
_STALE_LOCK = timedelta(minutes=5)


class MigrationError(RuntimeError):
    """The recorded history no longer matches the migration files: refuse to touch the database."""


@dataclass(frozen=True)
class Migration:
    name: str
    checksum: str
    path: Path

    def load(self) -> Callable[[AsyncDatabase], Awaitable[None]]:
        spec = importlib.util.spec_from_file_location(f"migrations.m{self.name}", self.path)
        if spec is None or spec.loader is None:
            raise MigrationError(f"cannot load migration {self.name}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        up: Callable[[AsyncDatabase], Awaitable[None]] = module.up
        return up


def discover(folder: Path) -> list[Migration]:
    files = sorted(p for p in folder.iterdir() if _NAME.match(p.name))
    return [Migration(p.stem, hashlib.sha256(p.read_bytes()).hexdigest(), p) for p in files]


async def _check_history(
    db: AsyncDatabase, migrations: list[Migration], superseded: Mapping[str, frozenset[str]]
) -> set[str]:
    known = {m.name: m.checksum for m in migrations}
    applied: set[str] = set()
    async for record in db[HISTORY].find({}):
        name = record["_id"]
        if name not in known:
            raise MigrationError(f"migration {name} was applied but its file is gone")
        if record["checksum"] in superseded.get(name, frozenset()):
            await db[HISTORY].update_one({"_id": name}, {"$set": {"checksum": known[name]}})
        elif record["checksum"] != known[name]:
            raise MigrationError(f"migration {name} was edited after it was applied")
        applied.add(name)
    return applied


async def _acquire(db: AsyncDatabase, timeout_s: float = 60) -> datetime:
    """Take the lock; returns when it was taken, which its release names."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        now = datetime.now(UTC)
        held = await db[LOCK].find_one({"_id": "lock"})
        if (
            held is not None
            and held["taken_at"] < now - _STALE_LOCK
            and await SpentKeys(db).spend("migration-lock-takeover", held["taken_at"].isoformat())
        ):
            await db[LOCK].delete_one({"_id": "lock"})
        try:
            await db[LOCK].insert_one({"_id": "lock", "taken_at": now})
            return now
        except DuplicateKeyError:
            if asyncio.get_running_loop().time() > deadline:
                raise MigrationError("another process holds the migration lock") from None
            await asyncio.sleep(0.2)


async def migrate(db: AsyncDatabase, folder: Path, superseded: Mapping[str, frozenset[str]] | None = None) -> list[str]:
    """Apply pending migrations in order; returns the names applied now.

    `superseded` names earlier checksums of a file whose edit changed no behaviour: history is moved on to
    the current one instead of refusing.
    """
    migrations = discover(folder)
    taken_at = await _acquire(db)
    try:
        applied = await _check_history(db, migrations, superseded or {})
        done: list[str] = []
        for migration in migrations:
            if migration.name in applied:
                continue
            await migration.load()(db)
            record: dict[str, Any] = {
                "_id": migration.name,
                "checksum": migration.checksum,
                "applied_at": datetime.now(UTC),
            }
            await db[HISTORY].insert_one(record)
            done.append(migration.name)
        return done
    finally:
        await db[LOCK].delete_one({"_id": "lock", "taken_at": taken_at})
