"""Compare-and-set, single use and counters, each race decided by one insert on a unique `_id`.

FerretDB v1 runs a conditional update's match and write as separate steps (racers all "match", one write
survives); a colliding insert is atomic there and on MongoDB, so these primitives are right on both.

- `SpentKeys.spend(kind, key)`: a single-use value (ticket, refresh token, TOTP step) is spent by inserting
  `<kind>:<key>` into `spent`; True for exactly one caller, DuplicateKeyError means "already spent".
- `Versioned(collection)`: a document moves from revision r to r+1 only by inserting the claim
  `<id>:<r+1>` (with the changed fields) into `<collection>_revisions`, then writing the document. Every
  read through `read`/`catch_up` applies claims found ahead of the document first, so a crash between the
  two steps loses nothing and blocks no one, and a delayed, stale document write cannot hide a claim.
  `update(id, changes, where=…)` is the conditional update: it retries on a lost race while `where` holds.
- Counters are versioned documents too: `update(id, lambda doc: {"n": doc.get("n", 0) + 1})` never loses
  an increment, unlike `$inc` on FerretDB.

A claim carries only the fields it sets (absolute values), so re-applying claims in order is idempotent.
FerretDB rewrites a whole document on every update (concurrent `$set`s of different fields lose each other), so
every write to a versioned document goes through `Versioned`. A claim must never set a field under a unique
index other than `_id`: its document write could then be refused, and every read after it would fail.
Lists (`find` of many documents) show documents as last written; a claim whose write crashed shows up there
after the next single read or write of that document. Claims and spent keys expire by TTL index where the
server has TTL indexes (MongoDB; FerretDB v1 keeps them): spent keys at the value's own expiry, claims after
`CLAIM_TTL`, which no request outlives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

SPENT = "spent"
CLAIMS_SUFFIX = "_revisions"
CLAIM_TTL = timedelta(days=30)
MAX_ATTEMPTS = 100

Changes = Mapping[str, Any]


class Contention(RuntimeError):
    """A versioned document kept changing under `update` for MAX_ATTEMPTS tries."""


class SpentKeys:
    """Single-use values: spending one is inserting it; only the first insert of a key succeeds."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection: AsyncCollection = db[SPENT]

    async def spend(self, kind: str, key: str, *, expires_at: datetime | None = None) -> bool:
        """True for exactly one caller per (kind, key); `expires_at` is when the value stops being accepted
        anyway, so the record may then go."""
        try:
            await self.collection.insert_one(
                {"_id": f"{kind}:{key}", "at": datetime.now(UTC), "expires_at": expires_at}
            )
        except DuplicateKeyError:
            return False
        return True

    async def spent_at(self, kind: str, key: str) -> datetime | None:
        doc = await self.collection.find_one({"_id": f"{kind}:{key}"})
        return None if doc is None else doc["at"]  # type: ignore[no-any-return]


def claims_for(collection: AsyncCollection) -> AsyncCollection:
    return collection.database[collection.name + CLAIMS_SUFFIX]


def _apply(doc: dict[str, Any], pairs: Iterable[tuple[str, Any]]) -> None:
    for path, value in pairs:
        *parents, leaf = path.split(".")
        target = doc
        for name in parents:
            child = target.get(name)
            if not isinstance(child, dict):
                child = target[name] = {}
            target = child
        target[leaf] = value


class Versioned:
    """Documents of one collection, each changed only by claiming its next revision (see the module doc)."""

    def __init__(self, collection: AsyncCollection, field: str = "revision") -> None:
        self.documents = collection
        self.claims = claims_for(collection)
        self.field = field

    def revision(self, doc: Mapping[str, Any]) -> int:
        return int(doc.get(self.field) or 0)

    async def read(self, doc_id: str, **scope: object) -> dict[str, Any] | None:
        """The document by `_id` with every claim ahead of it applied; None if there is none or a field
        differs from its value in `scope` (checked after the claims, which may change it)."""
        doc = await self.documents.find_one({"_id": doc_id})
        if doc is None:
            return None
        doc = await self.catch_up(doc)
        return doc if all(doc.get(name) == value for name, value in scope.items()) else None

    async def catch_up(self, doc: dict[str, Any]) -> dict[str, Any]:
        """`doc` (as found by any query) rolled forward through the claims ahead of it."""
        while True:
            following = self.revision(doc) + 1
            claim = await self.claims.find_one({"_id": f"{doc['_id']}:{following}"})
            if claim is None:
                return doc
            pairs = [(item["path"], item["value"]) for item in claim["set"]]
            await self._write(doc["_id"], following, pairs)
            _apply(doc, [*pairs, (self.field, following)])

    async def advance(self, doc: Mapping[str, Any], changes: Changes) -> dict[str, Any] | None:
        """Compare-and-set: move `doc`, as read at its revision, to the next one with `changes` (absolute
        values, dotted paths allowed); the new document, or None if another writer claimed that revision
        first (or the document is gone)."""
        following = self.revision(doc) + 1
        pairs = [(path, value) for path, value in changes.items() if path != self.field]
        try:
            await self.claims.insert_one(
                {
                    "_id": f"{doc['_id']}:{following}",
                    "doc": doc["_id"],
                    "set": [{"path": p, "value": v} for p, v in pairs],
                    "at": datetime.now(UTC),
                }
            )
        except DuplicateKeyError:
            return None
        written = await self._write(doc["_id"], following, pairs)
        if not written and await self.documents.find_one({"_id": doc["_id"]}, {"_id": 1}) is None:
            return None
        moved = dict(doc)
        _apply(moved, [*pairs, (self.field, following)])
        return moved

    async def update(
        self,
        doc_id: str,
        changes: Changes | Callable[[dict[str, Any]], Changes],
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any] | None:
        """Conditional update: apply `changes` (or `changes(current)`) while `where(current)` holds, retrying
        lost races; the new document, or None when it is missing or `where` no longer holds."""
        # The first try skips looking for claims ahead: a document behind its claims only loses the insert.
        current, caught_up = await self.documents.find_one({"_id": doc_id}), False
        for _ in range(MAX_ATTEMPTS):
            if current is None:
                return None
            if where is not None and not where(current):
                if caught_up:
                    return None
                current, caught_up = await self.catch_up(current), True
                continue
            moved = await self.advance(current, changes(current) if callable(changes) else changes)
            if moved is not None:
                return moved
            current, caught_up = await self.read(doc_id), True
        raise Contention(f"{self.documents.name} {doc_id} kept changing")

    async def forget(self, doc_ids: Iterable[str]) -> None:
        """Drop the claims of documents being erased (they may carry personal data)."""
        ids = list(doc_ids)
        if ids:
            await self.claims.delete_many({"doc": ids[0]} if len(ids) == 1 else {"doc": {"$in": ids}})

    async def _write(self, doc_id: str, revision: int, pairs: list[tuple[str, Any]]) -> bool:
        # Never moves a document back on MongoDB; on FerretDB a stale write can, and `catch_up` repairs it.
        result = await self.documents.update_one(
            {"_id": doc_id, "$or": [{self.field: {"$lt": revision}}, {self.field: None}]},
            {"$set": {**dict(pairs), self.field: revision}},
        )
        return bool(result.matched_count)
