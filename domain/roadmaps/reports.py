"""The PDF report's content as plain data, assembled by pure functions; drawing it is an adapter's job."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.points import PointsResult
from domain.points.labels import on_scale
from domain.profile import EducationLevel, Profile
from domain.recommendations.gaps import GapReport
from domain.recommendations.ranking import Recommendation
from domain.roadmaps.model import Roadmap, Span, TaskStatus
from domain.roadmaps.progress import item_done, progress_percent


class ReportStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    owner_id: str
    roadmap_id: str
    job_id: str
    status: ReportStatus
    created_at: datetime
    object_key: str | None = None
    size: int | None = None
    completed_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RecommendationRow:
    rank: int
    program: str
    country: str
    verdict: str
    match_score: int
    points: str  # on its scale, "CRS 468" or "FSW grid 74/100"; "—" without a points test


@dataclass(frozen=True, slots=True)
class FactorRow:
    label: str
    points: int
    maximum: int
    explanation: str


@dataclass(frozen=True, slots=True)
class PointsTable:
    system: str
    scale: str  # "CRS 468", "FSW grid 74/100"
    total: int
    maximum: int
    pass_mark: int | None
    factors: tuple[FactorRow, ...]


@dataclass(frozen=True, slots=True)
class GapRow:
    description: str
    effect: str


@dataclass(frozen=True, slots=True)
class TimelineBar:
    title: str
    earliest: Span
    target: Span
    latest: Span
    status: TaskStatus


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    title: str
    who: str
    done: bool
    uncertain: bool


@dataclass(frozen=True, slots=True)
class ReportData:
    person_name: str
    program_name: str
    program_country: str
    generated_on: date
    start_date: date
    target_end: date
    progress_percent: int
    profile: tuple[tuple[str, str], ...]
    recommendations: tuple[RecommendationRow, ...]
    points: PointsTable | None
    gap_verdict: str
    gaps: tuple[GapRow, ...]
    timeline: tuple[TimelineBar, ...]
    checklist: tuple[ChecklistRow, ...]


def _label(value: str) -> str:
    return value.replace("_", " ")


def profile_summary(profile: Profile, on: date) -> tuple[tuple[str, str], ...]:
    """What the report shows of the profile: the facts a reader checks first."""
    lines: list[tuple[str, str]] = []
    age = profile.age_on(on)
    lines.append(("Age", "not given" if age is None else str(age)))
    lines.append(("Passports", ", ".join(sorted(profile.citizenships)) if profile.citizenships else "not given"))
    status = profile.marital_status
    lines.append(("Marital status", "not given" if status is None else _label(status.value)))
    if status is not None and status.has_partner and profile.partner is not None:
        coming = profile.partner_comes_along
        lines.append(("Partner coming", "not given" if coming is None else ("yes" if coming else "no")))
    children = profile.dependent_children
    lines.append(("Dependent children", "not given" if children is None else str(children)))
    if profile.education is not None:
        highest = max((c.level for c in profile.education), default=EducationLevel.NONE)
        lines.append(("Highest education", _label(highest.name.lower())))
    for test in profile.language_tests or ():
        scores = [test.listening, test.reading, test.writing, test.speaking]
        shown = " / ".join("?" if s is None else f"{s:g}" for s in scores)
        lines.append((f"Language test ({_label(test.test.value)})", f"L/R/W/S {shown}"))
    if profile.work_history is not None:
        countries = sorted({e.country for e in profile.work_history})
        lines.append(("Jobs listed", f"{len(profile.work_history)} ({', '.join(countries) or 'none'})"))
    if profile.funds is not None:
        lines.append(("Settlement funds", f"{profile.funds.currency} {profile.funds.amount:,.0f}"))
    return tuple(lines)


def recommendation_rows(ranked: Sequence[Recommendation]) -> tuple[RecommendationRow, ...]:
    return tuple(
        RecommendationRow(
            rank=r.rank,
            program=r.program.name,
            country=r.program.country,
            verdict=_label(r.verdict.value),
            match_score=r.match_score,
            points="—" if r.points is None else on_scale(r.points.system, r.points.total, r.points.maximum),
        )
        for r in ranked
    )


def points_table(result: PointsResult) -> PointsTable:
    return PointsTable(
        system=result.system,
        scale=on_scale(result.system, result.total, result.maximum),
        total=result.total,
        maximum=result.maximum,
        pass_mark=result.pass_mark,
        factors=tuple(FactorRow(f.label, f.points, f.maximum, f.explanation) for f in result.factors),
    )


def gap_rows(report: GapReport) -> tuple[GapRow, ...]:
    return tuple(GapRow(s.change.description, s.effect) for s in report.suggestions)


def report_data(
    *,
    person_name: str,
    roadmap: Roadmap,
    profile: Profile,
    ranked: Sequence[Recommendation],
    points: PointsResult | None,
    gaps: GapReport | None,
    verified_categories: Collection[str],
    on: date,
) -> ReportData:
    """Everything the PDF shows, from the roadmap and the recommendation area's results."""
    return ReportData(
        person_name=person_name,
        program_name=roadmap.program_name,
        program_country=roadmap.country,
        generated_on=on,
        start_date=roadmap.start_date,
        target_end=roadmap.target_end,
        progress_percent=progress_percent(roadmap.tasks),
        profile=profile_summary(profile, on),
        recommendations=recommendation_rows(ranked),
        points=None if points is None else points_table(points),
        gap_verdict="unknown" if gaps is None else _label(gaps.assessment.evaluation.verdict.value),
        gaps=() if gaps is None else gap_rows(gaps),
        timeline=tuple(
            TimelineBar(t.step.title, t.step.earliest, t.step.target, t.step.latest, t.status) for t in roadmap.tasks
        ),
        checklist=tuple(
            ChecklistRow(item.title, _label(item.who.value), item_done(item, verified_categories), item.uncertain)
            for item in roadmap.checklist
        ),
    )
