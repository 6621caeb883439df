"""Sixteen real racers on every insert-decided write: exactly one winner, nothing acknowledged lost.

Racers are concurrent requests through the repositories (asyncio.gather), and for the primitives also
separate clients with their own connection pools. Nothing here depends on how the store orders them.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.atomic import SpentKeys, Versioned
from migratio.migrations import apply_migrations
from migratio.services import Services
from migratio.settings import Settings

RACERS = 16
T = TypeVar("T")


@pytest.fixture(scope="module")
async def db(services: Services) -> AsyncDatabase:
    await apply_migrations(services.db)
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
