"""The profile snapshots with a per-person version in Redis that moves after every write changing which snapshot
is someone's latest, so the response cache can key a person's results without reading MongoDB on each request.

A version missing from Redis (never set, evicted, Redis emptied) starts at the clock, as the catalog generation
does: answers kept under an earlier version are never served again. A write moves it after the database has the
new snapshot, so a request that read the version before the write and computed from the old snapshot keeps its
answer under the old version only. If moving fails (Redis unreachable at that moment) the earlier answer may be
served until it expires (RESULTS_CACHE_TTL_S); the write itself stands.
"""

import logging
import time

from redis.asyncio import Redis
from redis.exceptions import RedisError

from datasources.mongo.repos.assessments import SnapshotRepository
from domain.assessment.snapshot import ProfileSnapshot

log = logging.getLogger(__name__)


class VersionedSnapshots:
    def __init__(self, snapshots: SnapshotRepository, redis: Redis, namespace: str) -> None:
        self.snapshots = snapshots
        self.redis = redis
        self.prefix = f"{namespace}:results-version:"

    async def insert(self, snapshot: ProfileSnapshot) -> None:
        await self.snapshots.insert(snapshot)
        if snapshot.owner_id is not None:
            await self._move(snapshot.owner_id)

    async def assign_owner(self, assessment_id: str, user_id: str) -> None:
        await self.snapshots.assign_owner(assessment_id, user_id)
        await self._move(user_id)

    async def for_assessment(self, assessment_id: str, snapshot_id: str) -> ProfileSnapshot | None:
        return await self.snapshots.for_assessment(assessment_id, snapshot_id)

    async def latest_for_owner(self, user_id: str) -> ProfileSnapshot | None:
        return await self.snapshots.latest_for_owner(user_id)

    async def version_for_owner(self, user_id: str) -> str | None:
        """None when Redis cannot say: nothing to key on."""
        key = self.prefix + user_id
        try:
            current = await self.redis.get(key)
            if current is None:
                await self.redis.set(key, time.time_ns(), nx=True)
                current = await self.redis.get(key)
        except RedisError as error:
            log.warning("results versions unavailable: %s", error)
            return None
        return None if current is None else str(int(current))

    async def _move(self, user_id: str) -> None:
        key = self.prefix + user_id
        try:
            await self.redis.set(key, time.time_ns(), nx=True)  # a lost version restarts at the clock, not at 1
            await self.redis.incr(key)
        except RedisError as error:
            log.warning("could not move %s's results version: %s", user_id, error)
