"""On the embedded FerretDB-on-PostgreSQL stack, migrations leave every indexed field served by a GIN index."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import psycopg
import pytest
from pymongo.asynchronous.database import AsyncDatabase

import migrations
from datasources.mongo.ferretdb_gin import (
    METADATA_TABLE,
    add_gin_indexes,
    gin_index_name,
    indexed_fields,
)
from datasources.mongo.migrate import migrate
from migratio.admin.migrations import MIGRATIONS_DIR, apply_migrations
from migratio.wiring.services import Services


@pytest.fixture
async def migrated(services: Services) -> AsyncIterator[AsyncDatabase]:
    name = f"{services.settings.mongodb_db}_gin_{uuid.uuid4().hex[:8]}"  # removed with the module's run too
    db = services.mongo[name]
    await apply_migrations(db, services.settings)
    yield db
    await services.mongo.drop_database(name)


async def test_every_field_a_mongo_index_names_has_its_gin_index(services: Services, migrated: AsyncDatabase) -> None:
    url = services.settings.ferretdb_postgresql_url
    async with await psycopg.AsyncConnection.connect(url) as conn:
        rows = await (await conn.execute(f'SELECT _jsonb FROM "{migrated.name}"."{METADATA_TABLE}"')).fetchall()
        wanted = {gin_index_name(meta["table"], field) for (meta,) in rows for field in indexed_fields(meta)}
        found = await conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s", (migrated.name,))
        names = {name for (name,) in await found.fetchall()}
    assert any(meta["_id"] == "refresh_sessions" for (meta,) in rows)
    assert len(wanted) > 20
    assert wanted <= names


async def test_a_token_hash_lookup_is_planned_on_its_gin_index(migrated: AsyncDatabase) -> None:
    sessions = migrated.refresh_sessions
    await sessions.insert_many([{"_id": f"s{i}", "token_hash": f"hash-{i}", "pad": "x" * 400} for i in range(3000)])
    plan = await migrated.command("explain", {"find": "refresh_sessions", "filter": {"token_hash": "hash-7"}})
    node = plan["queryPlanner"]["Plan"]
    assert node["Node Type"] == "Bitmap Heap Scan"
    assert node["Plans"][0]["Index Name"].endswith("_gin")
    assert await sessions.find_one({"token_hash": "hash-7"}) == {"_id": "s7", "token_hash": "hash-7", "pad": "x" * 400}


async def test_applying_again_creates_nothing_new(services: Services, migrated: AsyncDatabase) -> None:
    assert await add_gin_indexes(services.settings.ferretdb_postgresql_url, migrated.name) == 0


async def test_processes_starting_together_create_each_index_once(services: Services) -> None:
    """Every API process migrates at start-up; two of them once failed on PostgreSQL's catalog (a duplicate key
    in pg_class) creating the same GIN index at the same moment."""
    db = services.mongo[f"{services.settings.mongodb_db}_gin_{uuid.uuid4().hex[:8]}"]
    try:
        await migrate(db, MIGRATIONS_DIR, migrations.SUPERSEDED_CHECKSUMS)
        url = services.settings.ferretdb_postgresql_url
        created = await asyncio.gather(*(add_gin_indexes(url, db.name) for _ in range(4)))
        assert sum(created) == max(created) > 20  # one caller made them all, the others found them made
        assert await add_gin_indexes(url, db.name) == 0
    finally:
        await services.mongo.drop_database(db.name)
