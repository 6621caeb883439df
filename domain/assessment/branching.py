"""Adaptive branching: which questions apply, which answers a change made irrelevant, and what comes next.

Conditions only read earlier questions (a test checks the bank), so one pass in bank order decides every
answer: an answer is kept while its question applies and the answers it was given against are unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from domain.assessment.model import Assessment, Progress, StoredAnswer
from domain.assessment.questions import BANK, QUESTIONS
from domain.assessment.spec import JsonValue, Question
from domain.assessment.validation import InvalidAnswer, validate_answer


@dataclass(frozen=True, slots=True)
class Pruned:
    kept: dict[str, StoredAnswer]
    dropped: tuple[str, ...]  # question ids, in bank order (unknown ids from an older bank last)


def prune(stored: Mapping[str, StoredAnswer]) -> Pruned:
    kept: dict[str, StoredAnswer] = {}
    values: dict[str, JsonValue] = {}
    dropped: list[str] = []
    for question in QUESTIONS:
        answer = stored.get(question.id)
        if answer is None:
            continue
        current_basis = all(values.get(dep) == answer.basis.get(dep) for dep in question.depends_on)
        if question.applies_to(values) and current_basis:
            kept[question.id] = answer
            values[question.id] = answer.value
        else:
            dropped.append(question.id)
    dropped += [question_id for question_id in stored if question_id not in BANK]
    return Pruned(kept, tuple(dropped))


def applicable(values: Mapping[str, JsonValue]) -> list[Question]:
    return [question for question in QUESTIONS if question.applies_to(values)]


def answer(
    stored: Mapping[str, StoredAnswer], question_id: str, raw: object, today: date
) -> tuple[dict[str, StoredAnswer], tuple[str, ...]]:
    """The answers after this one is given, and the question ids it made irrelevant."""
    question = BANK.get(question_id)
    if question is None:
        raise InvalidAnswer(question_id, "questionId", f"there is no question {question_id!r}")
    current = prune(stored).kept
    values = {qid: a.value for qid, a in current.items()}
    if not question.applies_to(values):
        reason = f"{question_id!r} does not apply: it is asked when {question.applies.description}"
        raise InvalidAnswer(question_id, "questionId", reason)
    value = validate_answer(question, raw, values, today)
    basis = MappingProxyType({dep: values.get(dep) for dep in question.depends_on})
    result = prune({**current, question_id: StoredAnswer(value, basis)})
    return result.kept, tuple(qid for qid in result.dropped if qid in stored)


@dataclass(frozen=True, slots=True)
class AnswerState:
    """What an assessment's answers amount to now: those that still apply, their values, and its progress —
    from one pruning pass, for everything that shows an assessment."""

    kept: dict[str, StoredAnswer]
    values: dict[str, JsonValue]
    progress: Progress


def state(assessment: Assessment) -> AnswerState:
    kept = prune(assessment.answers).kept
    values = {qid: a.value for qid, a in kept.items()}
    questions = applicable(values)
    pending = [q for q in questions if q.id not in kept]
    progress = Progress(
        assessment_id=assessment.id,
        revision=assessment.revision,
        status=assessment.status,
        answered=len(questions) - len(pending),
        total=len(questions),
        next_question=pending[0] if pending else None,
    )
    return AnswerState(kept, values, progress)


def progress(assessment: Assessment) -> Progress:
    return state(assessment).progress


def unanswered(stored: Mapping[str, StoredAnswer]) -> list[Question]:
    kept = prune(stored).kept
    return [q for q in applicable({qid: a.value for qid, a in kept.items()}) if q.id not in kept]
