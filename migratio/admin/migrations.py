"""Where the migration files live, for the app's start-up and the CLI; on the embedded stack's FerretDB on
PostgreSQL, the GIN indexes that let it serve equality lookups (datasources/mongo/ferretdb_gin.py)."""

from pathlib import Path

from pymongo.asynchronous.database import AsyncDatabase

import migrations
from datasources.mongo.ferretdb_gin import add_gin_indexes, runs_on_ferretdb
from datasources.mongo.migrate import migrate
from migratio.settings import Settings

MIGRATIONS_DIR = Path(migrations.__file__).parent


async def apply_migrations(db: AsyncDatabase, settings: Settings) -> list[str]:
    applied = await migrate(db, MIGRATIONS_DIR, migrations.SUPERSEDED_CHECKSUMS)
    if settings.ferretdb_backend == "postgresql" and await runs_on_ferretdb(db):
        await add_gin_indexes(settings.ferretdb_postgresql_url, db.name)
    return applied
