"""Shapes of the assessment quiz: questions (with the fields a composite answer takes), assessments,
answers, progress and profile snapshots. Everything that holds answers is private to its holder."""

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.scalars import JSON

from domain.assessment import branching, model, spec
from domain.assessment.questions import BANK_DATE, BANK_VERSION, QUESTIONS
from domain.assessment.snapshot import ProfileSnapshot as DomainSnapshot
from domain.assessment.snapshot import to_data
from domain.errors import Forbidden
from domain.recommendations.service import MAX_PAGE
from schema.context import Info
from schema.pagination import decode_cursor, page_size
from schema.permissions import Private, allow, guarded
from schema.recommendations import GapAnalysis, PointsBreakdown, RecommendationConnection

SCORED_ON = "Score under the rules in force on this day (default today); ages and test validity move with it"

QuestionKind = strawberry.enum(spec.QuestionKind, description="How a question is answered (the value's shape).")
QuestionSection = strawberry.enum(spec.Section, name="QuestionSection")
FieldKind = strawberry.enum(spec.FieldKind, name="AnswerFieldKind")
AssessmentStatus = strawberry.enum(model.Status, name="AssessmentStatus")


class HoldsAssessment(BasePermission):
    """The assessment's owner; while it is anonymous, whoever opened it with its resume token."""

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        owner: str | None = source.owner_id
        if owner is None:
            if source.opened_by_token:
                return True
            raise Forbidden("open this assessment with its resume token")
        if info.context.viewer.user_id != owner:
            raise Forbidden("not your assessment")
        return True


def held(**options: Any) -> Any:
    return guarded(HoldsAssessment(), **options)


@strawberry.type(description="One choice of a choice question or field.")
class QuestionOption:
    value: str
    label: str


def _options(options: tuple[spec.Option, ...]) -> list[QuestionOption]:
    return [QuestionOption(value=o.value, label=o.label) for o in options]


@strawberry.type(description="One field of a composite answer (a record, or each entry of a list).")
class AnswerField:
    name: str
    kind: spec.FieldKind
    label: str
    required: bool = strawberry.field(description="False: may be left out (then unknown)")
    options: list[QuestionOption]
    minimum: float | None
    maximum: float | None
    step: float | None
    relevant_when: str | None = strawberry.field(description="Asked only when this holds; otherwise ignored")

    @classmethod
    def from_domain(cls, f: spec.FieldSpec) -> "AnswerField":
        return cls(
            name=f.name,
            kind=f.kind,
            label=f.label,
            required=f.required,
            options=_options(f.options),
            minimum=f.minimum,
            maximum=f.maximum,
            step=f.step,
            relevant_when=None if f.relevant_when is None else f.relevant_when.description,
        )


@strawberry.type(description="A quiz question; `fields` follow the earlier answers (e.g. the test chosen).")
class Question:
    id: str
    section: spec.Section
    kind: spec.QuestionKind
    prompt: str
    help: str
    options: list[QuestionOption]
    exclusive_options: list[str] = strawberry.field(description="Options that cannot be combined with others")
    minimum: float | None
    maximum: float | None
    step: float | None
    integer: bool
    min_items: int
    max_items: int
    fields: list[AnswerField]
    multiple: bool = strawberry.field(description="The value is a list of records, each with `fields`")
    asked_when: str = strawberry.field(description="The condition under which the question applies")

    @classmethod
    def from_domain(cls, q: spec.Question, values: spec.Answers) -> "Question":
        return cls(
            id=q.id,
            section=q.section,
            kind=q.kind,
            prompt=q.prompt,
            help=q.help,
            options=_options(q.options),
            exclusive_options=list(q.exclusive_options),
            minimum=q.minimum,
            maximum=q.maximum,
            step=q.step,
            integer=q.integer,
            min_items=q.min_items,
            max_items=q.max_items,
            fields=[AnswerField.from_domain(f) for f in q.fields_for(values)],
            multiple=q.is_record_list,
            asked_when=q.applies.description,
        )


@strawberry.type(description="The versioned question bank, in the order the quiz asks.")
class QuestionBank:
    version: int
    as_of: date
    questions: list[Question]

    @classmethod
    def current(cls) -> "QuestionBank":
        return cls(version=BANK_VERSION, as_of=BANK_DATE, questions=[Question.from_domain(q, {}) for q in QUESTIONS])


@strawberry.type(description="A saved answer.", directives=[Private()])
class Answer:
    owner_id: strawberry.Private[str | None]
    opened_by_token: strawberry.Private[bool]
    question_id: str = held()
    value: JSON = held()


@strawberry.type(description="Where a quiz stands; sent again after every change.", directives=[Private()])
class AssessmentProgress:
    owner_id: strawberry.Private[str | None]
    opened_by_token: strawberry.Private[bool]
    assessment_id: strawberry.ID = held()
    revision: int = held(description="Grows with every saved change")
    status: model.Status = held()
    answered_count: int = held()
    total_count: int = held(description="Questions that apply given the answers so far")
    percent_done: int = held()
    next_question: Question | None = held(description="Null when every applicable question is answered")

    @classmethod
    def from_domain(cls, state: branching.AnswerState, owner_id: str | None, by_token: bool) -> "AssessmentProgress":
        progress, values = state.progress, state.values
        question = progress.next_question
        return cls(
            owner_id=owner_id,
            opened_by_token=by_token,
            assessment_id=strawberry.ID(progress.assessment_id),
            revision=progress.revision,
            status=progress.status,
            answered_count=progress.answered,
            total_count=progress.total,
            percent_done=progress.percent,
            next_question=None if question is None else Question.from_domain(question, values),
        )


@strawberry.type(description="The frozen result of completing an assessment.", directives=[Private()])
class ProfileSnapshot:
    owner_id: strawberry.Private[str | None]
    opened_by_token: strawberry.Private[bool]
    domain: strawberry.Private[DomainSnapshot]
    id: strawberry.ID = held()
    created_at: datetime = held()
    bank_version: int = held()
    profile: JSON = held(description="The normalised profile the calculators read")
    destinations: list[str] = held(description="Countries chosen; empty means anywhere")
    answers: JSON = held(description="The answers it was built from")

    @strawberry.field(
        extensions=allow(HoldsAssessment()),
        description="Programs ranked for this snapshot: an anonymous assessment's results without "
        "signing up, or an older assessment's of yours",
    )
    async def recommendations(
        self,
        info: Info,
        first: Annotated[int, page_size(MAX_PAGE)] = 10,
        after: str | None = None,
        on: Annotated[date | None, strawberry.argument(description=SCORED_ON)] = None,
    ) -> RecommendationConnection:
        page = await info.context.loaders.ranking_by_snapshot.load((self.domain, decode_cursor(after), first, on))
        return RecommendationConnection.from_page(self.owner_id, page)

    @strawberry.field(extensions=allow(HoldsAssessment()), description="Official points for one program")
    async def points_breakdown(
        self,
        info: Info,
        program_slug: str,
        on: Annotated[date | None, strawberry.argument(description=SCORED_ON)] = None,
    ) -> PointsBreakdown:
        breakdown = await info.context.loaders.points_by_snapshot.load((self.domain, program_slug, on))
        return PointsBreakdown.of(self.owner_id, breakdown)

    @strawberry.field(
        extensions=allow(HoldsAssessment()),
        description="The smallest changes that would improve the outcome for one program",
    )
    async def gap_analysis(
        self,
        info: Info,
        program_slug: str,
        on: Annotated[date | None, strawberry.argument(description=SCORED_ON)] = None,
    ) -> GapAnalysis:
        report = await info.context.loaders.gaps_by_snapshot.load((self.domain, program_slug, on))
        return GapAnalysis.from_domain(self.owner_id, report)

    @classmethod
    def from_domain(cls, s: DomainSnapshot, by_token: bool) -> "ProfileSnapshot":
        return cls(
            owner_id=s.owner_id,
            opened_by_token=by_token,
            domain=s,
            id=strawberry.ID(s.id),
            created_at=s.created_at,
            bank_version=s.bank_version,
            profile=to_data(s.profile),
            destinations=list(s.supplement.destinations),
            answers=JSON(dict(s.answers)),
        )


@strawberry.type(description="A quiz in progress (or completed): resume it from any device.", directives=[Private()])
class Assessment:
    owner_id: strawberry.Private[str | None]
    opened_by_token: strawberry.Private[bool]
    domain: strawberry.Private[model.Assessment]
    id: strawberry.ID = held()
    status: model.Status = held()
    bank_version: int = held()
    revision: int = held()
    anonymous: bool = held(description="True until a signed-in user claims it")
    created_at: datetime = held()
    updated_at: datetime = held()
    completed_at: datetime | None = held()
    answers: list[Answer] = held(description="Answers that still apply, in question order")
    progress: AssessmentProgress = held()

    @strawberry.field(extensions=allow(HoldsAssessment()), description="The latest completion's snapshot")
    async def latest_snapshot(self, info: Info) -> ProfileSnapshot | None:
        found = await info.context.loaders.latest_snapshot_by_assessment.load(self.domain)
        return None if found is None else ProfileSnapshot.from_domain(found, self.opened_by_token)

    @classmethod
    def from_domain(cls, a: model.Assessment, by_token: bool) -> "Assessment":
        state = branching.state(a)
        return cls(
            owner_id=a.owner_id,
            opened_by_token=by_token,
            domain=a,
            id=strawberry.ID(a.id),
            status=a.status,
            bank_version=a.bank_version,
            revision=a.revision,
            anonymous=a.owner_id is None,
            created_at=a.created_at,
            updated_at=a.updated_at,
            completed_at=a.completed_at,
            answers=[
                Answer(owner_id=a.owner_id, opened_by_token=by_token, question_id=qid, value=JSON(answer.value))
                for qid, answer in state.kept.items()
            ],
            progress=AssessmentProgress.from_domain(state, a.owner_id, by_token),
        )


@strawberry.type(description="A new assessment. `resumeToken` is shown only now, and only for anonymous ones.")
class StartAssessmentPayload:
    assessment: Assessment
    resume_token: str | None = strawberry.field(
        description="Keep it to resume on another device or to claim the assessment after signing in"
    )


@strawberry.type
class AnswerQuestionPayload:
    assessment: Assessment
    dropped_answers: list[str] = strawberry.field(description="Question ids whose answers this one made irrelevant")


@strawberry.type
class CompleteAssessmentPayload:
    assessment: Assessment
    snapshot: ProfileSnapshot
