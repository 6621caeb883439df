"""The quiz over GraphQL, for API tests: the documents, and a helper that answers a whole quiz."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.builders.accounts import Client
from tests.builders.answers import reference_quiz

PROGRESS = "answeredCount totalCount percentDone revision nextQuestion { id kind fields { name } }"
START = (
    f"mutation {{ startAssessment {{ resumeToken assessment {{ id status anonymous progress {{ {PROGRESS} }} }} }} }}"
)
ANSWER = f"""mutation Answer($id: ID!, $question: String!, $value: JSON, $token: String) {{
  answerQuestion(assessmentId: $id, questionId: $question, value: $value, resumeToken: $token) {{
    droppedAnswers
    assessment {{ revision progress {{ {PROGRESS} }} }}
  }}
}}"""
COMPLETE = """mutation Complete($id: ID!, $token: String) {
  completeAssessment(assessmentId: $id, resumeToken: $token) {
    assessment { status completedAt }
    snapshot { id bankVersion profile destinations }
  }
}"""
READ = f"""query Read($id: ID!, $token: String) {{
  assessment(id: $id, resumeToken: $token) {{
    id status anonymous revision answers {{ questionId value }} progress {{ {PROGRESS} }}
    latestSnapshot {{ id profile }}
  }}
}}"""
CLAIM = "mutation Claim($id: ID!, $token: String!) { claimAssessment(id: $id, resumeToken: $token) { id anonymous } }"


def anywhere_quiz(today: date | None = None) -> list[tuple[str, Any]]:
    """The reference person open to every destination: every country section is asked too."""
    extra = {
        "works_remotely": False,
        "passive_income_monthly_eur": 0,
        "de_recognition": "none",
        "de_shortage_occupation": False,
        "de_stays": [],
        "de_english_native": False,
        "uk_degree_taught_in_english": True,
        "uk_majority_english_nationality": False,
        "uk_new_entrant": False,
        "uk_on_route_before_2025_07_22": False,
        "nz_occupational_registration": False,
    }
    return reference_quiz(today, destinations=["anywhere"], **extra)


def start(client: Client) -> tuple[str, str | None]:
    started = client.data(START)["startAssessment"]
    return started["assessment"]["id"], started["resumeToken"]


def answer(client: Client, assessment_id: str, question_id: str, value: Any, token: str | None = None) -> dict:
    payload: dict[str, Any] = client.data(
        ANSWER, {"id": assessment_id, "question": question_id, "value": value, "token": token}
    )["answerQuestion"]
    return payload


def take_quiz(
    client: Client, assessment_id: str, token: str | None = None, answers: list[tuple[str, Any]] | None = None
) -> dict:
    last: dict = {}
    for question_id, value in answers if answers is not None else reference_quiz():
        last = answer(client, assessment_id, question_id, value, token)
    return last


def completed(client: Client, answers: list[tuple[str, Any]] | None = None) -> str:
    """A signed-in client's assessment, answered and completed; returns its id."""
    assessment_id, _ = start(client)
    take_quiz(client, assessment_id, answers=answers)
    client.data(COMPLETE, {"id": assessment_id})
    return assessment_id
