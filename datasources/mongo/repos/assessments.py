"""Assessments and their profile snapshots in Mongo: every read and write scoped to the caller.

An assessment is one document (answers embedded), so each answer is a single-document compare-and-set on
`revision`. Snapshots are insert-only documents of their own.
"""

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from pymongo import DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.lookups import in_scope, lookup
from domain.assessment.model import Assessment, Holder, Status, StoredAnswer
from domain.assessment.snapshot import ProfileSnapshot, profile_from_data, supplement_from_data, to_data


def _scope(holder: Holder, assessment_id: str) -> dict[str, Any] | None:
    """The filter that finds the assessment only for its owner, or for the bearer of its token while anonymous."""
    options: list[dict[str, Any]] = []
    if holder.user_id is not None:
        options.append({"owner_id": holder.user_id})
    if holder.token_hash is not None:
        options.append({"owner_id": None, "token_hash": holder.token_hash})
    if not options:
        return None
    if len(options) == 1:
        return {"_id": assessment_id, **options[0]}
    return {"_id": assessment_id, "$or": options}


def _held_by(holder: Holder, doc: Mapping[str, Any]) -> bool:
    """What `_scope` asks of the document, checked on it."""
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
        doc = await lookup(self.collection, assessment_id)
        return None if doc is None or not _held_by(holder, doc) else _assessment(doc)

    async def replace_state(self, holder: Holder, assessment: Assessment, expected_revision: int) -> bool:
        scope = _scope(holder, assessment.id)
        if scope is None:
            return False
        current = {**scope, "revision": expected_revision}
        result = await self.collection.update_one(current, {"$set": _state(assessment)})
        return bool(result.matched_count == 1)

    async def claim(self, assessment_id: str, token_hash: str, user_id: str, at: datetime) -> Assessment | None:
        doc = await self.collection.find_one_and_update(
            {"_id": assessment_id, "owner_id": None, "token_hash": token_hash},
            {"$set": {"owner_id": user_id, "token_hash": None, "updated_at": at}, "$inc": {"revision": 1}},
            return_document=ReturnDocument.AFTER,
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
            {"id": d["_id"], "status": d["status"], "answers": d.get("answers", {}),
             "createdAt": d["created_at"].isoformat(), "completedAt": _iso(d.get("completed_at"))}
            async for d in self.db["assessments"].find({"owner_id": user_id})
        ]
        snapshots = [
            {"id": d["_id"], "assessment": d["assessment_id"], "createdAt": d["created_at"].isoformat(),
             "answers": d["answers"]}
            async for d in self.db["profile_snapshots"].find({"owner_id": user_id})
        ]
        return {"assessments": assessments, "profileSnapshots": snapshots}

    async def erase(self, user_id: str) -> None:
        await self.db["assessments"].delete_many({"owner_id": user_id})
        await self.db["profile_snapshots"].delete_many({"owner_id": user_id})


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
