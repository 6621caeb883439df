"""`requestPasswordReset`, `resetPassword` and `changePassword` over HTTP, with the real mail."""

from migratio.settings import Settings
from tests.builders.accounts import (
    LOGIN,
    ME,
    Client,
    error_code,
    link_token,
    log_in,
    mails_to,
    mongo,
    signed_up,
    unique_email,
    wait_for_mail,
)
from tests.server import LiveServer

REQUEST = "mutation($email: String!) { requestPasswordReset(email: $email) }"
RESET = "mutation($input: ResetPasswordInput!) { resetPassword(input: $input) }"
CHANGE = "mutation($input: ChangePasswordInput!) { changePassword(input: $input) }"
NEW_PASSWORD = "quiet-harbour-lamp-88"


def test_a_reset_request_answers_true_whether_or_not_the_address_exists(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "resetknown")
    unknown = unique_email("resetunknown")
    client = Client(server)
    # `data` and `errors` only: the Mongo command count in `extensions` (expose_query_stats) differs, a side
    # channel that production must close by turning those stats off
    known_answer, unknown_answer = (client.post(REQUEST, {"email": e}).json() for e in (account.email, unknown))
    assert known_answer["data"] == unknown_answer["data"] == {"requestPasswordReset": True}
    assert "errors" not in known_answer and "errors" not in unknown_answer
    wait_for_mail(settings, account.email, "Reset your Migratio password")
    assert mails_to(settings, unknown) == []


def test_reset_password_sets_the_new_password_once_and_signs_out_everywhere(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "reset")
    Client(server).data(REQUEST, {"email": account.email})
    token = link_token(wait_for_mail(settings, account.email, "Reset your Migratio password"))
    assert Client(server).data(RESET, {"input": {"token": token, "newPassword": NEW_PASSWORD}}) == {
        "resetPassword": True
    }
    assert error_code(account.client.gql(ME)) == "UNAUTHENTICATED"
    assert (
        error_code(Client(server).gql(LOGIN, {"email": account.email, "password": account.password}))
        == "UNAUTHENTICATED"
    )
    log_in(Client(server), account.email, NEW_PASSWORD)
    reused = Client(server).gql(RESET, {"input": {"token": token, "newPassword": "another-lamp-99x"}})
    assert reused["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}
    wait_for_mail(settings, account.email, "Your Migratio password was changed")


def test_a_forged_reset_token_changes_nothing(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "forged")
    before = mongo(settings).users.find_one({"_id": account.id})
    body = Client(server).gql(RESET, {"input": {"token": "eyJhbGciOiJIUzI1NiJ9.e30.x", "newPassword": NEW_PASSWORD}})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}
    assert mongo(settings).users.find_one({"_id": account.id}) == before


def test_change_password_keeps_this_session_and_ends_the_others(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "change")
    other = Client(server)
    log_in(other, account.email)
    assert account.client.data(
        CHANGE, {"input": {"currentPassword": account.password, "newPassword": NEW_PASSWORD}}
    ) == {"changePassword": True}
    assert account.client.data(ME)["me"]["id"] == account.id
    assert error_code(other.gql(ME)) == "UNAUTHENTICATED"
    log_in(Client(server), account.email, NEW_PASSWORD)


def test_change_password_with_a_wrong_current_password_changes_nothing(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "changewrong")
    before = mongo(settings).users.find_one({"_id": account.id})
    body = account.client.gql(CHANGE, {"input": {"currentPassword": "guess-guess-1", "newPassword": NEW_PASSWORD}})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "currentPassword"}
    assert mongo(settings).users.find_one({"_id": account.id}) == before


def test_reset_requests_are_rate_limited_per_address(server: LiveServer, settings: Settings) -> None:
    email = unique_email("resetflood")
    for _ in range(5):
        Client(server).data(REQUEST, {"email": email})
    body = Client(server).gql(REQUEST, {"email": email})
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert 3590 <= body["errors"][0]["extensions"]["retryAfter"] <= 3600
