"""Where the migration files live, for the app's start-up and the CLI."""

from pathlib import Path

from pymongo.asynchronous.database import AsyncDatabase

import migrations
from datasources.mongo.migrate import migrate

MIGRATIONS_DIR = Path(migrations.__file__).parent


async def apply_migrations(db: AsyncDatabase) -> list[str]:
    return await migrate(db, MIGRATIONS_DIR, migrations.SUPERSEDED_CHECKSUMS)
