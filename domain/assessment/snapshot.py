"""The immutable result of completing an assessment, and its storage codec (dataclasses ↔ plain data)."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from domain.assessment.spec import JsonValue
from domain.profile import Profile


@dataclass(frozen=True, slots=True)
class Supplement:
    """Answers some programs' rules read that `Profile` does not hold; None means unknown."""

    destinations: tuple[str, ...] = ()  # empty: open to every destination
    works_remotely: bool | None = None
    remote_employer_country: str | None = None
    remote_income_monthly_eur: float | None = None
    remote_work_months: float | None = None
    passive_income_monthly_eur: float | None = None
    job_offer_country: str | None = None  # the offer the next two facts describe
    job_offer_duration_months: float | None = None
    job_offer_degree_level: bool | None = None


@dataclass(frozen=True, slots=True)
class ProfileSnapshot:
    """What one completion produced; never updated (a later completion makes a new snapshot)."""

    id: str
    assessment_id: str
    owner_id: str | None
    created_at: datetime
    bank_version: int
    answers: Mapping[str, JsonValue]
    profile: Profile
    supplement: Supplement = field(default_factory=Supplement)


def to_data(value: object) -> Any:
    """Dataclasses, enums, dates, tuples and frozensets as JSON-friendly data (frozensets sorted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(to_data(item) for item in value)
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


T = typing.TypeVar("T")


def from_data(cls: type[T], data: Mapping[str, Any]) -> T:
    """The inverse of `to_data` for a dataclass type, read from its type hints."""
    values = {name: _decode(hint, data[name]) for name, hint in _fields(cls) if name in data}  # type: ignore[arg-type]
    return cls(**values)


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """Each field's name and resolved hint, once per class: resolving string annotations on every decode was
    a tenth of the results page's CPU."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _decode(hint: Any, data: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        options = [a for a in args if a is not type(None)]
        return _decode(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        return tuple(_decode(args[0], item) for item in data)
    if origin is frozenset:
        return frozenset(_decode(args[0], item) for item in data)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return from_data(hint, data)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(data)
    if hint is date:
        return date.fromisoformat(data)
    if hint is float:
        return float(data)
    return data


def profile_to_data(profile: Profile) -> dict[str, Any]:
    data: dict[str, Any] = to_data(profile)
    return data


def profile_from_data(data: Mapping[str, Any]) -> Profile:
    return from_data(Profile, data)


def supplement_from_data(data: Mapping[str, Any]) -> Supplement:
    return from_data(Supplement, data)
