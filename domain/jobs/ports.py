"""What job tracking needs: storage scoped to the owner, and a channel per job for live progress."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from domain.jobs.model import Job


class JobRepository(Protocol):
    async def insert(self, job: Job) -> None: ...

    async def for_owner(self, owner_id: str, job_id: str) -> Job | None:
        """The job only for its owner: another person's id is simply not found."""
        ...

    async def by_id(self, job_id: str) -> Job | None:
        """For the worker that runs the job; never reaches a client."""
        ...

    async def change(self, job_id: str, changes: dict[str, Any]) -> Job | None:
        """Apply `changes` and bump the revision in one atomic update; the job after it."""
        ...


class JobEvents(Protocol):
    async def publish(self, job: Job) -> None:
        """Best effort: the record is saved already, a lost event only delays a watcher."""
        ...

    def subscribe(self, job_id: str) -> AbstractAsyncContextManager[AsyncIterator[Job]]:
        """Subscribed on entry, so nothing published afterwards is missed; yields each state published."""
        ...
