"""Loaders and per-request reads filter by plain equality only: `$in` and `$or` make FerretDB scan the whole
collection, on both its backends (measured: README, "FerretDB's backend"). Commands are recorded by a client of
the test's own."""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo import AsyncMongoClient, monitoring
from pymongo.asynchronous.database import AsyncDatabase

from datasources.crypto import FieldCipher
from datasources.loaders import CountryByCodeLoader, ProgramBySlugLoader
from datasources.mongo.lookups import lookup
from datasources.mongo.repos.api_keys import MongoApiKeyRepository
from datasources.mongo.repos.assessments import AssessmentRepository, SnapshotRepository
from datasources.mongo.repos.documents import DocumentRepository
from datasources.mongo.repos.jobs import JobRepository
from datasources.mongo.repos.programs import CountryRepository, ProgramRepository
from datasources.mongo.repos.roadmaps import ReportRepository, RoadmapRepository
from datasources.mongo.repos.sessions import MongoSessionStore
from datasources.mongo.repos.tickets import MongoTokenStore
from datasources.mongo.repos.users import MongoUserRepository
from domain.assessment.model import Holder
from domain.programs.catalog import CATALOG, COUNTRIES
from domain.users.model import TicketPurpose
from migratio.settings import Settings

AT = datetime(2026, 12, 6, tzinfo=UTC)


class Recorder(monitoring.CommandListener):
    """The commands sent to one database, and how many were in flight at once."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.commands: list[tuple[str, dict[str, Any]]] = []
        self.open: set[int] = set()
        self.most_in_flight = 0

    def clear(self) -> None:
        self.commands.clear()
        self.most_in_flight = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.database_name != self.database:
            return
        self.commands.append((event.command_name, dict(event.command)))
        self.open.add(event.request_id)
        self.most_in_flight = max(self.most_in_flight, len(self.open))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self.open.discard(event.request_id)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self.open.discard(event.request_id)

    def filters(self) -> list[dict[str, Any]]:
        return [command.get("filter", {}) for name, command in self.commands if name == "find"]


Recorded = tuple[AsyncDatabase, Recorder]


@pytest.fixture
def recorder(settings: Settings) -> Iterator[Recorder]:
    yield Recorder(f"{settings.mongodb_db}_lookups_{uuid.uuid4().hex[:6]}")


@pytest.fixture
async def recorded(settings: Settings, recorder: Recorder) -> AsyncIterator[Recorded]:
    """A database of its own with the catalog in it, behind a client that records every command."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongodb_url, event_listeners=[recorder], tz_aware=True
    )
    db = client[recorder.database]
    for program in CATALOG:
        await ProgramRepository(db).insert(program, AT, "test")
    await CountryRepository(db).upsert_many(COUNTRIES)
    recorder.clear()
    yield db, recorder
    await client.drop_database(db.name)
    await client.close()


def _operators(value: object) -> set[str]:
    """Every `$`-operator anywhere in a filter."""
    if isinstance(value, dict):
        return {k for k in value if k.startswith("$")} | {op for v in value.values() for op in _operators(v)}
    if isinstance(value, list):
        return {op for v in value for op in _operators(v)}
    return set()


async def test_a_program_loader_batch_is_one_concurrent_id_lookup_per_distinct_slug(recorded: Recorded) -> None:
    db, recorder = recorded
    slugs = [p.slug for p in CATALOG[:19]] + ["atlantis-golden-visa", CATALOG[0].slug]

    found = await ProgramBySlugLoader(ProgramRepository(db)).load_many(slugs)

    assert [r.program.slug if r else None for r in found] == [*slugs[:19], None, CATALOG[0].slug]
    assert {name for name, _ in recorder.commands} == {"find"}
    assert sorted(f["_id"] for f in recorder.filters()) == sorted(set(slugs))
    assert all(list(f) == ["_id"] and isinstance(f["_id"], str) for f in recorder.filters())
    assert recorder.most_in_flight > 1  # gathered, not one after another


async def test_a_country_loader_batch_never_sends_in_or_or(recorded: Recorded) -> None:
    db, recorder = recorded
    codes = sorted({p.country for p in CATALOG})

    found = await CountryByCodeLoader(CountryRepository(db)).load_many([*codes, "XX"])

    assert [c.code if c else None for c in found] == [*codes, None]
    assert len(recorder.filters()) == len(codes) + 1
    assert all(_operators(f) == set() and list(f) == ["_id"] for f in recorder.filters())


async def test_per_request_reads_filter_by_equality_only(recorded: Recorded, settings: Settings) -> None:
    """Each read a request makes has a plain equality FerretDB pushes down, and no `$in` or `$or`."""
    db, recorder = recorded
    holder = Holder(user_id="u1", token_hash="t" * 64)
    await AssessmentRepository(db).find(holder, "a1")
    await SnapshotRepository(db).for_assessment("a1", "s1")
    await SnapshotRepository(db).latest_for_owner("u1")
    await DocumentRepository(db).for_owner("u1", "d1")
    await DocumentRepository(db).list_for_owner("u1", 50)
    await DocumentRepository(db).verified_categories("u1")
    await JobRepository(db).for_owner("u1", "j1")
    await RoadmapRepository(db).for_owner("u1", "r1")
    await RoadmapRepository(db).list_for_owner("u1", 50)
    await ReportRepository(db).for_owner("u1", "p1")
    users = MongoUserRepository(db, FieldCipher([k.get_secret_value() for k in settings.field_encryption_keys]))
    await users.by_id("u1")
    await users.by_email("someone@example.org")
    await users.client_of("adv1", "u1")
    await users.clients_of("adv1")
    await MongoSessionStore(db).by_token_hash("h" * 64)
    await MongoSessionStore(db).active_for_owner("u1", AT)
    await MongoTokenStore(db).is_live(TicketPurpose.RESET_PASSWORD, "ticket", AT)
    await MongoApiKeyRepository(db).by_hash("k" * 64)

    filters = recorder.filters()
    assert len(filters) >= 18
    for f in filters:
        assert not _operators(f) & {"$in", "$or", "$nor", "$and"}, f
        assert any(isinstance(v, str) for k, v in f.items()), f  # a string equality, pushed down


async def test_a_scoped_lookup_finds_a_document_only_inside_its_scope(recorded: Recorded) -> None:
    db, recorder = recorded
    things = db["things"]
    await things.insert_many([{"_id": "mine", "owner_id": "u1", "purpose": "reset"}, {"_id": "anonymous"}])
    recorder.clear()

    assert (await lookup(things, "mine", owner_id="u1", purpose="reset") or {}).get("_id") == "mine"
    assert await lookup(things, "mine", owner_id="u2") is None
    assert await lookup(things, "mine", owner_id="u1", purpose="verify") is None
    assert (await lookup(things, "anonymous", owner_id=None) or {}).get("_id") == "anonymous"  # missing is None
    assert await lookup(things, "nobody") is None
    assert recorder.filters() == [{"_id": key} for key in ("mine", "mine", "mine", "anonymous", "nobody")]
