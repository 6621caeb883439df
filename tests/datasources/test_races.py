"""Sixteen real racers on every insert-decided write: exactly one winner, nothing acknowledged lost.

Racers are concurrent requests through the repositories (asyncio.gather), and for the primitives also
separate clients with their own connection pools. Nothing here depends on how the store orders them.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, TypeVar

import pytest
from cryptography.fernet import Fernet
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from datasources.crypto import FieldCipher
from datasources.mongo.atomic import SpentKeys, Versioned
from datasources.mongo.migrate import LOCK, MigrationError, _acquire
from datasources.mongo.repos.api_keys import MongoApiKeyRepository
from datasources.mongo.repos.assessments import AssessmentRepository
from datasources.mongo.repos.documents import DocumentRepository
from datasources.mongo.repos.jobs import JobRepository
from datasources.mongo.repos.programs import ProgramRepository
from datasources.mongo.repos.roadmaps import ReportRepository, RoadmapRepository, TaskReminders
from datasources.mongo.repos.sessions import MongoSessionStore
from datasources.mongo.repos.tickets import MongoTokenStore
from datasources.mongo.repos.users import MongoUserRepository
from domain.assessment.model import Assessment, Holder, Status, StoredAnswer
from domain.assessment.questions import BANK_VERSION
from domain.documents.model import Document, DocumentStatus
from domain.jobs.model import Job, JobKind, JobStatus
from domain.programs.catalog import CATALOG
from domain.programs.ports import VersionConflict
from domain.roadmaps.model import TaskStatus
from domain.roadmaps.reports import Report, ReportStatus
from domain.users.model import ApiKey, Mfa, RefreshSession, Role, Scope, Ticket, TicketPurpose, User
from migratio.admin.migrations import apply_migrations
from migratio.settings import Settings
from migratio.wiring.services import Services

RACERS = 16
T = TypeVar("T")


@pytest.fixture(scope="module")
async def db(services: Services) -> AsyncDatabase:
    await apply_migrations(services.db, services.settings)
    return services.db


def _id() -> str:
    return uuid.uuid4().hex


async def race(make: Callable[[int], Awaitable[T]]) -> list[T]:
    """Run RACERS calls at once, each started after all are created."""
    gate = asyncio.Event()

    async def one(i: int) -> T:
        await gate.wait()
        return await make(i)

    tasks = [asyncio.create_task(one(i)) for i in range(RACERS)]
    await asyncio.sleep(0)
    gate.set()
    return await asyncio.gather(*tasks)


@asynccontextmanager
async def separate_clients(settings: Settings) -> AsyncIterator[list[AsyncDatabase]]:
    clients: list[AsyncMongoClient[Any]] = [
        AsyncMongoClient(settings.mongodb_url, tz_aware=True) for _ in range(RACERS)
    ]
    try:
        yield [c[settings.mongodb_db] for c in clients]
    finally:
        for client in clients:
            await client.close()


# --- the primitives ---------------------------------------------------------------------------------------


async def test_a_key_is_spent_by_exactly_one_of_16_separate_clients(db: AsyncDatabase, settings: Settings) -> None:
    key = _id()
    async with separate_clients(settings) as dbs:
        won = await race(lambda i: SpentKeys(dbs[i]).spend("test", key))
    assert won.count(True) == 1
    assert await SpentKeys(db).spent_at("test", key) is not None


async def test_one_of_16_separate_clients_moves_a_revision_and_only_its_write_is_stored(
    db: AsyncDatabase, settings: Settings
) -> None:
    doc_id = _id()
    await db.race_docs.insert_one({"_id": doc_id, "revision": 0, "value": None})
    start = await Versioned(db.race_docs).read(doc_id)
    assert start is not None
    async with separate_clients(settings) as dbs:
        moved = await race(lambda i: Versioned(dbs[i].race_docs).advance(start, {"value": i}))
    winners = [i for i, m in enumerate(moved) if m is not None]
    assert len(winners) == 1
    stored = await db.race_docs.find_one({"_id": doc_id})
    assert stored is not None and (stored["revision"], stored["value"]) == (1, winners[0])


async def test_16_counter_increments_from_separate_clients_all_count(db: AsyncDatabase, settings: Settings) -> None:
    doc_id = _id()
    await db.race_docs.insert_one({"_id": doc_id, "n": 0})
    async with separate_clients(settings) as dbs:
        seen = await race(lambda i: Versioned(dbs[i].race_docs).update(doc_id, lambda d: {"n": d["n"] + 1}))
    assert sorted(d["n"] for d in seen if d) == list(range(1, RACERS + 1))
    assert sorted(d["revision"] for d in seen if d) == list(range(1, RACERS + 1))
    stored = await Versioned(db.race_docs).read(doc_id)
    assert stored is not None and (stored["n"], stored["revision"]) == (RACERS, RACERS)


async def test_a_conditional_update_lets_one_of_16_through(db: AsyncDatabase) -> None:
    doc_id = _id()
    await db.race_docs.insert_one({"_id": doc_id, "state": "open"})
    versioned = Versioned(db.race_docs)
    moved = await race(
        lambda i: versioned.update(doc_id, {"state": "closed", "by": i}, where=lambda d: d["state"] == "open")
    )
    winners = [m for m in moved if m is not None]
    assert len(winners) == 1
    stored = await db.race_docs.find_one({"_id": doc_id})
    assert stored is not None and (stored["state"], stored["by"], stored["revision"]) == ("closed", winners[0]["by"], 1)


async def test_a_claim_whose_document_write_never_happened_is_rolled_forward_and_blocks_no_one(
    db: AsyncDatabase,
) -> None:
    doc_id = _id()
    await db.race_docs.insert_one({"_id": doc_id, "revision": 0, "a": 0, "b": 0})
    # A writer that crashed between its two steps: the claim is stored, the document was never written.
    await db.race_docs_revisions.insert_one(
        {"_id": f"{doc_id}:1", "doc": doc_id, "set": [{"path": "a", "value": 1}], "at": datetime.now(UTC)}
    )
    versioned = Versioned(db.race_docs)
    assert await versioned.read(doc_id) == {"_id": doc_id, "revision": 1, "a": 1, "b": 0}
    moved = await versioned.update(doc_id, {"b": 2})
    assert moved is not None and moved["revision"] == 2
    assert await db.race_docs.find_one({"_id": doc_id}) == {"_id": doc_id, "revision": 2, "a": 1, "b": 2}


async def test_a_condition_is_judged_on_the_document_with_its_claims_applied(db: AsyncDatabase) -> None:
    versioned = Versioned(db.race_docs)
    doc_id = _id()
    await db.race_docs.insert_one({"_id": doc_id, "revision": 0, "state": "open"})
    await db.race_docs_revisions.insert_one(
        {"_id": f"{doc_id}:1", "doc": doc_id, "set": [{"path": "state", "value": "closed"}], "at": _now()}
    )
    moved = await versioned.update(doc_id, {"by": "b"}, where=lambda d: d["state"] == "closed")
    assert moved is not None and (moved["revision"], moved["by"]) == (2, "b")
    await db.race_docs_revisions.insert_one(
        {"_id": f"{doc_id}:3", "doc": doc_id, "set": [{"path": "state", "value": "reopened"}], "at": _now()}
    )
    assert await versioned.update(doc_id, {"by": "c"}, where=lambda d: d["state"] == "closed") is None
    assert await db.race_docs.find_one({"_id": doc_id}) == {
        "_id": doc_id,
        "revision": 3,
        "state": "reopened",
        "by": "b",
    }


async def test_a_stale_document_write_cannot_hide_a_later_claim(db: AsyncDatabase) -> None:
    doc_id = _id()
    await db.race_docs.insert_one({"_id": doc_id, "revision": 0, "a": 0, "b": 0})
    versioned = Versioned(db.race_docs)
    first = await versioned.update(doc_id, {"a": 1})
    second = await versioned.update(doc_id, {"b": 2})
    assert first is not None and second is not None
    # The first writer's document write arriving late (FerretDB can let it through; MongoDB refuses it).
    await db.race_docs.update_one({"_id": doc_id}, {"$set": {"a": 1, "b": 0, "revision": 1}})
    assert await versioned.read(doc_id) == {"_id": doc_id, "revision": 2, "a": 1, "b": 2}


async def test_spent_keys_expire_with_the_value(db: AsyncDatabase) -> None:
    spent = SpentKeys(db)
    key = _id()
    assert await spent.spend("test", key, expires_at=datetime.now(UTC) + timedelta(minutes=5))
    assert not await spent.spend("test", key)


# --- every write path, through its repository ------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


async def _assessment(db: AsyncDatabase, owner_id: str | None, token_hash: str | None) -> Assessment:
    assessment = Assessment(
        id=_id(),
        owner_id=owner_id,
        bank_version=BANK_VERSION,
        answers=MappingProxyType({}),
        revision=0,
        status=Status.IN_PROGRESS,
        created_at=_now(),
        updated_at=_now(),
    )
    await AssessmentRepository(db).insert(assessment, token_hash)
    return assessment


async def test_of_16_answers_written_at_revision_0_one_is_stored_and_the_rest_are_told_to_retry(
    db: AsyncDatabase,
) -> None:
    holder = Holder(user_id=_id())
    start = await _assessment(db, holder.user_id, None)
    repo = AssessmentRepository(db)

    async def write(i: int) -> bool:
        answers = MappingProxyType({f"q{i}": StoredAnswer(i)})
        return await repo.replace_state(holder, replace(start, answers=answers, revision=1), 0)

    won = await race(write)
    assert won.count(True) == 1
    stored = await repo.find(holder, start.id)
    assert stored is not None and stored.revision == 1
    assert dict(stored.answers) == {f"q{won.index(True)}": StoredAnswer(won.index(True))}


async def test_16_writers_retrying_on_conflict_as_the_service_does_store_all_16_answers(db: AsyncDatabase) -> None:
    holder = Holder(user_id=_id())
    start = await _assessment(db, holder.user_id, None)
    repo = AssessmentRepository(db)

    async def answer(i: int) -> int:
        while True:
            current = await repo.find(holder, start.id)
            assert current is not None
            answers = MappingProxyType({**current.answers, f"q{i}": StoredAnswer(i)})
            updated = replace(current, answers=answers, revision=current.revision + 1)
            if await repo.replace_state(holder, updated, current.revision):
                return updated.revision

    revisions = await race(answer)
    assert sorted(revisions) == list(range(1, RACERS + 1))
    stored = await repo.find(holder, start.id)
    assert stored is not None and stored.revision == RACERS
    assert dict(stored.answers) == {f"q{i}": StoredAnswer(i) for i in range(RACERS)}


async def test_an_anonymous_assessment_is_claimed_by_exactly_one_of_16_accounts(db: AsyncDatabase) -> None:
    start = await _assessment(db, None, "token-hash")
    repo = AssessmentRepository(db)
    claimed = await race(lambda i: repo.claim(start.id, "token-hash", f"user-{i}", _now()))
    winners = [c for c in claimed if c is not None]
    assert len(winners) == 1 and winners[0].revision == 1
    assert await repo.find(Holder(token_hash="token-hash"), start.id) is None
    stored = await repo.find(Holder(user_id=winners[0].owner_id), start.id)
    assert stored is not None and stored.owner_id == winners[0].owner_id


def _session(family_id: str | None = None) -> RefreshSession:
    session_id = _id()
    return RefreshSession(
        id=session_id,
        user_id="user-1",
        family_id=family_id or session_id,
        token_hash=_id(),
        created_at=_now(),
        expires_at=_now() + timedelta(days=1),
    )


async def test_a_refresh_token_rotates_for_exactly_one_of_16_separate_clients_and_shows_as_spent(
    db: AsyncDatabase, settings: Settings
) -> None:
    session = _session()
    await MongoSessionStore(db).add(session)
    async with separate_clients(settings) as dbs:
        claimed = await race(lambda i: MongoSessionStore(dbs[i]).claim(session.token_hash, _now()))
    assert [c.id for c in claimed if c is not None] == [session.id]
    spent = await MongoSessionStore(db).by_token_hash(session.token_hash)
    assert spent is not None and spent.used_at is not None and spent.revoked_at is None


async def test_a_token_issued_while_its_family_is_revoked_is_revoked_too(db: AsyncDatabase) -> None:
    store = MongoSessionStore(db)
    first = _session()
    await store.add(first)
    await store.revoke_family(first.family_id, _now())
    rotated = _session(first.family_id)
    await store.add(rotated)
    assert await store.claim(rotated.token_hash, _now()) is None
    found = await store.by_token_hash(rotated.token_hash)
    assert found is not None and found.revoked_at is not None


async def test_one_of_16_revokers_revokes_a_session(db: AsyncDatabase) -> None:
    session = _session()
    store = MongoSessionStore(db)
    await store.add(session)
    revoked = await race(lambda i: store.revoke_for_owner("user-1", session.family_id, _now()))
    assert revoked.count(True) == 1
    assert await store.claim(session.token_hash, _now()) is None


@pytest.mark.parametrize("purpose", list(TicketPurpose))
async def test_a_ticket_is_consumed_by_exactly_one_of_16_separate_clients(
    db: AsyncDatabase, settings: Settings, purpose: TicketPurpose
) -> None:
    ticket = Ticket(purpose, "user-1", _id(), _now() + timedelta(minutes=5))
    await MongoTokenStore(db).add(ticket)
    async with separate_clients(settings) as dbs:
        consumed = await race(lambda i: MongoTokenStore(dbs[i]).consume(purpose, ticket.ticket_id, _now()))
    assert consumed.count(True) == 1
    assert not await MongoTokenStore(db).is_live(purpose, ticket.ticket_id, _now())


async def test_16_concurrent_job_changes_all_land_each_with_its_own_revision(db: AsyncDatabase) -> None:
    repo = JobRepository(db)
    job = Job(
        id=_id(),
        owner_id="owner-1",
        kind=JobKind.REPORT,
        subject_id="s",
        status=JobStatus.QUEUED,
        progress=0,
        message="queued",
        attempts=0,
        revision=0,
        created_at=_now(),
        updated_at=_now(),
    )
    await repo.insert(job)
    changed = await race(lambda i: repo.change(job.id, {"status": JobStatus.RUNNING, "message": f"step {i}"}))
    assert sorted(c.revision for c in changed if c is not None) == list(range(1, RACERS + 1))
    last = max((c for c in changed if c is not None), key=lambda c: c.revision)
    stored = await repo.for_owner("owner-1", job.id)
    assert stored is not None and (stored.revision, stored.message) == (RACERS, last.message)


async def test_one_of_16_advisors_starts_a_review_and_one_of_16_verdicts_stands(db: AsyncDatabase) -> None:
    repo = DocumentRepository(db)
    document = Document(
        id=_id(),
        owner_id="owner-1",
        category="passport",
        object_key="k",
        content_type="application/pdf",
        size=1,
        status=DocumentStatus.UPLOADED,
        uploaded_at=_now(),
        updated_at=_now(),
    )
    assert await repo.insert(document)
    started = await race(
        lambda i: repo.transition(
            "owner-1",
            document.id,
            DocumentStatus.UPLOADED,
            {"status": DocumentStatus.IN_REVIEW, "reviewer_id": f"advisor-{i}"},
        )
    )
    assert len([s for s in started if s is not None]) == 1

    def verdict(i: int) -> Awaitable[Document | None]:
        status = DocumentStatus.VERIFIED if i % 2 else DocumentStatus.REJECTED
        return repo.transition(
            "owner-1",
            document.id,
            DocumentStatus.IN_REVIEW,
            {"status": status, "rejection_reason": None if i % 2 else f"reason {i}"},
        )

    verdicts = [v for v in await race(verdict) if v is not None]
    assert len(verdicts) == 1
    stored = await repo.for_owner("owner-1", document.id)
    assert stored is not None
    assert (stored.status, stored.rejection_reason) == (verdicts[0].status, verdicts[0].rejection_reason)


async def test_an_api_key_is_revoked_by_exactly_one_of_16_admins(db: AsyncDatabase) -> None:
    repo = MongoApiKeyRepository(db)
    key = ApiKey(
        id=_id(),
        name="k",
        prefix="mk_",
        key_hash=_id(),
        scopes=(Scope.USERS_READ,),
        created_by="admin",
        created_at=_now(),
    )
    await repo.add(key)
    revoked = await race(lambda i: repo.revoke(key.id, _now()))
    assert revoked.count(True) == 1
    found = await repo.by_hash(key.key_hash)
    assert found is not None and found.revoked_at is not None


async def _task(db: AsyncDatabase) -> tuple[str, str]:
    roadmap_id = _id()
    await db.roadmap_tasks.insert_one(
        {
            "_id": f"{roadmap_id}:apply",
            "roadmap_id": roadmap_id,
            "owner_id": "owner-1",
            "position": 0,
            "key": "apply",
            "step": {},
            "status": TaskStatus.TODO.value,
            "due_on": _now(),
            "updated_at": None,
            "reminded_at": None,
            "reminder_claimed_at": None,
        }
    )
    return roadmap_id, f"{roadmap_id}:apply"


async def test_a_task_reminder_is_claimed_by_exactly_one_of_16_workers(db: AsyncDatabase) -> None:
    _, task_id = await _task(db)
    reminders = TaskReminders(db)
    claimed = await race(lambda i: reminders.claim_reminder(task_id, _now(), _now() - timedelta(minutes=10)))
    assert claimed.count(True) == 1


async def test_16_task_status_changes_racing_a_reminder_mark_all_land_and_neither_erases_the_other(
    db: AsyncDatabase,
) -> None:
    roadmap_id, task_id = await _task(db)
    roadmaps, reminders = RoadmapRepository(db), TaskReminders(db)
    statuses = [TaskStatus.DONE, TaskStatus.IN_PROGRESS]

    async def write(i: int) -> bool:
        if i == 0:
            await reminders.mark_reminded(task_id, _now())
            return True
        return await roadmaps.set_task_status("owner-1", roadmap_id, "apply", statuses[i % 2], _now())

    assert all(await race(write))
    stored = await Versioned(db.roadmap_tasks).read(task_id)
    assert stored is not None and stored["revision"] == RACERS and stored["reminded_at"] is not None


async def test_a_pending_report_fails_once_when_16_attempts_give_up_at_once(db: AsyncDatabase) -> None:
    repo = ReportRepository(db)
    report = Report(
        id=_id(), owner_id="owner-1", roadmap_id="r", job_id="j", status=ReportStatus.PENDING, created_at=_now()
    )
    await repo.insert(report)
    await race(lambda i: repo.mark_failed(report.id, f"attempt {i}", _now()))
    stored = await Versioned(db.reports).read(report.id)
    assert stored is not None and (stored["status"], stored["revision"]) == (ReportStatus.FAILED.value, 1)


async def _user(db: AsyncDatabase, **mfa: Any) -> tuple[MongoUserRepository, str]:
    repo = MongoUserRepository(db, FieldCipher([Fernet.generate_key().decode()]))
    user = User(
        id=_id(),
        email=f"{_id()}@example.com",
        name="n",
        locale="en",
        password_hash="h",
        created_at=_now(),
        mfa=Mfa(**mfa),
    )
    await repo.add(user)
    return repo, user.id


async def test_a_recovery_code_is_accepted_for_exactly_one_of_16_logins(db: AsyncDatabase) -> None:
    repo, user_id = await _user(db, secret="s", recovery_code_hashes=("code-a", "code-b"))
    used = await race(lambda i: repo.consume_recovery_code(user_id, "code-a"))
    assert used.count(True) == 1
    user = await repo.by_id(user_id)
    assert user is not None and user.mfa.recovery_code_hashes == ("code-b",)


async def test_a_totp_step_is_accepted_for_exactly_one_of_16_logins(db: AsyncDatabase) -> None:
    repo, user_id = await _user(db, secret="s", last_step=100)
    used = await race(lambda i: repo.advance_totp_step(user_id, 101))
    assert used.count(True) == 1
    assert not await repo.advance_totp_step(user_id, 100)


async def test_one_of_16_editors_of_a_program_version_wins_and_the_rest_get_a_version_conflict(
    db: AsyncDatabase,
) -> None:
    repo = ProgramRepository(db)
    program = replace(CATALOG[0], slug=f"race-{_id()}")
    await repo.insert(program, _now(), "admin")

    async def edit(i: int) -> str:
        try:
            await repo.replace(replace(program, name=f"edit {i}"), 1, _now(), f"editor-{i}")
        except VersionConflict:
            return "conflict"
        return f"edit {i}"

    outcomes = await race(edit)
    winners = [o for o in outcomes if o != "conflict"]
    assert len(winners) == 1
    [record] = [r for r in await repo.by_slugs([program.slug]) if r is not None]
    assert (record.version, record.program.name) == (2, winners[0])
    assert [r.version for r in await repo.history(program.slug)] == [2, 1]


async def test_a_stale_migration_lock_is_taken_over_by_exactly_one_of_16_processes(services: Services) -> None:
    fresh = services.mongo[f"{services.settings.mongodb_db}_lock_{_id()[:8]}"]
    await fresh[LOCK].insert_one({"_id": "lock", "taken_at": _now() - timedelta(hours=1)})

    async def take(i: int) -> bool:
        try:
            await _acquire(fresh, timeout_s=1)
        except MigrationError:
            return False
        return True

    try:
        assert (await race(take)).count(True) == 1
    finally:
        await services.mongo.drop_database(fresh.name)


async def test_16_account_writes_at_once_all_land_recovery_codes_spent_beside_profile_edits(
    db: AsyncDatabase,
) -> None:
    codes = tuple(f"code-{i}" for i in range(RACERS // 2))
    repo, user_id = await _user(db, secret="s", recovery_code_hashes=codes)
    user = await repo.by_id(user_id)
    assert user is not None

    async def write(i: int) -> bool:
        if i < len(codes):
            return await repo.consume_recovery_code(user_id, codes[i])
        edits: list[dict[str, Any]] = [
            {"name": f"name {i}"},
            {"locale": f"l{i}"},
            {"photo_key": f"photo {i}"},
            {"role": Role.ADVISOR},
        ]
        edit = edits[i % len(edits)]
        await repo.update(replace(user, **edit), *edit)
        return True

    assert all(await race(write))
    stored = await repo.by_id(user_id)
    assert stored is not None and stored.mfa.recovery_code_hashes == ()
    assert stored.name != user.name and stored.locale != user.locale and stored.photo_key is not None
    assert stored.role is Role.ADVISOR
    doc = await db.users.find_one({"_id": user_id})
    assert doc is not None and doc["revision"] == RACERS
