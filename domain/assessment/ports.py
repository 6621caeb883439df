"""What the assessment use cases need from storage and messaging — implemented in datasources."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from domain.assessment.model import Assessment, Holder
from domain.assessment.snapshot import ProfileSnapshot


class AssessmentRepository(Protocol):
    """Every read and write is scoped to a Holder: someone else's id is simply not found."""

    async def insert(self, assessment: Assessment, token_hash: str | None) -> None: ...

    async def find(self, holder: Holder, assessment_id: str) -> Assessment | None: ...

    async def replace_state(self, holder: Holder, assessment: Assessment, expected_revision: int) -> bool:
        """Write answers, status and revision if the stored revision is still `expected_revision`."""
        ...

    async def claim(self, assessment_id: str, token_hash: str, user_id: str, at: datetime) -> Assessment | None:
        """Give an anonymous assessment to `user_id` and retire its token; None if the token does not open it."""
        ...

    async def for_owner(self, user_id: str, limit: int) -> list[Assessment]: ...


class SnapshotRepository(Protocol):
    async def insert(self, snapshot: ProfileSnapshot) -> None: ...

    async def for_assessment(self, assessment_id: str, snapshot_id: str) -> ProfileSnapshot | None: ...

    async def latest_for_owner(self, user_id: str) -> ProfileSnapshot | None: ...

    async def assign_owner(self, assessment_id: str, user_id: str) -> None: ...


class ProgressEvents(Protocol):
    """A channel per assessment; every process publishing and subscribing sees the same events."""

    async def publish(self, assessment_id: str, revision: int) -> None: ...

    def subscribe(self, assessment_id: str) -> AbstractAsyncContextManager[AsyncIterator[int]]:
        """Subscribed on entry (so nothing published afterwards is missed); yields revisions."""
        ...


class RateLimiter(Protocol):
    """Sliding-window counters that every API process shares."""

    async def acquire(self, limits: Sequence[tuple[str, int]], window_s: int, attempt_id: str) -> int | None:
        """Count the attempt in one atomic step unless a key is at its limit: then count nothing and return the
        seconds until it frees a slot."""
        ...
