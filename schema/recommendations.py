"""Shapes of recommendations: ranked programs with their verdict, match score and points, and gap analyses.

All of it is computed from one person's profile, so every field is private to them. `owner_id` is None only for
the results of an anonymous assessment, built after its resume token opened it (see `CanSeeResults`).
"""

from datetime import date
from typing import Any

import strawberry
from strawberry.permission import BasePermission

from domain.points import FactorScore, PointsResult, RequirementCheck, RuleSet
from domain.points.labels import on_scale
from domain.programs.model import PointsSystem
from domain.programs.rules import RuleRef as DomainRuleRef
from domain.programs.rules import Verdict
from domain.recommendations import gaps, ranking
from domain.recommendations.service import PointsBreakdown as DomainBreakdown
from domain.recommendations.service import RankedPage
from schema.context import Info
from schema.pagination import PageInfo, encode_cursor
from schema.permissions import CanSeePerson, Private, allow, guarded
from schema.programs import Program

EligibilityVerdict = strawberry.enum(Verdict, name="EligibilityVerdict")
strawberry.enum(
    RuleSet,
    name="RuleSet",
    description="IN_FORCE: the rules in force on the day scored; ANNOUNCED: rules an official page (sourceUrl) "
    "announced before they took effect, not confirmed in force",
)


class CanSeeResults(BasePermission):
    """The person's (see CanSeePerson); an anonymous assessment's to whoever opened it with its resume token —
    the only way results without an owner are ever built."""

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return source.owner_id is None or CanSeePerson().has_permission(source, info, **kwargs)


def mine(**options: Any) -> Any:
    return guarded(CanSeeResults(), **options)


@strawberry.type(description="A requirement named in a verdict: what failed, or what could not be decided.")
class RuleRef:
    id: str
    description: str
    facts: list[str]

    @classmethod
    def from_domain(cls, ref: DomainRuleRef) -> "RuleRef":
        return cls(id=ref.rule_id, description=ref.description, facts=list(ref.facts))


@strawberry.type(description="One part of the match score.")
class MatchComponent:
    key: str
    label: str
    points: float
    maximum: float
    explanation: str

    @classmethod
    def from_domain(cls, c: ranking.MatchComponent) -> "MatchComponent":
        return cls(key=c.key, label=c.label, points=c.points, maximum=c.maximum, explanation=c.explanation)


@strawberry.type(description="One scored factor of an official points test.")
class PointsFactor:
    key: str
    label: str
    points: int
    maximum: int
    explanation: str

    @classmethod
    def from_domain(cls, f: FactorScore) -> "PointsFactor":
        return cls(key=f.key, label=f.label, points=f.points, maximum=f.maximum, explanation=f.explanation)


@strawberry.type(description="A condition that is not scored but must hold; `met` is null when unknown.")
class PointsRequirement:
    key: str
    label: str
    met: bool | None
    explanation: str

    @classmethod
    def from_domain(cls, r: RequirementCheck) -> "PointsRequirement":
        return cls(key=r.key, label=r.label, met=r.met, explanation=r.explanation)


@strawberry.type(description="Your points against the latest draw we know of (a past cut-off, not a promise).")
class CutoffComparison:
    score: int
    on: date
    source_url: str
    source_title: str
    note: str
    your_points: int
    margin: int = strawberry.field(description="Your points minus the cut-off; negative means short")

    @classmethod
    def from_domain(cls, c: ranking.CutoffComparison) -> "CutoffComparison":
        cutoff = c.cutoff
        return cls(
            score=cutoff.score,
            on=cutoff.on,
            source_url=cutoff.source.url,
            source_title=cutoff.source.title,
            note=cutoff.note,
            your_points=c.points,
            margin=c.margin,
        )


@strawberry.type(description="An official points calculation for your profile.", directives=[Private()])
class PointsBreakdown:
    owner_id: strawberry.Private[str | None]
    system: PointsSystem = mine(description="The scale the score is on; two scales are never comparable")
    scale: str = mine(description='The score with its scale, as shown: "CRS 458", "FSW grid 74/100"')
    version: date = mine(description="The date the rule set used took effect")
    rule_set: RuleSet = mine(description="Whether that rule set is the one in force or an announced one")
    total: int = mine()
    maximum: int = mine()
    pass_mark: int | None = mine()
    passed: bool | None = mine(description="Null: no pass mark, or unknown facts could change the outcome")
    factors: list[PointsFactor] = mine()
    requirements: list[PointsRequirement] = mine()
    missing: list[str] = mine(description="Facts not answered (they score 0 until they are)")
    source_url: str = mine()
    cutoff: CutoffComparison | None = mine()

    @classmethod
    def from_domain(
        cls, owner_id: str | None, r: PointsResult, cutoff: ranking.CutoffComparison | None
    ) -> "PointsBreakdown":
        return cls(
            owner_id=owner_id,
            system=PointsSystem(r.system),
            scale=on_scale(r.system, r.total, r.maximum),
            version=r.version,
            rule_set=r.rule_set,
            total=r.total,
            maximum=r.maximum,
            pass_mark=r.pass_mark,
            passed=r.passed,
            factors=[PointsFactor.from_domain(f) for f in r.factors],
            requirements=[PointsRequirement.from_domain(q) for q in r.requirements],
            missing=list(r.missing),
            source_url=r.source_url,
            cutoff=None if cutoff is None else CutoffComparison.from_domain(cutoff),
        )

    @classmethod
    def of(cls, owner_id: str | None, b: DomainBreakdown) -> "PointsBreakdown":
        return cls.from_domain(owner_id, b.result, b.cutoff)


@strawberry.type(description="One concrete change and its exact, recomputed effect.", directives=[Private()])
class GapSuggestion:
    owner_id: strawberry.Private[str | None]
    key: str = mine()
    category: str = mine()
    description: str = mine()
    effect: str = mine()
    verdict_before: Verdict = mine()
    verdict_after: Verdict = mine()
    points_before: int | None = mine()
    points_after: int | None = mine()
    points_delta: int | None = mine()
    points_system: PointsSystem | None = mine(
        description="The scale pointsBefore/After are on: CRS once Express Entry minimums are met, else the "
        "program's own test"
    )

    @classmethod
    def from_domain(cls, owner_id: str | None, s: gaps.GapSuggestion) -> "GapSuggestion":
        return cls(
            owner_id=owner_id,
            key=s.change.key,
            category=s.change.category,
            description=s.change.description,
            effect=s.effect,
            verdict_before=s.verdict_before,
            verdict_after=s.verdict_after,
            points_before=s.points_before,
            points_after=s.points_after,
            points_delta=s.points_delta,
            points_system=s.system,
        )


async def _program(info: Info, slug: str) -> Program:
    record = await info.context.loaders.program_by_slug.load(slug)
    if record is None:  # ranked from the same collection a moment ago: only a concurrent delete gets here
        raise LookupError(f"program {slug} vanished")
    return Program.from_record(record)


@strawberry.type(description="The smallest changes that would improve one program's outcome.", directives=[Private()])
class GapAnalysis:
    owner_id: strawberry.Private[str | None]
    program_slug: str = mine()
    verdict: Verdict = mine()
    failed_rules: list[RuleRef] = mine()
    missing_facts: list[str] = mine()
    points: PointsBreakdown | None = mine()
    suggestions: list[GapSuggestion] = mine(description="Best effect first")

    @strawberry.field(extensions=allow(CanSeeResults()))
    async def program(self, info: Info) -> Program:
        return await _program(info, self.program_slug)

    @classmethod
    def from_domain(cls, owner_id: str | None, report: gaps.GapReport) -> "GapAnalysis":
        a = report.assessment
        return cls(
            owner_id=owner_id,
            program_slug=a.program.slug,
            verdict=a.evaluation.verdict,
            failed_rules=[RuleRef.from_domain(r) for r in a.evaluation.failed],
            missing_facts=list(a.evaluation.missing_facts),
            points=None
            if a.points is None
            else PointsBreakdown.from_domain(owner_id, a.points, ranking.cutoff_comparison(a.program, a.points)),
            suggestions=[GapSuggestion.from_domain(owner_id, s) for s in report.suggestions],
        )


@strawberry.type(description="A program ranked for you.", directives=[Private()])
class RecommendationEdge:
    owner_id: strawberry.Private[str | None]
    domain: strawberry.Private[ranking.Recommendation]
    page: strawberry.Private[RankedPage]
    cursor: str = mine()
    rank: int = mine()
    program_slug: str = mine()
    verdict: Verdict = mine()
    match_score: int = mine(description="0–100: the sum of `components`")
    components: list[MatchComponent] = mine()
    missing_facts: list[str] = mine(description="Facts that would decide a possible eligibility")
    failed_rules: list[RuleRef] = mine(description="Requirements not met")
    undecided_rules: list[RuleRef] = mine(description="Requirements the missing facts decide")
    points: PointsBreakdown | None = mine(description="Official points, where the program has a points test")
    cutoff: CutoffComparison | None = mine()
    near_miss: bool = mine(description="Not eligible on one or two rules, or points just under the bar")

    @strawberry.field(extensions=allow(CanSeeResults()), description="The program, through the program loader")
    async def node(self, info: Info) -> Program:
        return await _program(info, self.program_slug)

    @strawberry.field(
        extensions=allow(CanSeeResults()),
        description="Gap analysis for the top programs and near misses; empty for the others",
    )
    def gaps(self) -> list[GapSuggestion]:
        report = self.page.gap_report(self.domain)
        return [] if report is None else [GapSuggestion.from_domain(self.owner_id, s) for s in report.suggestions]

    @classmethod
    def from_domain(
        cls, owner_id: str | None, cursor: str, r: ranking.Recommendation, page: RankedPage
    ) -> "RecommendationEdge":
        e = r.assessment.evaluation
        return cls(
            owner_id=owner_id,
            domain=r,
            page=page,
            cursor=cursor,
            rank=r.rank,
            program_slug=r.program.slug,
            verdict=r.verdict,
            match_score=r.match_score,
            components=[MatchComponent.from_domain(c) for c in r.components],
            missing_facts=list(e.missing_facts),
            failed_rules=[RuleRef.from_domain(x) for x in e.failed],
            undecided_rules=[RuleRef.from_domain(x) for x in e.undecided],
            points=None if r.points is None else PointsBreakdown.from_domain(owner_id, r.points, r.cutoff),
            cutoff=None if r.cutoff is None else CutoffComparison.from_domain(r.cutoff),
            near_miss=r.near_miss,
        )


@strawberry.type(description="Programs ranked for your latest completed assessment.", directives=[Private()])
class RecommendationConnection:
    owner_id: strawberry.Private[str | None]
    edges: list[RecommendationEdge] = mine()
    page_info: PageInfo = mine()
    total_count: int = mine()
    snapshot_id: strawberry.ID = mine(description="The profile snapshot these were computed from")
    scored_on: date = mine(description="The day points and ages were computed for")

    @classmethod
    def from_page(cls, owner_id: str | None, page: RankedPage) -> "RecommendationConnection":
        edges = [
            RecommendationEdge.from_domain(owner_id, encode_cursor(page.offset + i), r, page)
            for i, r in enumerate(page.items)
        ]
        return cls(
            owner_id=owner_id,
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.offset + len(edges) < page.total,
                has_previous_page=page.offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
            snapshot_id=strawberry.ID(page.snapshot.id),
            scored_on=page.on,
        )
