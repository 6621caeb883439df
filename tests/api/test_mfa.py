"""TOTP two-factor over HTTP: `enrollMfa`, `confirmMfa`, `login` → `loginWithMfa`, recovery codes, `disableMfa`."""

import time
from typing import Any

import pyotp

from migratio.settings import Settings
from tests.builders.accounts import LOGIN, ME, Account, Client, error_code, mongo, signed_up
from tests.server import LiveServer

ENROL = "mutation { enrollMfa { secret otpauthUri } }"
CONFIRM = "mutation($code: String!) { confirmMfa(code: $code) { recoveryCodes } }"
SECOND_STEP = """mutation($token: String!, $code: String!) {
  loginWithMfa(mfaToken: $token, code: $code) { accessToken refreshToken }
}"""


def _next_code(secret: str) -> str:
    """The code of the next 30-second step: accepted (one step of drift) and never used before."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def _with_mfa(server: LiveServer, settings: Settings, tag: str) -> tuple[Account, str, list[str]]:
    account = signed_up(server, settings, tag)
    enrolment = account.client.data(ENROL)["enrollMfa"]
    codes = account.client.data(CONFIRM, {"code": pyotp.TOTP(enrolment["secret"]).now()})["confirmMfa"]
    return account, enrolment["secret"], codes["recoveryCodes"]


def _challenge(server: LiveServer, account: Account) -> dict[str, Any]:
    outcome: dict[str, Any] = Client(server).data(LOGIN, {"email": account.email, "password": account.password})
    assert outcome["login"]["__typename"] == "MfaChallenge"
    return outcome["login"]


def test_enrolment_returns_an_otpauth_uri_and_keeps_the_secret_encrypted(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "enrol")
    enrolment = account.client.data(ENROL)["enrollMfa"]
    assert enrolment["otpauthUri"].startswith("otpauth://totp/Migratio:")
    assert f"secret={enrolment['secret']}" in enrolment["otpauthUri"]
    stored = mongo(settings).users.find_one({"_id": account.id})
    assert stored is not None and enrolment["secret"] not in str(stored)
    assert account.client.data(ME)["me"]["mfaEnabled"] is False


def test_confirming_turns_mfa_on_and_returns_ten_single_use_recovery_codes(
    server: LiveServer, settings: Settings
) -> None:
    account, _, codes = _with_mfa(server, settings, "confirm")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert account.client.data(ME)["me"]["mfaEnabled"] is True
    stored = mongo(settings).users.find_one({"_id": account.id})
    assert stored is not None and not any(code in str(stored) for code in codes)
    audit = mongo(settings).audit_events.count_documents({"user_id": account.id, "kind": "mfa_enabled"})
    assert audit == 1


def test_with_mfa_login_is_a_challenge_completed_by_a_totp_code(server: LiveServer, settings: Settings) -> None:
    account, secret, _ = _with_mfa(server, settings, "mfalogin")
    challenge = _challenge(server, account)
    tokens = Client(server).data(SECOND_STEP, {"token": challenge["mfaToken"], "code": _next_code(secret)})
    assert Client(server, token=tokens["loginWithMfa"]["accessToken"]).data(ME)["me"]["id"] == account.id


def test_a_used_totp_code_cannot_be_replayed(server: LiveServer, settings: Settings) -> None:
    account, secret, _ = _with_mfa(server, settings, "replay")
    code = _next_code(secret)
    Client(server).data(SECOND_STEP, {"token": _challenge(server, account)["mfaToken"], "code": code})
    again = Client(server).gql(SECOND_STEP, {"token": _challenge(server, account)["mfaToken"], "code": code})
    assert error_code(again) == "UNAUTHENTICATED"


def test_a_recovery_code_signs_in_once(server: LiveServer, settings: Settings) -> None:
    account, _, codes = _with_mfa(server, settings, "recovery")
    Client(server).data(SECOND_STEP, {"token": _challenge(server, account)["mfaToken"], "code": codes[3]})
    again = Client(server).gql(SECOND_STEP, {"token": _challenge(server, account)["mfaToken"], "code": codes[3]})
    assert error_code(again) == "UNAUTHENTICATED"
    stored = mongo(settings).users.find_one({"_id": account.id})
    assert stored is not None and len(stored["mfa"]["recovery_code_hashes"]) == 9


def test_a_wrong_code_does_not_sign_in(server: LiveServer, settings: Settings) -> None:
    account, _, _ = _with_mfa(server, settings, "wrongcode")
    body = Client(server).gql(SECOND_STEP, {"token": _challenge(server, account)["mfaToken"], "code": "000000"})
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert body["errors"][0]["message"] == "wrong authentication code"


def test_disabling_mfa_needs_the_password_and_a_code(server: LiveServer, settings: Settings) -> None:
    account, _, codes = _with_mfa(server, settings, "disable")
    refused = account.client.gql(
        "mutation($p: String!, $c: String!) { disableMfa(password: $p, code: $c) }",
        {"p": "not-the-password", "c": codes[0]},
    )
    assert refused["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "password"}
    assert account.client.data(ME)["me"]["mfaEnabled"] is True
    account.client.data(
        "mutation($p: String!, $c: String!) { disableMfa(password: $p, code: $c) }",
        {"p": account.password, "c": codes[0]},
    )
    assert account.client.data(ME)["me"]["mfaEnabled"] is False
    outcome = Client(server).data(LOGIN, {"email": account.email, "password": account.password})
    assert outcome["login"]["__typename"] == "AuthTokens"
