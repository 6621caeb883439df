"""Quiz answers for tests: a whole quiz in question order, as a client would send it (JSON values).

`reference_quiz()` is a single software developer from India, 31, with a master's (ECA done), IELTS GT
8/7/7/7 taken two months ago, 6 years of skilled work abroad and CAD 30,000, considering Canada and
Australia. Dates are relative to `today`, so the answers stay valid (test results expire after 2 years).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from domain.assessment import branching
from domain.assessment.model import StoredAnswer
from domain.assessment.questions import BANK

OMIT = object()
"""An override that leaves a question out (e.g. the scores once the test is "none")."""


def years_ago(years: int, today: date) -> str:
    return today.replace(year=today.year - years, day=min(today.day, 28)).isoformat()


def reference_quiz(today: date | None = None, **overrides: Any) -> list[tuple[str, Any]]:
    today = today or date.today()
    answers: dict[str, Any] = {
        "destinations": ["CA", "AU"],
        "birth_date": years_ago(31, today),
        "citizenships": ["IN"],
        "marital_status": "single",
        "dependent_children": 0,
        "education": [
            {
                "level": "master",
                "country": "IN",
                "eca": True,
                "au_recognition": "bachelor",
                "completed_on": years_ago(7, today),
                "duration_years": 2,
                "full_time": True,
                "state_recognised": True,
            }
        ],
        "language_test": "ielts_gt",
        "language_scores": {
            "listening": 8,
            "reading": 7,
            "writing": 7,
            "speaking": 7,
            "test_date": (today - timedelta(days=60)).isoformat(),
        },
        "second_language_test": "none",
        "work_history": [
            {
                "country": "IN",
                "start": years_ago(6, today),
                "hours_per_week": 40,
                "teer": "1",
                "occupation_code": "21231",
                "paid": True,
                "self_employed": False,
                "authorised": True,
                "relevant": True,
            }
        ],
        "has_job_offer": False,
        "nominations": [],
        "relatives": [],
        "funds": {"amount": 30000, "currency": "CAD"},
        "ca_first_official_language": "english",
        "ca_authorised_to_work": False,
        "ca_certificate_of_qualification": False,
        "au_skills_assessment": True,
        "au_professional_year": False,
        "au_naati_ccl": False,
    }
    answers.update(overrides)
    return [(question_id, value) for question_id, value in answers.items() if value is not OMIT]


def stored(
    answers: list[tuple[str, Any]] | Mapping[str, Any], today: date | None = None, *, skip_inapplicable: bool = False
) -> dict[str, StoredAnswer]:
    """Answers given one by one through the branching rules, as the service does; `skip_inapplicable` leaves
    out those an earlier answer made irrelevant (e.g. Canadian questions after choosing only the UK)."""
    state: dict[str, StoredAnswer] = {}
    items = answers.items() if isinstance(answers, Mapping) else answers
    for question_id, value in items:
        current = {qid: a.value for qid, a in state.items()}
        if skip_inapplicable and not BANK[question_id].applies_to(current):
            continue
        state, _ = branching.answer(state, question_id, value, today or date.today())
    return state


def values(state: Mapping[str, StoredAnswer]) -> dict[str, Any]:
    return {qid: a.value for qid, a in state.items()}
