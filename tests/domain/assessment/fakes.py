"""In-memory ports for the assessment use cases, behaving as the Mongo and Redis adapters do."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from domain.assessment.model import Assessment, Holder
from domain.assessment.service import Assessments
from domain.assessment.snapshot import ProfileSnapshot


@dataclass
class Row:
    assessment: Assessment
    token_hash: str | None


def _opens(holder: Holder, row: Row) -> bool:
    owner = row.assessment.owner_id
    if holder.user_id is not None and owner == holder.user_id:
        return True
    return holder.token_hash is not None and owner is None and row.token_hash == holder.token_hash


@dataclass
class MemoryAssessments:
    rows: dict[str, Row] = field(default_factory=dict)
    conflicts: int = 0  # the next N compare-and-sets lose, as if another device saved first

    async def insert(self, assessment: Assessment, token_hash: str | None) -> None:
        self.rows[assessment.id] = Row(assessment, token_hash)

    async def find(self, holder: Holder, assessment_id: str) -> Assessment | None:
        row = self.rows.get(assessment_id)
        return row.assessment if row is not None and _opens(holder, row) else None

    async def replace_state(self, holder: Holder, assessment: Assessment, expected_revision: int) -> bool:
        row = self.rows.get(assessment.id)
        if row is None or not _opens(holder, row) or row.assessment.revision != expected_revision:
            return False
        if self.conflicts:
            self.conflicts -= 1
            row.assessment = replace(row.assessment, revision=row.assessment.revision + 1)
            return False
        row.assessment = replace(assessment, owner_id=row.assessment.owner_id)
        return True

    async def claim(self, assessment_id: str, token_hash: str, user_id: str, at: datetime) -> Assessment | None:
        row = self.rows.get(assessment_id)
        if row is None or row.assessment.owner_id is not None or row.token_hash != token_hash:
            return None
        row.assessment = replace(row.assessment, owner_id=user_id, revision=row.assessment.revision + 1, updated_at=at)
        row.token_hash = None
        return row.assessment

    async def for_owner(self, user_id: str, limit: int) -> list[Assessment]:
        mine = [r.assessment for r in self.rows.values() if r.assessment.owner_id == user_id]
        return sorted(mine, key=lambda a: a.updated_at, reverse=True)[:limit]


@dataclass
class MemorySnapshots:
    rows: dict[str, ProfileSnapshot] = field(default_factory=dict)

    async def insert(self, snapshot: ProfileSnapshot) -> None:
        assert snapshot.id not in self.rows
        self.rows[snapshot.id] = snapshot

    async def for_assessment(self, assessment_id: str, snapshot_id: str) -> ProfileSnapshot | None:
        found = self.rows.get(snapshot_id)
        return found if found is not None and found.assessment_id == assessment_id else None

    async def latest_for_owner(self, user_id: str) -> ProfileSnapshot | None:
        mine = [s for s in self.rows.values() if s.owner_id == user_id]
        return max(mine, key=lambda s: s.created_at, default=None)

    async def version_for_owner(self, user_id: str) -> str | None:
        latest = await self.latest_for_owner(user_id)
        return None if latest is None else latest.id

    async def assign_owner(self, assessment_id: str, user_id: str) -> None:
        for key, snapshot in self.rows.items():
            if snapshot.assessment_id == assessment_id and snapshot.owner_id is None:
                self.rows[key] = replace(snapshot, owner_id=user_id)


@dataclass
class MemoryEvents:
    queues: dict[str, list[asyncio.Queue[int]]] = field(default_factory=dict)
    published: list[tuple[str, int]] = field(default_factory=list)

    async def publish(self, assessment_id: str, revision: int) -> None:
        self.published.append((assessment_id, revision))
        for queue in self.queues.get(assessment_id, []):
            queue.put_nowait(revision)

    @asynccontextmanager
    async def subscribe(self, assessment_id: str) -> AsyncIterator[AsyncIterator[int]]:
        queue: asyncio.Queue[int] = asyncio.Queue()
        self.queues.setdefault(assessment_id, []).append(queue)

        async def revisions() -> AsyncIterator[int]:
            while True:
                yield await queue.get()

        try:
            yield revisions()
        finally:
            self.queues[assessment_id].remove(queue)


class Unlimited:
    """These tests are about the quiz; tests/api checks the start limits against Redis."""

    async def acquire(self, limits: Sequence[tuple[str, int]], window_s: int, attempt_id: str) -> int | None:
        return None


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@dataclass
class World:
    assessments: MemoryAssessments
    snapshots: MemorySnapshots
    events: MemoryEvents
    service: Assessments


def world() -> World:
    ids = (f"id{n}" for n in itertools.count(1))
    tokens = (f"token-{n}" for n in itertools.count(1))
    assessments, snapshots, events = MemoryAssessments(), MemorySnapshots(), MemoryEvents()
    service = Assessments(
        assessments, snapshots, events, Clock(), Unlimited(), new_id=lambda: next(ids), new_token=lambda: next(tokens)
    )
    return World(assessments, snapshots, events, service)
