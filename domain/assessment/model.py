"""An assessment in progress: its answers, who may touch it, and the snapshot each completion leaves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from domain.assessment.spec import JsonValue, Question


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"  # at least one snapshot exists; answering on is allowed and changes no snapshot


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """A validated answer and the answers it was given against (`basis`): if those change, it is dropped."""

    value: JsonValue
    basis: Mapping[str, JsonValue] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Assessment:
    id: str
    owner_id: str | None  # None while anonymous: then only the resume token opens it
    bank_version: int
    answers: Mapping[str, StoredAnswer]
    revision: int
    status: Status
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    latest_snapshot_id: str | None = None

    def values(self) -> dict[str, JsonValue]:
        return {question_id: answer.value for question_id, answer in self.answers.items()}


@dataclass(frozen=True, slots=True)
class Holder:
    """Who is asking for an assessment: a signed-in user, the bearer of a resume token, or both.

    `token_hash` is the SHA-256 of the presented token; the raw token is never stored.
    """

    user_id: str | None = None
    token_hash: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.user_id is None and self.token_hash is None


@dataclass(frozen=True, slots=True)
class Progress:
    assessment_id: str
    revision: int
    status: Status
    answered: int
    total: int  # questions that apply given the answers so far (branching changes it)
    next_question: Question | None

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else round(100 * self.answered / self.total)
