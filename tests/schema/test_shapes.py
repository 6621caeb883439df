"""Schema types are shapes: mapping an assessment (answers, progress, next question) runs the branching rules
once, from the domain's one answer state."""

from dataclasses import replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import pytest

from domain.assessment import branching
from domain.assessment.model import Assessment as DomainAssessment
from domain.assessment.model import Status, StoredAnswer
from schema.assessment import Assessment

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _assessment() -> DomainAssessment:
    answers = {"destinations": StoredAnswer(["CA"]), "birth_date": StoredAnswer("1990-05-01")}
    return DomainAssessment(
        id="a1",
        owner_id="u1",
        bank_version=1,
        answers=MappingProxyType(answers),
        revision=2,
        status=Status.IN_PROGRESS,
        created_at=NOW,
        updated_at=NOW,
    )


def test_mapping_an_assessment_prunes_its_answers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = branching.prune

    def counted(stored: Any) -> branching.Pruned:
        calls.append(stored)
        return real(stored)

    monkeypatch.setattr(branching, "prune", counted)
    shown = Assessment.from_domain(_assessment(), False)

    assert len(calls) == 1
    assert [a.question_id for a in shown.answers] == ["destinations", "birth_date"]
    assert (shown.progress.answered_count, shown.progress.revision) == (2, 2)
    assert shown.progress.next_question is not None


def test_progress_and_answers_come_from_the_same_pruning() -> None:
    stale = replace(
        _assessment(),
        answers=MappingProxyType({**_assessment().answers, "no_such_question": StoredAnswer(True)}),
    )
    shown = Assessment.from_domain(stale, False)

    assert "no_such_question" not in [a.question_id for a in shown.answers]
    assert shown.progress.answered_count == len(shown.answers) == 2
