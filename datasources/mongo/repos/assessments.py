"""Assessments and their profile snapshots in Mongo: every read and write scoped to the caller.

An assessment is one document (answers embedded), so each answer is a compare-and-set on `revision`, decided by
inserting the claim of the next revision (datasources/mongo/atomic.py). Snapshots are insert-only documents.
"""

from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.atomic import Versioned
from datasources.mongo.lookups import in_scope, lookup
from domain.assessment.model import Assessment, Holder, Status, StoredAnswer
from domain.assessment.snapshot import ProfileSnapshot, profile_from_data, supplement_from_data, to_data

REMEMBERED = 256
"""Documents kept as read, most recent last, for the compare-and-set that follows (see `_remember`)."""


def _held_by(holder: Holder, doc: Mapping[str, Any]) -> bool:
    """Whether the holder opens the assessment: its owner, or the bearer of its token while anonymous."""
    if holder.user_id is not None and in_scope(doc, {"owner_id": holder.user_id}):
        return True
    return holder.token_hash is not None and in_scope(doc, {"owner_id": None, "token_hash": holder.token_hash})


def _answers_to_data(answers: Mapping[str, StoredAnswer]) -> dict[str, Any]:
    return {qid: {"value": a.value, "basis": dict(a.basis)} for qid, a in answers.items()}


def _assessment(doc: Mapping[str, Any]) -> Assessment:
    answers = {
        qid: StoredAnswer(raw["value"], MappingProxyType(dict(raw.get("basis") or {})))
        for qid, raw in (doc.get("answers") or {}).items()
    }
    return Assessment(
        id=doc["_id"],
        owner_id=doc.get("owner_id"),
        bank_version=doc["bank_version"],
        answers=MappingProxyType(answers),
        revision=doc["revision"],
        status=Status(doc["status"]),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        completed_at=doc.get("completed_at"),
        latest_snapshot_id=doc.get("latest_snapshot_id"),
    )


def _changes(doc: Mapping[str, Any], state: Mapping[str, Any]) -> dict[str, Any]:
    """The fields `state` changes in `doc`, answers one by one unless one was dropped: claims stay small."""
    changes = {k: v for k, v in state.items() if k != "answers" and doc.get(k) != v}
    before, after = doc.get("answers") or {}, state["answers"]
    if set(before) - set(after) or any("." in qid or qid.startswith("$") for qid in after):
        if before != after:
            changes["answers"] = after
    else:
        changes.update({f"answers.{qid}": a for qid, a in after.items() if before.get(qid) != a})
    return changes


def _state(assessment: Assessment) -> dict[str, Any]:
    return {
        "answers": _answers_to_data(assessment.answers),
        "revision": assessment.revision,
        "status": assessment.status.value,
        "updated_at": assessment.updated_at,
        "completed_at": assessment.completed_at,
        "latest_snapshot_id": assessment.latest_snapshot_id,
    }


class AssessmentRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["assessments"]
        self.versioned = Versioned(self.collection)
        self.read_at: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()

    async def insert(self, assessment: Assessment, token_hash: str | None) -> None:
        await self.collection.insert_one(
            {
                "_id": assessment.id,
                "owner_id": assessment.owner_id,
                "token_hash": token_hash,
                "bank_version": assessment.bank_version,
                "created_at": assessment.created_at,
                **_state(assessment),
            }
        )

    async def find(self, holder: Holder, assessment_id: str) -> Assessment | None:
        # By `_id` alone, the holder checked here: an `$or` of owner and token is not served from an index.
        if holder.anonymous:
            return None
        doc = await self.versioned.read(assessment_id)
        if doc is None or not _held_by(holder, doc):
            return None
        self._remember(doc)
        return _assessment(doc)

    def _remember(self, doc: dict[str, Any]) -> None:
        """A document as read at its revision: every write claims a new revision, so what a revision holds
        never changes, and the compare-and-set that follows a read needs no second read."""
        self.read_at[(doc["_id"], doc["revision"])] = doc
        if len(self.read_at) > REMEMBERED:
            self.read_at.popitem(last=False)

    async def replace_state(self, holder: Holder, assessment: Assessment, expected_revision: int) -> bool:
        """Compare-and-set: False when the stored revision moved past `expected_revision` (the caller re-reads)."""
        doc = self.read_at.pop((assessment.id, expected_revision), None)
        if doc is None:
            doc = await self.collection.find_one({"_id": assessment.id})
        if doc is not None and doc["revision"] < expected_revision:
            doc = await self.versioned.catch_up(doc)  # else a document behind its claims only loses the insert
        if doc is None or not _held_by(holder, doc) or doc["revision"] != expected_revision:
            return False
        return await self.versioned.advance(doc, _changes(doc, _state(assessment))) is not None

    async def claim(self, assessment_id: str, token_hash: str, user_id: str, at: datetime) -> Assessment | None:
        doc = await self.versioned.update(
            assessment_id,
            {"owner_id": user_id, "token_hash": None, "updated_at": at},
            where=lambda d: d.get("owner_id") is None and d.get("token_hash") == token_hash,
        )
        return None if doc is None else _assessment(doc)

    async def for_owner(self, user_id: str, limit: int) -> list[Assessment]:
        cursor = self.collection.find({"owner_id": user_id}).sort("updated_at", DESCENDING).limit(limit)
        return [_assessment(doc) async for doc in cursor]


def _snapshot(doc: Mapping[str, Any]) -> ProfileSnapshot:
    return ProfileSnapshot(
        id=doc["_id"],
        assessment_id=doc["assessment_id"],
        owner_id=doc.get("owner_id"),
        created_at=doc["created_at"],
        bank_version=doc["bank_version"],
        answers=MappingProxyType(dict(doc["answers"])),
        profile=profile_from_data(doc["profile"]),
        supplement=supplement_from_data(doc["supplement"]),
    )


class SnapshotRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["profile_snapshots"]

    async def insert(self, snapshot: ProfileSnapshot) -> None:
        await self.collection.insert_one(
            {
                "_id": snapshot.id,
                "assessment_id": snapshot.assessment_id,
                "owner_id": snapshot.owner_id,
                "created_at": snapshot.created_at,
                "bank_version": snapshot.bank_version,
                "answers": dict(snapshot.answers),
                "profile": to_data(snapshot.profile),
                "supplement": to_data(snapshot.supplement),
            }
        )

    async def for_assessment(self, assessment_id: str, snapshot_id: str) -> ProfileSnapshot | None:
        doc = await lookup(self.collection, snapshot_id, assessment_id=assessment_id)
        return None if doc is None else _snapshot(doc)

    async def latest_for_owner(self, user_id: str) -> ProfileSnapshot | None:
        cursor = self.collection.find({"owner_id": user_id}).sort("created_at", DESCENDING).limit(1)
        async for doc in cursor:
            return _snapshot(doc)
        return None

    async def assign_owner(self, assessment_id: str, user_id: str) -> None:
        await self.collection.update_many(
            {"assessment_id": assessment_id, "owner_id": None}, {"$set": {"owner_id": user_id}}
        )


class AssessmentRecords:
    """Assessments and their profile snapshots as personal data: in the export, gone on erasure."""

    name = "assessments"

    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    async def export(self, user_id: str) -> dict[str, Any]:
        assessments = [
            {
                "id": d["_id"],
                "status": d["status"],
                "answers": d.get("answers", {}),
                "createdAt": d["created_at"].isoformat(),
                "completedAt": _iso(d.get("completed_at")),
            }
            async for d in self.db["assessments"].find({"owner_id": user_id})
        ]
        snapshots = [
            {
                "id": d["_id"],
                "assessment": d["assessment_id"],
                "createdAt": d["created_at"].isoformat(),
                "answers": d["answers"],
            }
            async for d in self.db["profile_snapshots"].find({"owner_id": user_id})
        ]
        return {"assessments": assessments, "profileSnapshots": snapshots}

    async def erase(self, user_id: str) -> None:
        ids = [d["_id"] async for d in self.db["assessments"].find({"owner_id": user_id}, {"_id": 1})]
        await Versioned(self.db["assessments"]).forget(ids)
        await self.db["assessments"].delete_many({"owner_id": user_id})
        await self.db["profile_snapshots"].delete_many({"owner_id": user_id})


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
