"""Times the hot Mongo lookups at 1k, 10k and 100k documents per collection and prints their growth.

`.venv/bin/python bench/lookups.py [--sizes 1000,10000,100000] [--backend stack|postgresql|sqlite]` starts
the local stack if needed and fills a database of its own on the stack's FerretDB (dropped afterwards) with
~2 KB documents shaped like refresh sessions, inserted with `insert_many` in batches of 1,000; with a backend
named, on a FerretDB of its own on that backend (bench/lookups_backends.py), removed afterwards. Each shape
is timed on random documents (median and p95 in ms) with the code the repositories run: a lookup by `_id`
(`lookups.lookup`), one by a unique token hash, a compound equality on an owner and a family (compound
index), and a loader batch of 20 keys (`lookups.lookup_many`: concurrent `_id` lookups) beside the `$in` over
20 `_id`s it replaced. The last column divides the median at the largest size by that at the smallest
(target: at most 2).

On FerretDB's PostgreSQL backend each equality becomes `_jsonb->'field' @> value`, which none of the btree
indexes FerretDB creates can serve: PostgreSQL scans the table. So on that backend the same shapes are timed
a second time on a copy of the collection with the GIN indexes that migrations add there
(datasources/mongo/ferretdb_gin.py: `USING gin ((_jsonb->'field') jsonb_path_ops)` per indexed field).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datasources.mongo.ferretdb_gin import add_gin_indexes
from datasources.mongo.lookups import lookup, lookup_many
from devstack import ensure_stack_running, up
from migratio.settings import Settings

SIZES = (1_000, 10_000, 100_000)
INSERT_BATCH, LOADER_BATCH = 1_000, 20
REPEATS = {"single": 25, "batch": 10, "in": 3}
Doc = dict[str, Any]
Shape = Callable[[AsyncCollection, list[Doc]], Awaitable[object]]


def _document(i: int) -> Doc:
    owner = f"user-{i // 4:08d}"  # four sessions a person, as after a few devices
    return {
        "_id": uuid.uuid4().hex,
        "owner_id": owner,
        "family_id": f"family-{i:08d}",
        "token_hash": hashlib.sha256(f"token-{i}".encode()).hexdigest(),
        "created_at": time.time(),
        "user_agent": "Mozilla/5.0 " + "x" * 1_800,
    }


async def _by_token(c: AsyncCollection, docs: list[Doc]) -> object:
    return await c.find_one({"token_hash": docs[0]["token_hash"]})


async def _compound(c: AsyncCollection, docs: list[Doc]) -> object:
    return await c.find_one({"owner_id": docs[0]["owner_id"], "family_id": docs[0]["family_id"]})


async def _in(c: AsyncCollection, docs: list[Doc]) -> object:
    return [d async for d in c.find({"_id": {"$in": [d["_id"] for d in docs]}})]


SHAPES: dict[str, tuple[str, Shape]] = {
    "`_id` (lookup)": ("single", lambda c, docs: lookup(c, docs[0]["_id"])),
    "token hash equality (unique index)": ("single", _by_token),
    "owner + family equality (compound index)": ("single", _compound),
    f"loader batch of {LOADER_BATCH} (concurrent `_id` lookups)": (
        "batch",
        lambda c, docs: lookup_many(c, [d["_id"] for d in docs]),
    ),
    f"`$in` over {LOADER_BATCH} `_id`s (before)": ("in", _in),
}


async def _fill(collection: AsyncCollection, size: int) -> tuple[list[Doc], float]:
    await collection.create_indexes(
        [
            IndexModel([("token_hash", ASCENDING)], unique=True),
            IndexModel([("owner_id", ASCENDING), ("family_id", ASCENDING)]),
        ]
    )
    docs = [_document(i) for i in range(size)]
    started = time.perf_counter()
    for offset in range(0, size, INSERT_BATCH):
        await collection.insert_many(docs[offset : offset + INSERT_BATCH], ordered=False)
    return [{k: d[k] for k in ("_id", "owner_id", "family_id", "token_hash")} for d in docs], (
        time.perf_counter() - started
    )


async def _time(collection: AsyncCollection, docs: list[Doc], shape: Shape, repeats: int) -> list[float]:
    rng = random.Random(7)
    await shape(collection, rng.sample(docs, LOADER_BATCH))  # a connection for each concurrent lookup
    times = []
    for _ in range(repeats):
        picked = rng.sample(docs, LOADER_BATCH)
        started = time.perf_counter()
        await shape(collection, picked)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(len(times) * 0.95) - 1)]


async def _client_cpu(collection: AsyncCollection, docs: list[Doc]) -> tuple[float, float]:
    """This process's CPU per batch, gathered lookups vs `$in`: what a batch costs the API on any server."""
    rng = random.Random(11)
    result = []
    for shape in (SHAPES[f"loader batch of {LOADER_BATCH} (concurrent `_id` lookups)"][1], _in):
        started = time.process_time()
        for _ in range(10):
            await shape(collection, rng.sample(docs, LOADER_BATCH))
        result.append((time.process_time() - started) * 100)
    return result[0], result[1]


async def run(settings: Settings, sizes: list[int]) -> None:
    client: AsyncMongoClient[Doc] = AsyncMongoClient(settings.mongodb_url, tz_aware=True)
    db = client[f"bench_lookups_{uuid.uuid4().hex[:8]}"]
    variants = ["as FerretDB indexes"]
    if settings.ferretdb_backend == "postgresql":
        variants.append("with GIN containment indexes")
    results: dict[tuple[str, str, int], list[float]] = {}
    gathered = single = 0.0
    try:
        for size in sizes:
            for variant in variants:
                collection = db[f"sessions_{size}_{variants.index(variant)}"]
                docs, took = await _fill(collection, size)
                print(f"{size:>7,} documents inserted in {took:5.1f} s ({variant})", flush=True)
                if variant != variants[0]:
                    await add_gin_indexes(settings.ferretdb_postgresql_url, db.name)
                for name, (kind, shape) in SHAPES.items():
                    results[(variant, name, size)] = await _time(collection, docs, shape, REPEATS[kind])
                if (size, variant) == (sizes[0], variants[0]):
                    gathered, single = await _client_cpu(collection, docs)
                await collection.drop()
        backend = settings.ferretdb_backend
        print(f"\nFerretDB on {backend}: median / p95 in ms; growth = median at {sizes[-1]:,} ÷ at {sizes[0]:,}")
        for variant in variants:
            print(f"\n{variant}:")
            print(f"  {'lookup':<52}" + "".join(f"{size:>16,}" for size in sizes) + "    growth")
            for name in SHAPES:
                cells = [results[(variant, name, size)] for size in sizes]
                line = "".join(f"{statistics.median(t):>9.1f} /{_p95(t):>5.0f}" for t in cells)
                growth = statistics.median(cells[-1]) / statistics.median(cells[0])
                print(f"  {name:<52}{line}    {growth:5.1f}×")
        print(
            f"\nAPI-process CPU per batch of {LOADER_BATCH} at {sizes[0]:,}: {gathered:.1f} ms gathered `_id` "
            f"lookups, {single:.1f} ms one `$in`"
        )
    finally:
        await client.drop_database(db.name)
        await client.close()


def _private(settings: Settings, backend: str, sizes: list[int]) -> None:
    """The same run on a FerretDB of the benchmark's own (bench/lookups_backends.py starts it), which the
    stack's restarts cannot interrupt."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from lookups_backends import ferretdb  # type: ignore[import-not-found]

    up(settings, ["postgres"])
    with ferretdb(settings, backend) as sync_client:
        address = sync_client.address
        assert address is not None
        host, port = address
        own = settings.model_copy(
            update={
                "ferretdb_backend": backend,
                "mongodb_url": f"mongodb://{host}:{port}/?directConnection=true",
                "ferretdb_postgresql_url": settings.ferretdb_postgresql_url.rsplit("/", 1)[0] + "/ferretdb_bench",
            }
        )
        asyncio.run(run(own, sizes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--backend",
        choices=("stack", "postgresql", "sqlite"),
        default="stack",
        help="the stack's FerretDB, or one of the benchmark's own on this backend",
    )
    parser.add_argument(
        "--sizes", default=",".join(str(s) for s in SIZES), help="documents per collection, comma-separated"
    )
    args = parser.parse_args()
    settings = Settings()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.backend != "stack":
        _private(settings, args.backend, sizes)
        return
    ensure_stack_running(settings)
    asyncio.run(run(settings, sizes))


if __name__ == "__main__":
    main()
