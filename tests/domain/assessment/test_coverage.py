"""Every `Profile` fact a calculator or eligibility rule reads can be given through the questionnaire.

The bank is walked as a client would answer it, once per variant (each variant picks another option of
every choice, and a record per country so country-specific fields apply), every answer going through
`validate_answer`; the profiles built from those answers show which facts some answer path sets. The facts
read are the attribute names used by the calculators (`domain/points`), the facts the eligibility rules read
(`domain/recommendations/fact_values.py`), the language conversions and the profile's own helpers.
"""

from __future__ import annotations

import ast
import dataclasses
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any

from domain.assessment.profile_builder import build_profile
from domain.assessment.questions import QUESTIONS, WORDING_SOURCES
from domain.assessment.spec import Answers, FieldKind, FieldSpec, JsonValue, Question, QuestionKind
from domain.assessment.validation import validate_answer, years_before
from domain.profile import Profile

TODAY = date(2026, 11, 25)
ROOT = Path(__file__).resolve().parents[3]
READERS = (
    *sorted((ROOT / "domain" / "points").glob("*.py")),
    *sorted((ROOT / "domain" / "language").glob("*.py")),
    ROOT / "domain" / "recommendations" / "fact_values.py",
    ROOT / "domain" / "profile.py",
)
COUNTRIES = ("CA", "AU", "NZ", "GB", "DE", "IN")

EXCEPTIONS: dict[str, str] = {
    "age": "the quiz asks the birth date, which wins over a bare age; `age` serves callers without one",
    "partner.age": "the quiz asks the partner's birth date instead",
    "partner.citizenships": "only the partner's citizen/PR status is scored (asked as partner_citizen_or_pr_of)",
    "job_offers[].on_temporary_shortage_list": "the UK Temporary Shortage List ends on 2026-12-31 "
    "(https://www.gov.uk/skilled-worker-visa); not asked for a list about to lapse",
    "job_offers[].national_pay_scale_rate": "UK option F's floor is not confirmed on "
    "https://www.gov.uk/skilled-worker-visa; not asked until verified",
    "partner.education[].au_recognition": "the Australian test scores the partner's skills assessment (asked), "
    "never the partner's qualification; the attribute is read for the applicant's credentials",
    "partner.education[].nzqf_type_match": "NZ SMC scores the principal applicant's qualification only",
    "partner.education[].nzqf_type": "NZ SMC scores the principal applicant's qualification only",
    "germany.living_costs_secured_otherwise": "funds are asked as an amount; other ways to secure living costs "
    "are documents checked at the mission",
    "new_zealand.income_multiple": "derived from the NZ job offer's pay and hours, which are asked",
}
"""Facts read but deliberately not asked, and why."""


# --- what the rules read ---------------------------------------------------------------------------------


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _nested(hint: Any) -> tuple[type | None, bool]:
    """The dataclass inside a field's type, and whether the field is a tuple of them."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _nested(inner[0]) if len(inner) == 1 else (None, False)
    if origin is tuple and args and isinstance(args[0], type) and dataclasses.is_dataclass(args[0]):
        return args[0], True
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return hint, False
    return None, False


def profile_paths(cls: type = Profile, prefix: str = "") -> dict[str, str]:
    """Leaf fact path ("education[].eca") → its attribute name."""
    paths: dict[str, str] = {}
    for name, hint in _hints(cls).items():
        inner, many = _nested(hint)
        path = f"{prefix}{name}"
        if inner is None:
            paths[path] = name
        else:
            paths |= profile_paths(inner, f"{path}[]." if many else f"{path}.")
    return paths


def attributes_read() -> set[str]:
    names: set[str] = set()
    for path in READERS:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                names.add(node.attr)
    return names


def read_paths() -> set[str]:
    read = attributes_read()
    return {path for path, name in profile_paths().items() if name in read and path != "as_of"}


# --- what the answers set --------------------------------------------------------------------------------


def _date_answer(question: Question) -> str:
    bounds = question.date_bounds
    return years_before(TODAY, (bounds.min_years_ago or 0) + 1).isoformat()


def _field_value(spec: FieldSpec, variant: int, country: str) -> JsonValue:
    match spec.kind:
        case FieldKind.CHOICE:
            return spec.options[variant % len(spec.options)].value
        case FieldKind.BOOLEAN:
            return True
        case FieldKind.NUMBER | FieldKind.INTEGER:
            low = spec.minimum if spec.minimum is not None else 0
            value = max(low, 1) if spec.maximum is None or spec.maximum >= 1 else low
            return int(value) if spec.kind is FieldKind.INTEGER else value
        case FieldKind.DATE:
            return years_before(TODAY, 1 if spec.name == "end" else 5).isoformat()
        case FieldKind.COUNTRY:
            return country
        case FieldKind.CURRENCY:
            return "CAD"
        case FieldKind.OCCUPATION_CODE:
            return "00012"


def _record(fields: tuple[FieldSpec, ...], variant: int, country: str) -> dict[str, JsonValue]:
    return {spec.name: _field_value(spec, variant, country) for spec in fields}


def _raw(question: Question, answers: Answers, variant: int) -> JsonValue:
    kind = question.kind
    if kind is QuestionKind.SINGLE_CHOICE:
        return question.options[variant % len(question.options)].value
    if kind is QuestionKind.MULTIPLE_CHOICE:
        picked: list[JsonValue] = [option.value for option in question.options[: question.max_items]]
        return [question.exclusive_options[0]] if question.exclusive_options else picked
    if kind is QuestionKind.BOOLEAN:
        return True
    if kind is QuestionKind.NUMBER:
        return question.minimum if question.minimum is not None else 1
    if kind is QuestionKind.DATE:
        return _date_answer(question)
    if kind in (QuestionKind.COUNTRY,):
        return COUNTRIES[variant % len(COUNTRIES)]
    if kind is QuestionKind.COUNTRIES:
        return [COUNTRIES[variant % len(COUNTRIES)]]
    fields = question.fields_for(answers)
    if question.is_record:
        return _record(fields, variant, COUNTRIES[variant % len(COUNTRIES)])
    count = min(len(COUNTRIES), question.max_items)
    return [_record(fields, variant + i, COUNTRIES[(variant + i) % len(COUNTRIES)]) for i in range(count)]


VARIANTS = range(max(len(q.options) for q in QUESTIONS) + len(COUNTRIES))


def walk(variant: int) -> dict[str, JsonValue]:
    """One answer path through the bank; every answer is validated as the API validates it."""
    values: dict[str, JsonValue] = {}
    for question in QUESTIONS:
        if question.applies_to(values):
            values[question.id] = validate_answer(question, _raw(question, values, variant), values, TODAY)
    return values


def set_paths(value: object, prefix: str = "") -> set[str]:
    found: set[str] = set()
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return found
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        path = f"{prefix}{field.name}"
        if isinstance(item, tuple) and item and dataclasses.is_dataclass(item[0]):
            for entry in item:
                found |= set_paths(entry, f"{path}[].")
        elif dataclasses.is_dataclass(item):
            found |= set_paths(item, f"{path}.")
        elif item is not None:
            found.add(path)
    return found


def answerable_paths() -> set[str]:
    found: set[str] = set()
    for variant in VARIANTS:
        found |= set_paths(build_profile(walk(variant), TODAY))
    return found


def test_every_fact_a_calculator_or_rule_reads_can_be_answered() -> None:
    unanswerable = read_paths() - answerable_paths()
    assert sorted(unanswerable - EXCEPTIONS.keys()) == []


def test_every_listed_exception_is_read_and_really_not_asked() -> None:
    read, answerable = read_paths(), answerable_paths()
    assert sorted(path for path in EXCEPTIONS if path not in read or path in answerable) == []


def test_each_question_added_for_the_exact_points_names_its_official_page() -> None:
    fields = {f"{q.id}.{spec.name}" for q in QUESTIONS for spec in q.fields_for({"destinations": ["anywhere"]})}
    for key, (url, as_of) in WORDING_SOURCES.items():
        assert key in fields or key in {q.id for q in QUESTIONS}, key
        assert url.startswith("https://") and as_of <= TODAY
