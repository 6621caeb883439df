"""Assessment use cases: start (anonymous or signed in), answer, complete, claim, resume and watch progress.

Each answer is one compare-and-set on the assessment's document (no transactions on FerretDB), so two
devices answering at once never lose an answer: the loser re-reads and applies its answer again.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType

from domain.analytics.model import EventName, ServerEvent
from domain.analytics.ports import NO_ANALYTICS, Analytics
from domain.assessment import branching
from domain.assessment.model import Assessment, Holder, Status
from domain.assessment.ports import AssessmentRepository, ProgressEvents, RateLimiter, SnapshotRepository
from domain.assessment.profile_builder import build_profile, build_supplement
from domain.assessment.questions import BANK_VERSION
from domain.assessment.snapshot import ProfileSnapshot
from domain.errors import BadUserInput, NotFound, RateLimited, Unauthenticated, Unavailable

MAX_ATTEMPTS = 5
MAX_LISTED = 50


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def holder_for(user_id: str | None, resume_token: str | None) -> Holder:
    return Holder(user_id=user_id, token_hash=token_hash(resume_token) if resume_token else None)


class AssessmentNotFound(NotFound):
    def __init__(self, assessment_id: str) -> None:
        super().__init__(f"no assessment {assessment_id!r} that you may open", id=assessment_id)


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    assessment: Assessment
    dropped: tuple[str, ...]  # answers this one made irrelevant


@dataclass(frozen=True, slots=True)
class StartLimits:
    """Each start stores a document, so anonymous starts are counted per address, signed-in ones per person."""

    per_ip: int = 30
    per_user: int = 100
    window_s: int = 3600


@dataclass
class Assessments:
    assessments: AssessmentRepository
    snapshots: SnapshotRepository
    events: ProgressEvents
    clock: Callable[[], datetime]
    limiter: RateLimiter
    limits: StartLimits = field(default_factory=StartLimits)
    new_id: Callable[[], str] = field(default=lambda: secrets.token_hex(12))
    new_token: Callable[[], str] = field(default=lambda: secrets.token_urlsafe(32))
    analytics: Analytics = NO_ANALYTICS

    async def start(self, user_id: str | None, ip: str | None) -> tuple[Assessment, str | None]:
        """A new assessment; an anonymous one comes with its resume token, shown this once."""
        await self._count_start(user_id, ip)
        now = self.clock()
        token = None if user_id else self.new_token()
        assessment = Assessment(
            id=self.new_id(),
            owner_id=user_id,
            bank_version=BANK_VERSION,
            answers=MappingProxyType({}),
            revision=0,
            status=Status.IN_PROGRESS,
            created_at=now,
            updated_at=now,
        )
        await self.assessments.insert(assessment, token_hash(token) if token else None)
        self._emit(EventName.ASSESSMENT_STARTED, assessment)
        return assessment, token

    def _emit(self, name: EventName, assessment: Assessment, **props: str | int) -> None:
        """Question ids and the bank version only: never an answer."""
        props_seen = MappingProxyType({"bank_version": assessment.bank_version, **props})
        self.analytics.emit(ServerEvent(name, assessment.owner_id, assessment.id, props_seen))

    async def _count_start(self, user_id: str | None, ip: str | None) -> None:
        limits = self.limits
        key, limit = (
            (f"assessment-start:user:{user_id}", limits.per_user)
            if user_id
            else (f"assessment-start:ip:{ip}", limits.per_ip)
        )
        retry_after = await self.limiter.acquire([(key, limit)], limits.window_s, secrets.token_hex(12))
        if retry_after is not None:
            raise RateLimited(
                f"too many assessments started; retry in {retry_after} seconds", retry_after_s=retry_after, limit=limit
            )

    async def get(self, holder: Holder, assessment_id: str) -> Assessment:
        if holder.anonymous:
            raise Unauthenticated("sign in, or pass the assessment's resume token")
        found = await self.assessments.find(holder, assessment_id)
        if found is None:
            raise AssessmentNotFound(assessment_id)
        return found

    async def answer(self, holder: Holder, assessment_id: str, question_id: str, raw: object) -> AnswerOutcome:
        for _ in range(MAX_ATTEMPTS):
            current = await self.get(holder, assessment_id)
            answers, dropped = branching.answer(current.answers, question_id, raw, self.clock().date())
            updated = replace(
                current,
                answers=MappingProxyType(answers),
                revision=current.revision + 1,
                updated_at=self.clock(),
            )
            if await self.assessments.replace_state(holder, updated, current.revision):
                await self.events.publish(updated.id, updated.revision)
                self._emit(EventName.QUESTION_ANSWERED, updated, question_id=question_id)
                return AnswerOutcome(updated, dropped)
        raise Unavailable("the assessment is being changed elsewhere; try again", dependency="mongodb")

    async def complete(self, holder: Holder, assessment_id: str) -> tuple[Assessment, ProfileSnapshot]:
        """Freeze the answers into a new profile snapshot; later answers change the assessment, not it."""
        for _ in range(MAX_ATTEMPTS):
            current = await self.get(holder, assessment_id)
            left = branching.unanswered(current.answers)
            if left:
                raise BadUserInput(
                    f"{len(left)} question(s) still need an answer, starting with {left[0].id!r}",
                    field="assessmentId",
                    nextQuestion=left[0].id,
                )
            now = self.clock()
            values = {qid: a.value for qid, a in branching.prune(current.answers).kept.items()}
            snapshot = ProfileSnapshot(
                id=self.new_id(),
                assessment_id=current.id,
                owner_id=current.owner_id,
                created_at=now,
                bank_version=current.bank_version,
                answers=MappingProxyType(values),
                profile=build_profile(values, now.date()),
                supplement=build_supplement(values),
            )
            # Snapshot first: a lost race leaves an unreferenced snapshot, never a reference to nothing.
            await self.snapshots.insert(snapshot)
            updated = replace(
                current,
                status=Status.COMPLETED,
                completed_at=now,
                latest_snapshot_id=snapshot.id,
                revision=current.revision + 1,
                updated_at=now,
            )
            if await self.assessments.replace_state(holder, updated, current.revision):
                await self.events.publish(updated.id, updated.revision)
                self._emit(EventName.ASSESSMENT_COMPLETED, updated)
                return updated, snapshot
        raise Unavailable("the assessment is being changed elsewhere; try again", dependency="mongodb")

    async def claim(self, user_id: str, assessment_id: str, resume_token: str) -> Assessment:
        """Attach an anonymous assessment (and its snapshots) to the signed-in user; the token stops working.

        Claiming again is harmless: the owner gets the same assessment back.
        """
        claimed = await self.assessments.claim(assessment_id, token_hash(resume_token), user_id, self.clock())
        if claimed is None:
            claimed = await self.assessments.find(Holder(user_id=user_id), assessment_id)
            if claimed is None:
                raise AssessmentNotFound(assessment_id)
        else:
            await self.events.publish(claimed.id, claimed.revision)
            self.analytics.emit(ServerEvent(EventName.ASSESSMENT_CLAIMED, user_id, claimed.id, links=(claimed.id,)))
        await self.snapshots.assign_owner(claimed.id, user_id)
        return claimed

    async def mine(self, user_id: str) -> list[Assessment]:
        return await self.assessments.for_owner(user_id, MAX_LISTED)

    async def latest_snapshot(self, assessment: Assessment) -> ProfileSnapshot | None:
        """The snapshot of an assessment the caller has already opened."""
        if assessment.latest_snapshot_id is None:
            return None
        return await self.snapshots.for_assessment(assessment.id, assessment.latest_snapshot_id)

    async def watch(
        self, holder: Holder, assessment_id: str
    ) -> AsyncGenerator[tuple[branching.AnswerState, Assessment], None]:
        """Progress now, then after every change from any process; ends if the caller loses access."""
        await self.get(holder, assessment_id)
        async with self.events.subscribe(assessment_id) as revisions:
            # Read after subscribing: a change between the two is seen either here or as an event.
            current = await self.get(holder, assessment_id)
            last = current.revision
            yield branching.state(current), current
            async for revision in revisions:
                if revision <= last:
                    continue
                found = await self.assessments.find(holder, assessment_id)
                if found is None:
                    return
                if found.revision > last:
                    last = found.revision
                    yield branching.state(found), found
