"""SMS one-time codes as a second factor beside TOTP: turned on with the password and a verified number, texted
for a pending sign-in through the worker and the local Twilio, single use, and wrong or foreign codes refused."""

from concurrent.futures import ThreadPoolExecutor

from migratio.settings import Settings
from tests.builders.accounts import LOGIN, PASSWORD, Client, error_code, signed_up
from tests.builders.notifications import code_in, verified_phone, wait_for_text
from tests.server import LiveServer

SET = "mutation($p: String!, $on: Boolean!) { setSmsSecondFactor(password: $p, enabled: $on) }"
SEND = "mutation($t: String!) { sendSignInCode(mfaToken: $t) }"
SECOND_STEP = """mutation($token: String!, $code: String!) {
  loginWithMfa(mfaToken: $token, code: $code) { accessToken }
}"""
RACERS = 4


def _challenge(server: LiveServer, email: str) -> str:
    result = Client(server).data(LOGIN, {"email": email, "password": PASSWORD})["login"]
    assert result["__typename"] == "MfaChallenge", result
    token: str = result["mfaToken"]
    return token


def test_an_sms_code_completes_a_sign_in_once(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "smsfactor")
    assert error_code(person.client.gql(SET, {"p": PASSWORD, "on": True})) == "BAD_USER_INPUT"  # no number yet
    number = verified_phone(settings, person)
    assert person.client.data(SET, {"p": PASSWORD, "on": True})["setSmsSecondFactor"] is True

    token = _challenge(server, person.email)
    assert Client(server).data(SEND, {"t": token})["sendSignInCode"] is True
    code = code_in(wait_for_text(settings, number, count=2))
    wrong = "000000" if code != "000000" else "111111"
    assert error_code(Client(server).gql(SECOND_STEP, {"token": token, "code": wrong})) == "UNAUTHENTICATED"

    racers = [Client(server) for _ in range(RACERS)]
    with ThreadPoolExecutor(RACERS) as pool:
        answers = list(pool.map(lambda c: c.gql(SECOND_STEP, {"token": token, "code": code}), racers))
    signed_in = [a for a in answers if "errors" not in a]
    assert len(signed_in) == 1, answers
    assert signed_in[0]["data"]["loginWithMfa"]["accessToken"]
    assert [error_code(a) for a in answers if "errors" in a] == ["UNAUTHENTICATED"] * (RACERS - 1)

    other = _challenge(server, person.email)  # a code belongs to its own sign-in attempt
    assert error_code(Client(server).gql(SECOND_STEP, {"token": other, "code": code})) == "UNAUTHENTICATED"


def test_turned_off_the_password_alone_signs_in_and_no_code_is_sent(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "smsoff")
    verified_phone(settings, person)
    assert error_code(person.client.gql(SET, {"p": "wrong-password-1", "on": True})) == "BAD_USER_INPUT"
    assert Client(server).data(LOGIN, {"email": person.email, "password": PASSWORD})["login"]["__typename"] == (
        "AuthTokens"
    )
    person.client.data(SET, {"p": PASSWORD, "on": True})
    token = _challenge(server, person.email)
    person.client.data(SET, {"p": PASSWORD, "on": False})
    assert error_code(Client(server).gql(SEND, {"t": token})) == "BAD_USER_INPUT"
    result = Client(server).data(LOGIN, {"email": person.email, "password": PASSWORD})["login"]
    assert result["__typename"] == "AuthTokens"
    assert error_code(Client(server).gql(SEND, {"t": "not-a-token"})) == "UNAUTHENTICATED"
