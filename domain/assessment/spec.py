"""The shapes of the question bank: questions, the fields of composite answers, and when each applies."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
Answers = Mapping[str, JsonValue]
"""Current answer values by question id (already validated and normalised)."""
Record = Mapping[str, JsonValue]


class Section(StrEnum):
    PLANS = "plans"
    ABOUT_YOU = "about_you"
    PARTNER = "partner"
    EDUCATION = "education"
    LANGUAGES = "languages"
    WORK = "work"
    OFFERS_AND_TIES = "offers_and_ties"
    INCOME = "income"
    CANADA = "canada"
    AUSTRALIA = "australia"
    GERMANY = "germany"
    UNITED_KINGDOM = "united_kingdom"
    NEW_ZEALAND = "new_zealand"


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    BOOLEAN = "boolean"
    NUMBER = "number"
    DATE = "date"
    COUNTRY = "country"
    COUNTRIES = "countries"
    LANGUAGE_SCORES = "language_scores"  # a record whose fields follow the chosen test
    EDUCATION_HISTORY = "education_history"  # a list of credentials
    WORK_HISTORY = "work_history"  # a list of jobs
    FAMILY = "family"  # a list of relatives
    RECORD = "record"
    RECORD_LIST = "record_list"


RECORD_KINDS = frozenset({QuestionKind.RECORD, QuestionKind.LANGUAGE_SCORES})
RECORD_LIST_KINDS = frozenset(
    {QuestionKind.RECORD_LIST, QuestionKind.EDUCATION_HISTORY, QuestionKind.WORK_HISTORY, QuestionKind.FAMILY}
)


class FieldKind(StrEnum):
    CHOICE = "choice"
    BOOLEAN = "boolean"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    COUNTRY = "country"  # ISO 3166-1 alpha-2
    CURRENCY = "currency"  # ISO 4217
    OCCUPATION_CODE = "occupation_code"  # 4–6 digits: NOC, ANZSCO or SOC, as the country uses


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class RecordCondition:
    """When a field of a composite answer matters, judged on the other fields of the same record."""

    description: str
    test: Callable[[Record], bool]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a composite answer; `required=False` fields may be left out (unknown) or null."""

    name: str
    kind: FieldKind
    label: str
    required: bool = True
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    relevant_when: RecordCondition | None = None
    not_in_future: bool = False

    def relevant(self, record: Record) -> bool:
        return self.relevant_when is None or self.relevant_when.test(record)


@dataclass(frozen=True, slots=True)
class Condition:
    """When a question applies; `reads` names the earlier questions the test looks at."""

    description: str
    reads: tuple[str, ...]
    test: Callable[[Answers], bool]


ALWAYS = Condition("always", (), lambda _: True)

FieldSource = tuple[FieldSpec, ...] | Callable[[Answers], tuple[FieldSpec, ...]]


@dataclass(frozen=True, slots=True)
class DateBounds:
    """A date question's bounds, relative to the day the answer is given."""

    not_in_future: bool = True
    min_years_ago: int | None = None  # e.g. a birth date at least 16 years ago
    max_years_ago: int | None = None


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    section: Section
    kind: QuestionKind
    prompt: str
    help: str = ""
    options: tuple[Option, ...] = ()
    exclusive_options: tuple[str, ...] = ()  # a multiple-choice option that cannot be combined ("none")
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    integer: bool = False
    min_items: int = 0
    max_items: int = 10
    date_bounds: DateBounds = DateBounds()
    fields: FieldSource = ()
    applies: Condition = ALWAYS
    depends_on: tuple[str, ...] = ()
    """Answers that shape this question's fields: when one of them changes, this answer is dropped."""

    def fields_for(self, answers: Answers) -> tuple[FieldSpec, ...]:
        return self.fields(answers) if callable(self.fields) else self.fields

    def applies_to(self, answers: Answers) -> bool:
        return self.applies.test(answers)

    @property
    def is_record(self) -> bool:
        return self.kind in RECORD_KINDS

    @property
    def is_record_list(self) -> bool:
        return self.kind in RECORD_LIST_KINDS


def options(pairs: Mapping[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs.items())
