"""Root fields of the assessment quiz: read, start, answer, complete, claim, and watch progress."""

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from domain.assessment.model import Holder
from domain.assessment.service import holder_for
from schema.assessment import (
    AnswerQuestionPayload,
    Assessment,
    AssessmentProgress,
    CompleteAssessmentPayload,
    ProfileSnapshot,
    QuestionBank,
    StartAssessmentPayload,
)
from schema.context import Context
from schema.permissions import IsAuthenticated, allow

Info = strawberry.Info[Context, None]
ResumeToken = Annotated[
    str | None,
    strawberry.argument(description="The resume token of an anonymous assessment (not needed by its signed-in owner)"),
]


def _holder(info: Info, resume_token: str | None) -> Holder:
    return holder_for(info.context.viewer.user_id, resume_token)


def _by_token(holder: Holder, owner_id: str | None) -> bool:
    """The repository matched an anonymous assessment on this token (it never matches an owned one)."""
    return owner_id is None and holder.token_hash is not None


@strawberry.type
class AssessmentQuery:
    @strawberry.field(description="The question bank, in the order the quiz asks.")
    def question_bank(self) -> QuestionBank:
        return QuestionBank.current()

    @strawberry.field(description="An assessment you own, or an anonymous one whose resume token you hold.")
    async def assessment(self, info: Info, id: strawberry.ID, resume_token: ResumeToken = None) -> Assessment:
        holder = _holder(info, resume_token)
        found = await info.context.services.assessments.get(holder, str(id))
        return Assessment.from_domain(found, _by_token(holder, found.owner_id))

    @strawberry.field(extensions=allow(IsAuthenticated()), description="Your assessments, latest first.")
    async def my_assessments(self, info: Info) -> list[Assessment]:
        found = await info.context.services.assessments.mine(info.context.viewer.user_id or "")
        return [Assessment.from_domain(a, False) for a in found]


@strawberry.type
class AssessmentMutation:
    @strawberry.mutation(description="Start the quiz; signed in or not (then keep the resume token).")
    async def start_assessment(self, info: Info) -> StartAssessmentPayload:
        context = info.context
        assessment, token = await context.services.assessments.start(context.viewer.user_id, context.meta.ip)
        return StartAssessmentPayload(
            assessment=Assessment.from_domain(assessment, token is not None), resume_token=token
        )

    @strawberry.mutation(description="Save one answer at once; answers it makes irrelevant are dropped.")
    async def answer_question(
        self,
        info: Info,
        assessment_id: strawberry.ID,
        question_id: str,
        value: JSON | None = None,
        resume_token: ResumeToken = None,
    ) -> AnswerQuestionPayload:
        holder = _holder(info, resume_token)
        outcome = await info.context.services.assessments.answer(holder, str(assessment_id), question_id, value)
        assessment = Assessment.from_domain(outcome.assessment, _by_token(holder, outcome.assessment.owner_id))
        return AnswerQuestionPayload(assessment=assessment, dropped_answers=list(outcome.dropped))

    @strawberry.mutation(description="Freeze the answers into a profile snapshot that later answers never change.")
    async def complete_assessment(
        self,
        info: Info,
        assessment_id: strawberry.ID,
        resume_token: ResumeToken = None,
    ) -> CompleteAssessmentPayload:
        holder = _holder(info, resume_token)
        assessment, snapshot = await info.context.services.assessments.complete(holder, str(assessment_id))
        by_token = _by_token(holder, assessment.owner_id)
        return CompleteAssessmentPayload(
            assessment=Assessment.from_domain(assessment, by_token),
            snapshot=ProfileSnapshot.from_domain(snapshot, by_token),
        )

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Attach an anonymous assessment to your account; its resume token stops working.",
    )
    async def claim_assessment(self, info: Info, id: strawberry.ID, resume_token: str) -> Assessment:
        user_id = info.context.viewer.user_id or ""
        claimed = await info.context.services.assessments.claim(user_id, str(id), resume_token)
        return Assessment.from_domain(claimed, False)


@strawberry.type
class AssessmentSubscription:
    @strawberry.subscription(
        description="Progress now, then after saved changes from any server. Events may "
        "coalesce: a subscriber that falls behind or reconnects skips intermediate revisions "
        "and gets the latest; the latest state always arrives."
    )
    async def assessment_progress(
        self,
        info: Info,
        assessment_id: strawberry.ID,
        resume_token: ResumeToken = None,
    ) -> AsyncGenerator[AssessmentProgress, None]:
        holder = _holder(info, resume_token)
        async for state, assessment in info.context.services.assessments.watch(holder, str(assessment_id)):
            # The websocket's context lives as long as the connection: each event gets fresh loaders.
            info.context.fresh_loaders()
            yield AssessmentProgress.from_domain(state, assessment.owner_id, _by_token(holder, assessment.owner_id))
