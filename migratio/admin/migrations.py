"""Where the migration files live, for the app's start-up and the CLI; on the embedded stack's FerretDB on
PostgreSQL, the GIN indexes that let it serve equality lookups (datasources/mongo/ferretdb_gin.py); the analytics
index template."""

import logging
from pathlib import Path

from pymongo.asynchronous.database import AsyncDatabase

import migrations
from datasources.mongo.ferretdb_gin import add_gin_indexes, runs_on_ferretdb
from datasources.mongo.migrate import migrate
from migratio.admin.analytics import install_event_template
from migratio.settings import Settings

MIGRATIONS_DIR = Path(migrations.__file__).parent
log = logging.getLogger(__name__)


async def apply_migrations(db: AsyncDatabase, settings: Settings) -> list[str]:
    applied = await migrate(db, MIGRATIONS_DIR, migrations.SUPERSEDED_CHECKSUMS)
    if settings.ferretdb_backend == "postgresql" and await runs_on_ferretdb(db):
        await add_gin_indexes(settings.ferretdb_postgresql_url, db.name)
    try:
        await install_event_template(settings)
    except Exception as error:  # OpenSearch is optional: the first event write installs the template instead
        log.warning("analytics index template not installed: %s: %s", type(error).__name__, error)
    return applied
