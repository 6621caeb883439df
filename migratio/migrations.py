"""Where the migration files live, for the app's start-up and the CLI."""

from pathlib import Path

from motor.motor_asyncio import AsyncIOMotorDatabase

import migrations
from datasources.mongo.migrate import migrate

MIGRATIONS_DIR = Path(migrations.__file__).parent


async def apply_migrations(db: AsyncIOMotorDatabase) -> list[str]:
    return await migrate(db, MIGRATIONS_DIR)
