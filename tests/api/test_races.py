"""Parallel clients over HTTP on one assessment, one refresh token, one link, one challenge: nothing acknowledged
is lost, and a single-use value works for exactly one of them (the rest get the documented error)."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

import pyotp

from migratio.settings import Settings
from tests.builders.accounts import (
    LOGIN,
    PASSWORD,
    REGISTER,
    VERIFY,
    Client,
    error_code,
    link_token,
    log_in,
    signed_up,
    unique_email,
    wait_for_mail,
)
from tests.builders.answers import reference_quiz
from tests.builders.quiz import ANSWER, CLAIM, READ, start
from tests.server import LiveServer

RACERS = 16
T = TypeVar("T")
CONCURRENT_ANSWERS = (
    "birth_date",
    "citizenships",
    "marital_status",
    "dependent_children",
    "language_test",
    "has_job_offer",
)
REFRESH = "mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }"
RESET = "mutation($input: ResetPasswordInput!) { resetPassword(input: $input) }"
REQUEST_RESET = "mutation($email: String!) { requestPasswordReset(email: $email) }"
ENROL = "mutation { enrollMfa { secret } }"
CONFIRM = "mutation($code: String!) { confirmMfa(code: $code) { recoveryCodes } }"
SECOND_STEP = """mutation($token: String!, $code: String!) {
  loginWithMfa(mfaToken: $token, code: $code) { accessToken refreshToken }
}"""


def all_at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Each call in its own thread with its own connection, released together."""
    gate = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        gate.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _answer_retrying(client: Client, assessment_id: str, token: str | None, question: str, value: Any) -> list[Any]:
    """What an app does: on the documented UNAVAILABLE ("being changed elsewhere; try again") send it again."""
    outcomes: list[Any] = []
    for _ in range(20):
        body = client.gql(ANSWER, {"id": assessment_id, "question": question, "value": value, "token": token})
        if "errors" not in body:
            outcomes.append(body["data"]["answerQuestion"]["assessment"]["revision"])
            return outcomes
        outcomes.append(error_code(body))
        assert outcomes[-1] == "UNAVAILABLE", body
    return outcomes


def test_six_answers_sent_at_once_five_times_are_all_stored(server: LiveServer) -> None:
    quiz = dict(reference_quiz())
    for _ in range(5):
        client = Client(server)
        assessment_id, token = start(client)
        client.data(
            ANSWER, {"id": assessment_id, "question": "destinations", "value": quiz["destinations"], "token": token}
        )
        runs = all_at_once(
            [partial(_answer_retrying, Client(server), assessment_id, token, q, quiz[q]) for q in CONCURRENT_ANSWERS]
        )
        acknowledged = [run[-1] for run in runs]
        assert sorted(acknowledged) == [2, 3, 4, 5, 6, 7]  # each acknowledged answer made its own revision
        stored = client.data(READ, {"id": assessment_id, "token": token})["assessment"]
        assert stored["revision"] == 7
        assert {a["questionId"]: a["value"] for a in stored["answers"]} == {
            q: quiz[q] for q in ("destinations", *CONCURRENT_ANSWERS)
        }


def test_an_anonymous_assessment_is_claimed_by_one_of_16_accounts_at_once(
    server: LiveServer, settings: Settings
) -> None:
    client = Client(server)
    assessment_id, token = start(client)
    accounts = [signed_up(server, settings, f"claimrace{i}") for i in range(RACERS)]
    bodies = all_at_once([partial(a.client.gql, CLAIM, {"id": assessment_id, "token": token}) for a in accounts])
    winners = [a for a, body in zip(accounts, bodies, strict=True) if "errors" not in body]
    assert len(winners) == 1
    assert sorted(error_code(b) for b in bodies if "errors" in b) == ["NOT_FOUND"] * (RACERS - 1)
    assert winners[0].client.data(READ, {"id": assessment_id})["assessment"]["anonymous"] is False


def test_one_refresh_token_sent_by_16_clients_at_once_rotates_once_and_counts_as_reuse(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "refreshrace")
    bodies = all_at_once([(lambda: Client(server).gql(REFRESH, {"token": account.refresh_token}))] * RACERS)
    rotated = [b["data"]["refreshToken"] for b in bodies if "errors" not in b]
    assert len(rotated) == 1
    assert [error_code(b) for b in bodies if "errors" in b] == ["UNAUTHENTICATED"] * (RACERS - 1)
    # The spent token came back: the whole family is revoked, the one rotated token included.
    assert error_code(Client(server).gql(REFRESH, {"token": rotated[0]["refreshToken"]})) == "UNAUTHENTICATED"


def test_an_email_verification_link_opened_16_times_at_once_verifies_once(
    server: LiveServer, settings: Settings
) -> None:
    email = unique_email("verifyrace")
    Client(server).data(REGISTER, {"input": {"email": email, "password": PASSWORD, "name": "Ann"}})
    token = link_token(wait_for_mail(settings, email, "Confirm your email address"))
    bodies = all_at_once([(lambda: Client(server).gql(VERIFY, {"token": token}))] * RACERS)
    assert [b["data"] for b in bodies if "errors" not in b] == [{"verifyEmail": {"email": email}}]
    assert [error_code(b) for b in bodies if "errors" in b] == ["BAD_USER_INPUT"] * (RACERS - 1)


def test_a_password_reset_link_used_16_times_at_once_sets_one_password(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "resetrace")
    Client(server).data(REQUEST_RESET, {"email": account.email})
    token = link_token(wait_for_mail(settings, account.email, "Reset your Migratio password"))
    passwords = [f"racing-lamp-{i:02d}x" for i in range(RACERS)]
    bodies = all_at_once(
        [partial(Client(server).gql, RESET, {"input": {"token": token, "newPassword": p}}) for p in passwords]
    )
    winners = [p for p, b in zip(passwords, bodies, strict=True) if "errors" not in b]
    assert len(winners) == 1
    assert [error_code(b) for b in bodies if "errors" in b] == ["BAD_USER_INPUT"] * (RACERS - 1)
    log_in(Client(server), account.email, winners[0])
    loser = next(p for p in passwords if p != winners[0])
    assert error_code(Client(server).gql(LOGIN, {"email": account.email, "password": loser})) == "UNAUTHENTICATED"


def test_an_mfa_challenge_completed_by_10_recovery_codes_at_once_signs_in_once(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "mfarace")
    secret = account.client.data(ENROL)["enrollMfa"]["secret"]
    codes = account.client.data(CONFIRM, {"code": pyotp.TOTP(secret).now()})["confirmMfa"]["recoveryCodes"]
    challenge = Client(server).data(LOGIN, {"email": account.email, "password": account.password})["login"]
    bodies = all_at_once(
        [partial(Client(server).gql, SECOND_STEP, {"token": challenge["mfaToken"], "code": c}) for c in codes]
    )
    assert len([b for b in bodies if "errors" not in b]) == 1
    # The challenge is spent once; attempts past the account's login limit are refused before it.
    assert {error_code(b) for b in bodies if "errors" in b} <= {"UNAUTHENTICATED", "RATE_LIMITED"}
