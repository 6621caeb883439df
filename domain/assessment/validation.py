"""Checks one answer against its question and returns it normalised; errors name the offending field.

Field paths: `value` for a plain answer, `value.listening` for a field of a record, `value[2].start` for
a field of the third entry of a list. Fields that do not apply to a record (an ECA for a Canadian degree)
are dropped rather than refused, so a client may send a whole form.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date

from domain.assessment.spec import (
    Answers,
    FieldKind,
    FieldSpec,
    JsonValue,
    Option,
    Question,
    QuestionKind,
)
from domain.errors import BadUserInput

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_OCCUPATION = re.compile(r"^[0-9]{4,6}$")


class InvalidAnswer(BadUserInput):
    """An answer the question cannot accept; `field` is the path inside the value."""

    def __init__(self, question_id: str, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field, questionId=question_id)
        self.question_id = question_id


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def validate_answer(question: Question, raw: object, answers: Answers, today: date) -> JsonValue:
    """The normalised value of `raw` as an answer to `question`, given the other answers (which shape
    composite fields); raises InvalidAnswer naming the field."""
    return _Checker(question, today).answer(raw, answers)


class _Checker:
    def __init__(self, question: Question, today: date) -> None:
        self.question = question
        self.today = today

    def fail(self, path: str, message: str) -> InvalidAnswer:
        return InvalidAnswer(self.question.id, path, message)

    def answer(self, raw: object, answers: Answers) -> JsonValue:
        q, path = self.question, "value"
        if raw is None:
            raise self.fail(path, "an answer is required")
        match q.kind:
            case QuestionKind.SINGLE_CHOICE:
                return self.choice(raw, q.options, path)
            case QuestionKind.MULTIPLE_CHOICE:
                return self.choices(raw, path)
            case QuestionKind.BOOLEAN:
                return self.boolean(raw, path)
            case QuestionKind.NUMBER:
                return self.number(raw, path, q.minimum, q.maximum, q.step, integer=q.integer)
            case QuestionKind.DATE:
                return self.date(raw, path, not_in_future=q.date_bounds.not_in_future)
            case QuestionKind.COUNTRY:
                return self.country(raw, path)
            case QuestionKind.COUNTRIES:
                codes = [self.country(item, f"{path}[{i}]") for i, item in enumerate(self.items(raw, path))]
                if len(set(codes)) != len(codes):
                    raise self.fail(path, "a country is listed twice")
                return list(sorted(codes))
        fields = q.fields_for(answers)
        if q.is_record:
            return self.record(raw, fields, path)
        return [self.record(item, fields, f"{path}[{i}]") for i, item in enumerate(self.items(raw, path))]

    def items(self, raw: object, path: str) -> list[object]:
        if not isinstance(raw, list):
            raise self.fail(path, "expected a list")
        q = self.question
        if not q.min_items <= len(raw) <= q.max_items:
            raise self.fail(path, f"expected {q.min_items} to {q.max_items} entries, got {len(raw)}")
        return raw

    def choice(self, raw: object, allowed: Sequence[Option], path: str) -> str:
        values = [option.value for option in allowed]
        if not isinstance(raw, str) or raw not in values:
            raise self.fail(path, f"{raw!r} is not one of {', '.join(values)}")
        return raw

    def choices(self, raw: object, path: str) -> JsonValue:
        q = self.question
        items = self.items(raw, path)
        picked: list[str] = [self.choice(item, q.options, f"{path}[{i}]") for i, item in enumerate(items)]
        if len(set(picked)) != len(picked):
            raise self.fail(path, "an option is listed twice")
        exclusive = [p for p in picked if p in q.exclusive_options]
        if exclusive and len(picked) > 1:
            raise self.fail(path, f"{exclusive[0]!r} cannot be combined with other options")
        order = {option.value: i for i, option in enumerate(q.options)}
        picked.sort(key=order.__getitem__)
        ordered: list[JsonValue] = [*picked]
        return ordered

    def boolean(self, raw: object, path: str) -> bool:
        if not isinstance(raw, bool):
            raise self.fail(path, "expected true or false")
        return raw

    def number(
        self,
        raw: object,
        path: str,
        minimum: float | None,
        maximum: float | None,
        step: float | None,
        *,
        integer: bool = False,
    ) -> int | float:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise self.fail(path, "expected a number")
        value: int | float = raw
        if integer:
            if value != int(value):
                raise self.fail(path, "expected a whole number")
            value = int(value)
        if minimum is not None and value < minimum:
            raise self.fail(path, f"{value:g} is below the minimum of {minimum:g}")
        if maximum is not None and value > maximum:
            raise self.fail(path, f"{value:g} is above the maximum of {maximum:g}")
        if step is not None and abs(value / step - round(value / step)) > 1e-9:
            raise self.fail(path, f"{value:g} is not a multiple of {step:g}")
        return value

    def date(self, raw: object, path: str, *, not_in_future: bool) -> str:
        if not isinstance(raw, str):
            raise self.fail(path, "expected a date as YYYY-MM-DD")
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise self.fail(path, f"{raw!r} is not a date as YYYY-MM-DD") from None
        if not_in_future and day > self.today:
            raise self.fail(path, "cannot be in the future")
        bounds = self.question.date_bounds
        if path != "value":  # a field of a record: only the future is refused
            return day.isoformat()
        if bounds.min_years_ago is not None and day > years_before(self.today, bounds.min_years_ago):
            raise self.fail(path, f"must be at least {bounds.min_years_ago} years ago")
        if bounds.max_years_ago is not None and day < years_before(self.today, bounds.max_years_ago):
            raise self.fail(path, f"must be within the last {bounds.max_years_ago} years")
        return day.isoformat()

    def country(self, raw: object, path: str) -> str:
        code = raw.strip().upper() if isinstance(raw, str) else None
        if code is None or not _COUNTRY.match(code):
            raise self.fail(path, f"{raw!r} is not an ISO 3166-1 alpha-2 country code")
        return code

    def currency(self, raw: object, path: str) -> str:
        code = raw.strip().upper() if isinstance(raw, str) else None
        if code is None or not _CURRENCY.match(code):
            raise self.fail(path, f"{raw!r} is not an ISO 4217 currency code")
        return code

    def record(self, raw: object, fields: Sequence[FieldSpec], path: str) -> dict[str, JsonValue]:
        if not isinstance(raw, dict):
            raise self.fail(path, "expected an object")
        known = {spec.name for spec in fields}
        for name in raw:
            if name not in known:
                expected = ", ".join(sorted(known))
                raise self.fail(f"{path}.{name}", f"is not a field of this answer (expected {expected})")
        checked: dict[str, JsonValue] = {}
        # Relevance reads the record's own plain fields (country, level) before anything else is checked.
        for spec in fields:
            if spec.relevant_when is not None:
                continue
            value = self.field(spec, raw.get(spec.name), f"{path}.{spec.name}")
            if value is not None:
                checked[spec.name] = value
        for spec in fields:
            if spec.relevant_when is None or not spec.relevant(checked):
                continue
            value = self.field(spec, raw.get(spec.name), f"{path}.{spec.name}")
            if value is not None:
                checked[spec.name] = value
        self.consistent(checked, path)
        return {spec.name: checked[spec.name] for spec in fields if spec.name in checked}

    def field(self, spec: FieldSpec, raw: object, path: str) -> JsonValue:
        if raw is None:
            if spec.required:
                raise self.fail(path, f"{spec.label} is required")
            return None
        match spec.kind:
            case FieldKind.CHOICE:
                return self.choice(raw, spec.options, path)
            case FieldKind.BOOLEAN:
                return self.boolean(raw, path)
            case FieldKind.NUMBER:
                return self.number(raw, path, spec.minimum, spec.maximum, spec.step)
            case FieldKind.INTEGER:
                return self.number(raw, path, spec.minimum, spec.maximum, spec.step, integer=True)
            case FieldKind.DATE:
                return self.date(raw, path, not_in_future=spec.not_in_future)
            case FieldKind.COUNTRY:
                return self.country(raw, path)
            case FieldKind.CURRENCY:
                return self.currency(raw, path)
            case FieldKind.OCCUPATION_CODE:
                if not isinstance(raw, str) or not _OCCUPATION.match(raw.strip()):
                    raise self.fail(path, f"{raw!r} is not an occupation code of 4 to 6 digits")
                return raw.strip()

    def consistent(self, record: dict[str, JsonValue], path: str) -> None:
        start, end = record.get("start"), record.get("end")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            raise self.fail(f"{path}.end", "cannot be before the start date")
