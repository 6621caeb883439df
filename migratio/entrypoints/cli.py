"""Command line (`migratio --help`, or `python -m migratio.entrypoints.cli`): serve, migrate, seed, reindex,
export-schema and identity jobs."""

import argparse
import asyncio
import os
import sys
import tempfile
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

import uvicorn

from domain.programs.catalog import CATALOG, COUNTRIES
from migratio.admin import analytics, billing, retention, tasks
from migratio.admin.anonymised_copy import anonymised_copy
from migratio.admin.migrations import apply_migrations
from migratio.settings import PROJECT_ROOT, get_settings
from migratio.transport.metrics import MULTIPROCESS_DIR
from migratio.wiring.services import open_services
from resolvers.root import build_schema

SCHEMA_FILE = PROJECT_ROOT / "graphql_schema.graphql"


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"


def export_schema(path: Path, check: bool) -> int:
    sdl = schema_sdl()
    if check:
        current = path.read_text() if path.exists() else ""
        if current != sdl:
            print(
                f"{path.name} differs from the code: run `python -m migratio.entrypoints.cli export-schema`",
                file=sys.stderr,
            )
            return 1
        print(f"{path.name} matches the code")
        return 0
    path.write_text(sdl)
    print(f"wrote {path}")
    return 0


async def _migrate() -> None:
    services = open_services(get_settings())
    try:
        applied = await apply_migrations(services.db, services.settings)
    finally:
        await services.close()
    print("applied: " + (", ".join(applied) if applied else "nothing pending"))


async def _seed() -> None:
    """Demo data: the curated catalog (new versions only where the content changed), then a fresh index."""
    services = open_services(get_settings())
    try:
        await apply_migrations(services.db, services.settings)
        changed = await services.catalog.seed(CATALOG, COUNTRIES, actor="seed")
    finally:
        await services.close()
    print(f"catalog: {len(CATALOG)} programs in {len(COUNTRIES)} countries, {changed} new or changed")


async def _reindex() -> None:
    services = open_services(get_settings())
    try:
        index = await services.catalog.reindex()
    finally:
        await services.close()
    print(f"search alias now points at {index}")


def serve() -> None:
    """Serve with `settings.processes` uvicorn workers; several share their metrics through a directory."""
    settings = get_settings()
    if settings.processes > 1 and not os.environ.get(MULTIPROCESS_DIR):
        os.environ[MULTIPROCESS_DIR] = tempfile.mkdtemp(prefix="migratio-metrics-")  # the workers inherit it
    uvicorn.run(
        "migratio.transport.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
        ws="websockets-sansio",
        workers=settings.processes,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="migratio")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve GraphQL (migrations run at start-up)")
    commands.add_parser("migrate", help="apply pending migrations")
    commands.add_parser("seed", help="load the curated program catalog (idempotent) and rebuild search")
    commands.add_parser("reindex", help="rebuild the search index beside the old one and swap the alias")
    create_admin = commands.add_parser(
        "create-admin",
        help="make EMAIL an admin (creating the account, "
        "verified, with a mailed link to set its password, when there is none)",
    )
    create_admin.add_argument("email")
    create_admin.add_argument("--name", default="Administrator")
    commands.add_parser("purge-deleted-accounts", help="remove accounts whose deletion grace period has ended")
    purge_records = commands.add_parser(
        "purge-expired-data",
        help="delete unclaimed assessments, reports (and PDFs), finished jobs and security events past their "
        "RETENTION_* period",
    )
    purge_records.add_argument(
        "--now", type=datetime.fromisoformat, default=None, help="ISO time with offset (default: now)"
    )
    commands.add_parser("reencrypt-fields", help="re-encrypt sensitive fields with the first FIELD_ENCRYPTION_KEYS")
    commands.add_parser("sync-prices", help="create at Stripe the plan catalog's prices it lacks (by lookup key)")
    purge_events = commands.add_parser(
        "analytics-purge", help="drop analytics events older than ANALYTICS_RETENTION_DAYS (whole days)"
    )
    purge_events.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    count_events = commands.add_parser(
        "analytics-count", help="count ended analytics days into the daily counts (each once; the last two again)"
    )
    count_events.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    export_events = commands.add_parser(
        "analytics-export", help="write every analytics event, pseudonyms re-keyed, as JSON lines to PATH"
    )
    export_events.add_argument("path", type=Path)
    copy = commands.add_parser(
        "anonymised-copy",
        help="copy the database into another one (new, empty) for testing or staging: personal fields faked "
        "consistently, free text dropped, secrets made useless, encrypted fields re-keyed",
    )
    copy.add_argument("--target-db", required=True, help="name of the new database")
    copy.add_argument("--target-url", default=None, help="MongoDB URL of the target (default: MONGODB_URL)")
    copy.add_argument(
        "--target-key", default=None, help="the target's Fernet field key (default: ANONYMISED_COPY_FIELD_KEY)"
    )
    export = commands.add_parser("export-schema", help="write graphql_schema.graphql from the code")
    export.add_argument("--check", action="store_true", help="fail when the committed file differs")
    args = parser.parse_args(argv)

    if args.command == "serve":
        serve()
        return 0
    if args.command == "create-admin":
        user, created = asyncio.run(tasks.create_admin(get_settings(), args.email, args.name))
        print(f"{user.email} ({user.id}) is an admin" + (": created, a password link was mailed" if created else ""))
        return 0
    if args.command == "purge-deleted-accounts":
        print(f"purged {len(asyncio.run(tasks.purge_deleted_accounts(get_settings())))} account(s)")
        return 0
    if args.command == "purge-expired-data":
        purged = asyncio.run(retention.purge_expired_records(get_settings(), args.now))
        print("".join(f"{kind}: {count}\n" for kind, count in asdict(purged).items()), end="")
        return 0
    if args.command == "analytics-purge":
        dropped = asyncio.run(analytics.purge_events(get_settings(), args.today))
        print(f"dropped {len(dropped)} index(es)" + "".join(f"\n{name}" for name in dropped))
        return 0
    if args.command == "analytics-count":
        counted = asyncio.run(analytics.count_events(get_settings(), args.today))
        print(f"counted {len(counted)} day(s)" + "".join(f"\n{day}" for day in counted))
        return 0
    if args.command == "analytics-export":
        with args.path.open("w") as out:
            print(f"exported {asyncio.run(analytics.export_events(get_settings(), out))} event(s)")
        return 0
    if args.command == "anonymised-copy":
        copied = asyncio.run(anonymised_copy(get_settings(), args.target_db, args.target_url, args.target_key))
        print(f"copied {sum(copied.values())} document(s) into {args.target_db}")
        print("".join(f"{name}: {count}\n" for name, count in copied.items()), end="")
        return 0
    if args.command == "sync-prices":
        new_prices = asyncio.run(billing.sync_prices(get_settings()))
        print(f"created {len(new_prices)} price(s)" + "".join(f"\n{key}" for key in new_prices))
        return 0
    if args.command == "reencrypt-fields":
        print(f"re-encrypted {asyncio.run(tasks.reencrypt_fields(get_settings()))} account(s)")
        return 0
    maintenance = {"migrate": _migrate, "seed": _seed, "reindex": _reindex}
    if args.command in maintenance:
        asyncio.run(maintenance[args.command]())
        return 0
    return export_schema(SCHEMA_FILE, args.check)


if __name__ == "__main__":
    sys.exit(main())
