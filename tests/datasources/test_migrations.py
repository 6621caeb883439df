"""Migrations apply once, in order, and refuse to run when the recorded history no longer matches the files."""

import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.migrate import HISTORY, MigrationError, migrate
from migratio.admin.migrations import MIGRATIONS_DIR
from migratio.wiring.services import Services


@pytest.fixture
async def fresh_db(services: Services) -> AsyncIterator[AsyncDatabase]:
    name = f"{services.settings.mongodb_db}_migrations_{uuid.uuid4().hex[:8]}"  # removed with the module's run too
    yield services.mongo[name]
    await services.mongo.drop_database(name)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _first(folder: Path) -> Path:
    return sorted(folder.glob("0001_*.py"))[0]


def _edit(path: Path) -> None:
    path.write_text(path.read_text() + "\n# edited after it ran\n")


def _add_marker_migration(folder: Path) -> None:
    (folder / "9999_add_marker.py").write_text("async def up(db):\n    await db.markers.insert_one({'_id': 'added'})\n")


async def _recorded_checksum(db: AsyncDatabase, name: str) -> str:
    record = await db[HISTORY].find_one({"_id": name})
    assert record is not None
    return str(record["checksum"])


def _names(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))


async def test_pending_migrations_apply_in_order_then_nothing_is_pending(fresh_db: AsyncDatabase) -> None:
    expected = _names(MIGRATIONS_DIR)
    assert await migrate(fresh_db, MIGRATIONS_DIR) == expected
    assert await migrate(fresh_db, MIGRATIONS_DIR) == []
    assert [r["_id"] async for r in fresh_db[HISTORY].find({}).sort("_id")] == expected


async def test_initial_migration_creates_the_catalog_indexes(fresh_db: AsyncDatabase) -> None:
    await migrate(fresh_db, MIGRATIONS_DIR)
    indexes = await fresh_db.program_versions.index_information()
    assert any(spec.get("unique") and spec["key"] == [("slug", 1), ("version", -1)] for spec in indexes.values())
    assert "programs" in await fresh_db.list_collection_names()


async def test_an_edited_migration_is_refused(fresh_db: AsyncDatabase, folder: Path) -> None:
    await migrate(fresh_db, folder)
    _edit(_first(folder))
    with pytest.raises(MigrationError, match="edited"):
        await migrate(fresh_db, folder)


async def test_a_removed_migration_is_refused(fresh_db: AsyncDatabase, folder: Path) -> None:
    await migrate(fresh_db, folder)
    _first(folder).unlink()
    with pytest.raises(MigrationError, match="gone"):
        await migrate(fresh_db, folder)


async def test_a_new_migration_is_applied_after_the_recorded_ones(fresh_db: AsyncDatabase, folder: Path) -> None:
    await migrate(fresh_db, folder)
    _add_marker_migration(folder)
    assert await migrate(fresh_db, folder) == ["9999_add_marker"]
    assert await fresh_db.markers.count_documents({}) == 1


async def test_a_superseded_checksum_is_accepted_and_history_moves_to_the_current_file(
    fresh_db: AsyncDatabase, folder: Path
) -> None:
    await migrate(fresh_db, folder)
    before = await _recorded_checksum(fresh_db, _first(folder).stem)
    _edit(_first(folder))
    superseded = {_first(folder).stem: frozenset({before})}
    assert await migrate(fresh_db, folder, superseded) == []
    after = await _recorded_checksum(fresh_db, _first(folder).stem)
    assert after != before
    assert await migrate(fresh_db, folder) == []
