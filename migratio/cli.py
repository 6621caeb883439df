"""Command line: serve, migrate, seed and export-schema. `python -m migratio.cli --help`."""

import argparse
import asyncio
import sys
from pathlib import Path

import uvicorn

from datasources.mongo import client as mongo
from datasources.mongo.monitoring import CommandCounter
from migratio.migrations import apply_migrations
from migratio.settings import PROJECT_ROOT, get_settings
from migratio.graphql_schema import build_schema

SCHEMA_FILE = PROJECT_ROOT / "graphql_schema.graphql"


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"


def export_schema(path: Path, check: bool) -> int:
    sdl = schema_sdl()
    if check:
        current = path.read_text() if path.exists() else ""
        if current != sdl:
            print(f"{path.name} differs from the code: run `python -m migratio.cli export-schema`", file=sys.stderr)
            return 1
        print(f"{path.name} matches the code")
        return 0
    path.write_text(sdl)
    print(f"wrote {path}")
    return 0


async def _migrate() -> None:
    settings = get_settings()
    client = mongo.connect(settings.mongodb_url, settings.dependency_timeout_s, CommandCounter())
    try:
        applied = await apply_migrations(client[settings.mongodb_db])
    finally:
        client.close()
    print("applied: " + (", ".join(applied) if applied else "nothing pending"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="migratio")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve GraphQL (migrations run at start-up)")
    commands.add_parser("migrate", help="apply pending migrations")
    export = commands.add_parser("export-schema", help="write graphql_schema.graphql from the code")
    export.add_argument("--check", action="store_true", help="fail when the committed file differs")
    args = parser.parse_args(argv)

    if args.command == "serve":
        settings = get_settings()
        uvicorn.run("migratio.app:create_app", factory=True, host=settings.host, port=settings.port,
                    log_config=None, ws="websockets")
        return 0
    if args.command == "migrate":
        asyncio.run(_migrate())
        return 0
    return export_schema(SCHEMA_FILE, args.check)


if __name__ == "__main__":
    sys.exit(main())
