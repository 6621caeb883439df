"""Roles over HTTP: the CLI's create-admin, `users`, `setUserRole`, `assignAdvisor`, `advisorClients`, API keys."""

from typing import Any

import pytest

from migratio.settings import Settings
from tests.builders.accounts import (
    ME,
    Account,
    Client,
    admin,
    error_code,
    mails_to,
    mongo,
    run_cli,
    signed_up,
    unique_email,
    wait_for_mail,
    with_role,
)
from tests.server import LiveServer

USERS = "query($offset: Int!, $limit: Int!) { users(offset: $offset, limit: $limit) { id email role } }"
ASSIGN = "mutation($c: ID!, $a: ID) { assignAdvisor(clientId: $c, advisorId: $a) { id advisorId } }"
CLIENTS = "query { advisorClients { id email } }"
CREATE_KEY = """mutation($name: String!, $scopes: [Scope!]!) {
  createApiKey(name: $name, scopes: $scopes) { key apiKey { id name prefix scopes revokedAt } }
}"""


@pytest.fixture(scope="module")
def root(server: LiveServer, settings: Settings) -> Account:
    return admin(server, settings)


def _all_users(client: Client, **headers: str) -> list[dict[str, Any]]:
    """Every account, page by page: the run's database holds every other test's accounts too."""
    users: list[dict[str, Any]] = []
    while True:
        body = client.gql(USERS, {"offset": len(users), "limit": 100}, **headers)
        assert "errors" not in body, body
        page: list[dict[str, Any]] = body["data"]["users"]
        users += page
        if len(page) < 100:
            return users


def test_the_cli_create_admin_promotes_an_existing_account(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "promoted")
    assert f"{account.email} ({account.id}) is an admin" in run_cli(settings, "create-admin", account.email)
    assert mongo(settings).users.find_one({"_id": account.id})["role"] == "admin"  # type: ignore[index]
    assert error_code(account.client.gql(ME)) == "UNAUTHENTICATED"  # the old token carried the old role


def test_the_cli_create_admin_mails_a_new_admin_a_password_link_once(server: LiveServer, settings: Settings) -> None:
    email = unique_email("newadmin")
    assert "is an admin" in run_cli(settings, "create-admin", email)
    mail = wait_for_mail(settings, email, "Your Migratio administrator account")
    assert "/reset-password?token=" in mail.get_content() and mails_to(settings, email) == [mail["Subject"]]
    [send] = mongo(settings)["notification_sends"].find({"message.title": "Your Migratio administrator account"})
    assert (send["kind"], send["channel"], send["status"]) == ("password_reset", "email", "sent")
    assert "token=" not in send["message"]["body"]  # the link works like a password: not kept once sent


def test_an_admin_lists_users_and_a_user_may_not(server: LiveServer, settings: Settings, root: Account) -> None:
    someone = signed_up(server, settings, "listed")
    assert someone.email in {u["email"] for u in _all_users(root.client)}
    assert error_code(someone.client.gql(USERS, {"offset": 0, "limit": 10})) == "FORBIDDEN"


def test_set_user_role_makes_an_advisor_whose_new_role_applies_from_the_next_login(
    server: LiveServer, settings: Settings, root: Account
) -> None:
    advisor = with_role(server, settings, root, "ADVISOR", "advisor")
    assert advisor.client.data(ME)["me"]["role"] == "ADVISOR"
    assert mongo(settings).audit_events.count_documents({"user_id": advisor.id, "kind": "role_changed"}) == 1


def test_an_admin_cannot_change_their_own_role(server: LiveServer, settings: Settings, root: Account) -> None:
    body = root.client.gql("mutation($id: ID!) { setUserRole(userId: $id, role: USER) { role } }", {"id": root.id})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "userId"}
    assert mongo(settings).users.find_one({"_id": root.id})["role"] == "admin"  # type: ignore[index]


def test_an_advisor_sees_only_assigned_clients(server: LiveServer, settings: Settings, root: Account) -> None:
    advisor = with_role(server, settings, root, "ADVISOR", "adv")
    client, stranger = signed_up(server, settings, "client"), signed_up(server, settings, "stranger")
    assert root.client.data(ASSIGN, {"c": client.id, "a": advisor.id}) == {
        "assignAdvisor": {"id": client.id, "advisorId": advisor.id}
    }
    assert advisor.client.data(CLIENTS) == {"advisorClients": [{"id": client.id, "email": client.email}]}
    seen = advisor.client.data("query($id: ID!) { advisorClient(id: $id) { email dateOfBirth } }", {"id": client.id})
    assert seen == {"advisorClient": {"email": client.email, "dateOfBirth": None}}
    refused = advisor.client.gql("query($id: ID!) { advisorClient(id: $id) { email } }", {"id": stranger.id})
    assert refused["errors"][0]["extensions"] == {"code": "NOT_FOUND", "id": stranger.id}


def test_an_advisor_never_sees_a_clients_passport_number(server: LiveServer, settings: Settings, root: Account) -> None:
    advisor = with_role(server, settings, root, "ADVISOR", "advpass")
    client = signed_up(server, settings, "clientpass")
    client.client.data('mutation { updateProfile(input: {passportNumber: "Z7654321"}) { id } }')
    root.client.data(ASSIGN, {"c": client.id, "a": advisor.id})
    body = advisor.client.gql("query($id: ID!) { advisorClient(id: $id) { passportNumber } }", {"id": client.id})
    assert error_code(body) == "FORBIDDEN"
    assert "Z7654321" not in str(body)


def test_a_plain_user_cannot_ask_for_advisor_clients(server: LiveServer, settings: Settings) -> None:
    assert error_code(signed_up(server, settings, "notadv").client.gql(CLIENTS)) == "FORBIDDEN"


def test_an_api_key_with_users_read_lists_users_until_revoked(
    server: LiveServer, settings: Settings, root: Account
) -> None:
    created = root.client.data(CREATE_KEY, {"name": "crm sync", "scopes": ["USERS_READ"]})["createApiKey"]
    key = created["key"]
    assert created["apiKey"]["prefix"] == key[:12] and created["apiKey"]["scopes"] == ["USERS_READ"]
    stored = mongo(settings).api_keys.find_one({"_id": created["apiKey"]["id"]})
    assert stored is not None and key not in str(stored)
    server_client = Client(server)
    assert root.email in {u["email"] for u in _all_users(server_client, x_api_key=key)}
    assert error_code(server_client.gql(ME, x_api_key=key)) == "UNAUTHENTICATED"  # a key is not a person
    root.client.data("mutation($id: ID!) { revokeApiKey(id: $id) }", {"id": created["apiKey"]["id"]})
    refused = server_client.gql(USERS, {"offset": 0, "limit": 1}, x_api_key=key)
    assert refused["errors"][0]["message"] == "invalid or revoked API key"


def test_an_api_key_without_the_scope_is_forbidden(server: LiveServer, settings: Settings, root: Account) -> None:
    key = root.client.data(CREATE_KEY, {"name": "catalog", "scopes": ["CATALOG_WRITE"]})["createApiKey"]["key"]
    body = Client(server).gql(USERS, {"offset": 0, "limit": 1}, x_api_key=key)
    assert body["errors"][0] == {
        **body["errors"][0],
        "message": "this API key lacks the users:read scope",
        "extensions": {"code": "FORBIDDEN"},
    }
