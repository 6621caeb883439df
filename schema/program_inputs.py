"""Admin inputs for writing programs; each turns into the catalog's plain-data format."""

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON

from domain.programs import model
from schema import programs as _enum_names  # noqa: F401  registers ProgramCategory/ProgramStatus before use


@strawberry.input
class SourceInput:
    url: str
    title: str


@strawberry.input
class FeeInput:
    label: str
    amount: Decimal
    currency: str
    per: model.FeePer = model.FeePer.APPLICANT


@strawberry.input
class ProcessingTimeInput:
    min_days: int
    max_days: int
    note: str = ""


@strawberry.input
class DocumentInput:
    key: str
    title: str
    description: str
    who: model.DocumentWho = model.DocumentWho.APPLICANT
    condition: JSON | None = strawberry.field(default=None, description="A rule in the eligibility format")


@strawberry.input
class StepInput:
    key: str
    title: str
    description: str
    min_days: int
    typical_days: int
    max_days: int
    depends_on: list[str] = strawberry.field(default_factory=list)


def _sources(items: list[SourceInput]) -> list[dict[str, Any]]:
    return [{"url": s.url, "title": s.title} for s in items]


def _fees(items: list[FeeInput]) -> list[dict[str, Any]]:
    return [{"label": f.label, "amount": str(f.amount), "currency": f.currency, "per": f.per.value} for f in items]


def _documents(items: list[DocumentInput]) -> list[dict[str, Any]]:
    return [
        {"key": d.key, "title": d.title, "description": d.description, "who": d.who.value, "condition": d.condition}
        for d in items
    ]


def _steps(items: list[StepInput]) -> list[dict[str, Any]]:
    return [
        {
            "key": s.key,
            "title": s.title,
            "description": s.description,
            "min_days": s.min_days,
            "typical_days": s.typical_days,
            "max_days": s.max_days,
            "depends_on": s.depends_on,
        }
        for s in items
    ]


def _processing(p: ProcessingTimeInput | None) -> dict[str, Any] | None:
    return None if p is None else {"min_days": p.min_days, "max_days": p.max_days, "note": p.note}


@strawberry.input(
    description="A new program. `eligibility` is a rule tree: {leaf: {id, fact, op, value, "
    "description}} | {all_of: [...]} | {any_of: [...]} | {not: {rule, id, description}}."
)
class CreateProgramInput:
    slug: str
    country: str
    name: str
    category: model.Category
    summary: str
    eligibility: JSON
    sources: list[SourceInput]
    as_of: date
    status: model.Status = model.Status.ACTIVE
    points_system: model.PointsSystem | None = None
    pass_mark: int | None = None
    processing_time: ProcessingTimeInput | None = None
    fees: list[FeeInput] = strawberry.field(default_factory=list)
    documents: list[DocumentInput] = strawberry.field(default_factory=list)
    steps: list[StepInput] = strawberry.field(default_factory=list)
    verification_note: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "country": self.country.upper(),
            "name": self.name,
            "category": self.category.value,
            "summary": self.summary,
            "eligibility": self.eligibility,
            "sources": _sources(self.sources),
            "as_of": self.as_of.isoformat(),
            "status": self.status.value,
            "points_system": self.points_system.value if self.points_system else None,
            "pass_mark": self.pass_mark,
            "processing": _processing(self.processing_time),
            "fees": _fees(self.fees),
            "documents": _documents(self.documents),
            "steps": _steps(self.steps),
            "verification_note": self.verification_note,
        }


@strawberry.input(description="Fields to change; omitted fields keep their value.")
class UpdateProgramInput:
    name: str | None = None
    summary: str | None = None
    category: model.Category | None = None
    eligibility: JSON | None = None
    sources: list[SourceInput] | None = None
    as_of: date | None = None
    pass_mark: int | None = None
    processing_time: ProcessingTimeInput | None = None
    fees: list[FeeInput] | None = None
    documents: list[DocumentInput] | None = None
    steps: list[StepInput] | None = None
    verification_note: str | None = None

    def to_changes(self) -> dict[str, Any]:
        changes: dict[str, Any] = {
            "name": self.name,
            "summary": self.summary,
            "category": self.category.value if self.category else None,
            "eligibility": self.eligibility,
            "sources": None if self.sources is None else _sources(self.sources),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "pass_mark": self.pass_mark,
            "processing": _processing(self.processing_time),
            "fees": None if self.fees is None else _fees(self.fees),
            "documents": None if self.documents is None else _documents(self.documents),
            "steps": None if self.steps is None else _steps(self.steps),
            "verification_note": self.verification_note,
        }
        return {key: value for key, value in changes.items() if value is not None}
