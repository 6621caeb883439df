"""Index-served equality on FerretDB v1's PostgreSQL backend, which the embedded stack runs.

FerretDB filters an equality as `_jsonb->'field' @> value`, and the btree indexes its createIndexes makes
cannot serve that operator: every lookup, `_id` included, scans its table (bench/lookups.py: 25–67× slower
from 1k to 100k documents). A GIN `jsonb_path_ops` index on each indexed field's expression serves it, so
migrations add one per field that a Mongo index names. MongoDB itself needs none of this.
"""

import hashlib
from typing import Any

import psycopg
from psycopg import sql
from pymongo.asynchronous.database import AsyncDatabase

METADATA_TABLE = "_ferretdb_database_metadata"


async def runs_on_ferretdb(db: AsyncDatabase) -> bool:
    """FerretDB answers `buildInfo` with its own version beside the MongoDB one it emulates."""
    info = await db.client.admin.command("buildInfo")
    return "ferretdbVersion" in info


def indexed_fields(metadata: dict[str, Any]) -> set[str]:
    """Top-level fields named by any index of one collection (FerretDB pushes down no dotted path)."""
    fields = {"_id"}
    for index in metadata.get("indexes", []):
        fields.update(name for name in index["key"] if "." not in name and not name.startswith("$"))
    return fields


def gin_index_name(table: str, field: str) -> str:
    """Within PostgreSQL's 63-byte identifiers, stable per (table, field)."""
    return f"{table[:40]}_{hashlib.sha256(field.encode()).hexdigest()[:8]}_gin"


async def add_gin_indexes(postgres_url: str, database: str) -> int:
    """Create the missing GIN index of every indexed field of every collection in `database`; how many."""
    created = 0
    async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True, connect_timeout=5) as conn:
        # One caller per database at a time (held until the connection closes): processes starting together
        # all migrate, and two concurrent CREATE INDEX IF NOT EXISTS of one name can fail in PostgreSQL's catalog.
        await conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"migratio-gin:{database}",))
        schema = sql.Identifier(database)
        cursor = await conn.execute(sql.SQL("SELECT _jsonb FROM {}.{}").format(schema, sql.Identifier(METADATA_TABLE)))
        for (metadata,) in await cursor.fetchall():
            table = metadata["table"]
            for field in sorted(indexed_fields(metadata)):
                name = gin_index_name(table, field)
                exists = await conn.execute(
                    "SELECT 1 FROM pg_indexes WHERE schemaname = %s AND indexname = %s", (database, name)
                )
                if await exists.fetchone() is not None:
                    continue
                await conn.execute(
                    sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {}.{} USING gin ((_jsonb -> {}) jsonb_path_ops)").format(
                        sql.Identifier(name), schema, sql.Identifier(table), sql.Literal(field)
                    )
                )
                created += 1
    return created
