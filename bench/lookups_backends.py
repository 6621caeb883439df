"""Times FerretDB's lookups on its two backends, SQLite and PostgreSQL, over the same documents.

`.venv/bin/python bench/lookups_backends.py [--documents 1600]` starts the stack's PostgreSQL if needed, then
two FerretDB processes of its own on free loopback ports (the stack's binary; one on SQLite files, one on a
database of its own in the stack's PostgreSQL), loads the same ~2 KB documents with the same indexes into
both and prints the median and p95 of each lookup shape, each lookup for a different random document.
Both FerretDBs and their data are removed afterwards; the stack's own FerretDB is not touched.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import socket
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bson import ObjectId
from pymongo import ASCENDING, MongoClient
from pymongo.collection import Collection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devstack import StackError, up
from devstack.ferretdb import FerretDBService
from devstack.layout import StackPaths
from devstack.postgres import PostgresService
from devstack.process import spawn
from migratio.settings import Settings

BACKENDS = ("sqlite", "postgresql")
LOOKUPS, IN_BATCH = 100, 20
Lookup = Callable[[Collection[dict[str, Any]], dict[str, Any], list[dict[str, Any]]], object]
SHAPES: dict[str, Lookup] = {
    "`_id` equality": lambda c, d, _: c.find_one({"_id": d["_id"]}),
    "non-`_id` equality (indexed)": lambda c, d, _: c.find_one({"owner_id": d["owner_id"]}),
    "compound equality (compound index)": lambda c, d, _: c.find_one(
        {"owner_id": d["owner_id"], "token_hash": d["token_hash"]}
    ),
    "`{_id, owner_id, token_hash}`": lambda c, d, _: c.find_one(
        {"_id": d["_id"], "owner_id": d["owner_id"], "token_hash": d["token_hash"]}
    ),
    f"`$in` over {IN_BATCH} `_id`s": lambda c, _, batch: list(c.find({"_id": {"$in": [b["_id"] for b in batch]}})),
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def ferretdb(settings: Settings, backend: str) -> Iterator[MongoClient[dict[str, Any]]]:
    """A FerretDB of the benchmark's own on `backend`, with its own pid file, log, data and PG database."""
    postgres_url = settings.ferretdb_postgresql_url.rsplit("/", 1)[0] + "/ferretdb_bench"
    own = settings.model_copy(
        update={
            "ferretdb_backend": backend,
            "mongodb_url": f"mongodb://127.0.0.1:{_free_port()}/",
            "ferretdb_postgresql_url": postgres_url,
        }
    )
    paths = StackPaths(settings.stack_dir)
    service = FerretDBService(own, paths)
    service.name = f"bench-ferretdb-{backend}"
    postgres = PostgresService(own, paths)
    shutil.rmtree(service.data_dir, ignore_errors=True)
    paths.ensure(service.name)
    service.install()
    spawn(service.argv(), log_file=service.log_file, pid_file=service.pid_file, env=service.env(), cwd=service.data_dir)
    client: MongoClient[dict[str, Any]] = MongoClient(own.mongodb_url, directConnection=True)
    try:
        deadline = time.monotonic() + 30
        while not service.is_healthy():
            if time.monotonic() > deadline:
                raise StackError(f"{service.name} did not answer; see {service.log_file}")
            time.sleep(0.2)
        yield client
    finally:
        client.close()
        service.stop()
        shutil.rmtree(service.data_dir, ignore_errors=True)
        if backend == "postgresql":
            postgres.psql(f'DROP DATABASE IF EXISTS "{postgres.database}"')


def load(collection: Collection[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    documents = [
        {
            "_id": ObjectId(),
            "owner_id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "token_hash": hashlib.sha256(str(i).encode()).hexdigest(),
            "country": rng.choice(["CA", "DE", "NZ", "AU", "GB"]),
            "notes": "".join(rng.choices("abcdefghij klmnopqrstuvwxyz", k=1900)),
        }
        for i in range(count)
    ]
    collection.create_index([("owner_id", ASCENDING)])
    collection.create_index([("owner_id", ASCENDING), ("token_hash", ASCENDING)])
    for start in range(0, count, 200):
        collection.insert_many(documents[start : start + 200])
    return documents


def time_shapes(collection: Collection[dict[str, Any]], documents: list[dict[str, Any]]) -> dict[str, list[float]]:
    rng = random.Random(11)
    timings: dict[str, list[float]] = {}
    for shape, lookup in SHAPES.items():
        lookup(collection, documents[0], documents[:IN_BATCH])  # warm-up
        samples = []
        for _ in range(LOOKUPS):
            document, batch = rng.choice(documents), rng.sample(documents, IN_BATCH)
            started = time.perf_counter()
            found = lookup(collection, document, batch)
            samples.append((time.perf_counter() - started) * 1000)
            assert found, f"{shape} found nothing"
        timings[shape] = samples
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1600)
    args = parser.parse_args()
    settings = Settings()
    up(settings, ["postgres"])
    results: dict[str, dict[str, list[float]]] = {}
    for backend in BACKENDS:
        with ferretdb(settings, backend) as client:
            collection = client.bench.tokens
            documents = load(collection, args.documents)
            results[backend] = time_shapes(collection, documents)
    print(f"{args.documents} documents of ~2 KB, {LOOKUPS} lookups each; median / p95 in ms")
    print(f"{'lookup':<38} {'SQLite':>15} {'PostgreSQL':>15}")
    for shape in SHAPES:
        cells = []
        for backend in BACKENDS:
            samples = results[backend][shape]
            cells.append(f"{statistics.median(samples):.1f} / {statistics.quantiles(samples, n=20)[-1]:.1f}")
        print(f"{shape:<38} {cells[0]:>15} {cells[1]:>15}")


if __name__ == "__main__":
    main()
