"""`deleteMyAccount` for an account made by social sign-in (no password): confirmed by the single-use code
`sendAccountDeletionCode` mails, end to end against the stack's provider, mail sink and store."""

import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

import pytest

from migratio.settings import OAuthProviderSettings, Settings
from tests.api.test_oauth import person, provider_login
from tests.builders.accounts import ME, Client, error_code, mongo, signed_up, wait_for_mail
from tests.server import LiveServer, start_server

PROVIDER = "acme"
SEND = "mutation { sendAccountDeletionCode }"
DELETE = """mutation($password: String, $code: String) {
  deleteMyAccount(password: $password, confirmationCode: $code) { purgeAfter }
}"""
START = """mutation($redirectUri: String!) {
  startOAuthSignIn(provider: "acme", redirectUri: $redirectUri) { authorizationUrl }
}"""
COMPLETE = """mutation($code: String!, $state: String!) {
  completeOAuthSignIn(provider: "acme", code: $code, state: $state) { ... on AuthTokens { accessToken } }
}"""
CANCEL = "mutation($token: String!) { cancelAccountDeletion(cancelToken: $token) { accessToken } }"
SUBJECT = "Confirm deleting your Migratio account"


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[LiveServer]:
    issuer = f"{settings.oidc_mock_url.rstrip('/')}/migratio-deletion-{uuid.uuid4().hex[:8]}"
    provider = OAuthProviderSettings(name=PROVIDER, issuer=issuer, client_id="migratio-web", client_secret="s")
    live = start_server(
        settings.model_copy(update={"oauth_providers": [provider], "oauth_web_origins": ["http://localhost:3000"]})
    )
    yield live
    live.stop()


def social_sign_in(server: LiveServer, subject: str, claims: dict[str, Any]) -> dict[str, Any]:
    client = Client(server)
    url = client.data(START, {"redirectUri": "http://localhost:3000/cb"})["startOAuthSignIn"]["authorizationUrl"]
    code, state = provider_login(url, subject, **claims)
    return client.gql(COMPLETE, {"code": code, "state": state})


def social_account(server: LiveServer) -> tuple[Client, str, str, dict[str, Any]]:
    """A passwordless account made by a provider sign-in: its client, id, subject and claims."""
    subject, claims = person("deleting")
    token = social_sign_in(server, subject, claims)["data"]["completeOAuthSignIn"]["accessToken"]
    client = Client(server, token=token)
    return client, client.data(ME)["me"]["id"], subject, claims


def mailed_code(settings: Settings, email: str, count: int = 1) -> str:
    body = wait_for_mail(settings, email, SUBJECT, count).get_body(("plain",))
    assert body is not None
    found = re.search(r"/delete-account\?code=(\S+)", body.get_content())
    assert found, body.get_content()
    return unquote(found.group(1))


def refusal(body: dict[str, Any]) -> tuple[str, str | None]:
    [error] = body["errors"]
    return error["extensions"]["code"], error["extensions"].get("field")


def test_a_social_account_deletes_itself_with_the_mailed_code(server: LiveServer, settings: Settings) -> None:
    client, user_id, _, claims = social_account(server)
    assert client.data(SEND)["sendAccountDeletionCode"]
    purge_after = client.data(DELETE, {"code": mailed_code(settings, claims["email"])})["deleteMyAccount"]["purgeAfter"]
    stored = mongo(settings).users.find_one({"_id": user_id})
    assert stored is not None and stored["password_hash"] == "" and stored["deletion_requested_at"] is not None
    assert stored["purge_after"].isoformat()[:19] == purge_after[:19]
    assert error_code(client.gql(ME)) == "UNAUTHENTICATED"  # signed out everywhere
    assert mongo(settings).audit_events.count_documents({"user_id": user_id, "kind": "deletion_scheduled"}) == 1


def test_without_a_code_a_passwordless_account_is_told_to_use_one_and_nothing_changes(
    server: LiveServer, settings: Settings
) -> None:
    client, user_id, _, _ = social_account(server)
    before = mongo(settings).users.find_one({"_id": user_id})
    assert refusal(client.gql(DELETE)) == ("BAD_USER_INPUT", "confirmationCode")
    assert refusal(client.gql(DELETE, {"password": ""})) == ("BAD_USER_INPUT", "confirmationCode")
    assert mongo(settings).users.find_one({"_id": user_id}) == before
    assert client.data(ME)["me"]["id"] == user_id


def test_a_wrong_code_or_another_accounts_code_is_refused_and_nothing_changes(
    server: LiveServer, settings: Settings
) -> None:
    client, user_id, _, _ = social_account(server)
    other, other_id, _, other_claims = social_account(server)
    other.data(SEND)
    others_code = mailed_code(settings, other_claims["email"])
    before = mongo(settings).users.find_one({"_id": user_id})
    assert refusal(client.gql(DELETE, {"code": "not-a-code"})) == ("BAD_USER_INPUT", "confirmationCode")
    assert refusal(client.gql(DELETE, {"code": others_code})) == ("BAD_USER_INPUT", "confirmationCode")
    assert mongo(settings).users.find_one({"_id": user_id}) == before
    # refused for the wrong account, the code was not spent: its owner still uses it
    assert other.data(DELETE, {"code": others_code})["deleteMyAccount"]["purgeAfter"]
    assert mongo(settings).users.find_one({"_id": other_id})["deletion_requested_at"] is not None  # type: ignore[index]


def test_a_used_code_is_refused_after_the_deletion_was_cancelled(server: LiveServer, settings: Settings) -> None:
    client, user_id, subject, claims = social_account(server)
    client.data(SEND)
    code = mailed_code(settings, claims["email"])
    client.data(DELETE, {"code": code})
    refused = social_sign_in(server, subject, claims)  # signing in during the grace period offers to keep it
    [error] = refused["errors"]
    assert error["extensions"]["reason"] == "ACCOUNT_DELETION_SCHEDULED"
    kept = Client(server, token=Client(server).data(CANCEL, {"token": error["extensions"]["cancelToken"]})[
        "cancelAccountDeletion"
    ]["accessToken"])  # fmt: skip
    assert refusal(kept.gql(DELETE, {"code": code})) == ("BAD_USER_INPUT", "confirmationCode")
    assert mongo(settings).users.find_one({"_id": user_id})["deletion_requested_at"] is None  # type: ignore[index]


def test_of_parallel_deletions_with_one_code_exactly_one_spends_it(server: LiveServer, settings: Settings) -> None:
    client, user_id, _, claims = social_account(server)
    client.data(SEND)
    code = mailed_code(settings, claims["email"])
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: Client(server, token=client.token).gql(DELETE, {"code": code}), range(4)))
    done = [a for a in answers if "errors" not in a]
    assert len(done) == 1
    assert {error_code(a) for a in answers if "errors" in a} <= {"BAD_USER_INPUT", "UNAUTHENTICATED"}
    assert mongo(settings).audit_events.count_documents({"user_id": user_id, "kind": "deletion_scheduled"}) == 1


def test_an_account_with_a_password_still_confirms_with_it(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "pw-delete")
    assert refusal(account.client.gql(DELETE, {"password": "wrong-password-1"})) == ("BAD_USER_INPUT", "password")
    assert account.client.data(DELETE, {"password": account.password})["deleteMyAccount"]["purgeAfter"]
