"""Attacks, each refused with the right code and with nothing changed in the database."""

import base64
import json
import time
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from migratio.settings import Settings
from tests.builders.accounts import LOGIN, ME, Account, Client, admin, error_code, mongo, signed_up, with_role
from tests.server import LiveServer

RENAME = 'mutation { updateProfile(input: {name: "Mallory"}) { name } }'
UPLOAD = """mutation($type: String!) {
  requestProfilePhotoUpload(contentType: $type) { url key maxBytes fields { name value } }
}"""


def _snapshot(settings: Settings) -> dict[str, Any]:
    """Every identity collection, whole: a refusal must leave all of it as it was."""
    db = mongo(settings)
    return {
        name: sorted(map(str, db[name].find({})))
        for name in ("users", "refresh_sessions", "one_time_tokens", "api_keys")
    }


@pytest.fixture
def unchanged(settings: Settings) -> Iterator[None]:
    before = _snapshot(settings)
    yield
    assert _snapshot(settings) == before


def _claims(account: Account, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": "migratio",
        "aud": "migratio-api",
        "sub": account.id,
        "role": "admin",
        "sid": "forged",
        "jti": "forged-jti",
        "iat": now,
        "exp": now + 600,
    }
    return {**claims, **overrides}


def _key(settings: Settings) -> str:
    return settings.jwt_keys[settings.jwt_current_kid].get_secret_value()


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _refused(server: LiveServer, token: str) -> dict[str, Any]:
    """The forged token tries to read and to write; both must fail as unauthenticated."""
    forged = Client(server, token=token)
    write = forged.gql(RENAME)
    assert error_code(write) == "UNAUTHENTICATED", write
    read = forged.gql(ME)
    assert error_code(read) == "UNAUTHENTICATED"
    return read


@pytest.fixture
def victim(server: LiveServer, settings: Settings) -> Account:
    return signed_up(server, settings, "victim")


def test_a_jwt_with_alg_none_is_refused(
    server: LiveServer, settings: Settings, victim: Account, unchanged: None
) -> None:
    token = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': 'dev-1'})}.{_b64(_claims(victim))}."
    assert "algorithm not allowed" in _refused(server, token)["errors"][0]["message"]


def test_a_jwt_signed_with_another_key_is_refused(
    server: LiveServer, settings: Settings, victim: Account, unchanged: None
) -> None:
    token = jwt.encode(
        _claims(victim),
        "an-attacker-chosen-secret-of-32-bytes!",
        algorithm="HS256",
        headers={"kid": settings.jwt_current_kid},
    )
    assert "bad signature" in _refused(server, token)["errors"][0]["message"]


def test_a_jwt_naming_an_unknown_kid_is_refused(
    server: LiveServer, settings: Settings, victim: Account, unchanged: None
) -> None:
    token = jwt.encode(_claims(victim), _key(settings), algorithm="HS256", headers={"kid": "attacker"})
    assert "unknown signing key" in _refused(server, token)["errors"][0]["message"]


def test_a_jwt_with_a_swapped_algorithm_is_refused(
    server: LiveServer, settings: Settings, victim: Account, unchanged: None
) -> None:
    with warnings.catch_warnings():  # the short-key warning is the point: the real key, the wrong algorithm
        warnings.simplefilter("ignore")
        token = jwt.encode(
            _claims(victim), _key(settings), algorithm="HS512", headers={"kid": settings.jwt_current_kid}
        )
    assert "algorithm not allowed" in _refused(server, token)["errors"][0]["message"]


def test_an_expired_jwt_is_refused(server: LiveServer, settings: Settings, victim: Account, unchanged: None) -> None:
    past = int(time.time()) - 3600
    token = jwt.encode(
        _claims(victim, role="user", iat=past - 900, exp=past),
        _key(settings),
        algorithm="HS256",
        headers={"kid": settings.jwt_current_kid},
    )
    assert _refused(server, token)["errors"][0]["message"] == "invalid access token: expired"


def test_a_jwt_with_tampered_claims_is_refused(
    server: LiveServer, settings: Settings, victim: Account, unchanged: None
) -> None:
    header, payload, signature = str(victim.client.token).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    tampered = f"{header}.{_b64({**claims, 'role': 'admin'})}.{signature}"
    assert "bad signature" in _refused(server, tampered)["errors"][0]["message"]
    assert error_code(Client(server, token=tampered).gql("query { users { id } }")) == "UNAUTHENTICATED"


def test_reusing_a_spent_refresh_token_revokes_the_whole_family(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "reuse")
    refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }"
    legit = Client(server).data(refresh, {"t": account.refresh_token})["refreshToken"]
    attacker = Client(server).gql(refresh, {"t": account.refresh_token})
    assert error_code(attacker) == "UNAUTHENTICATED"
    assert error_code(Client(server).gql(refresh, {"t": legit["refreshToken"]})) == "UNAUTHENTICATED"
    assert error_code(Client(server, token=legit["accessToken"]).gql(ME)) == "UNAUTHENTICATED"
    assert error_code(account.client.gql(ME)) == "UNAUTHENTICATED"
    rows = list(mongo(settings).refresh_sessions.find({"user_id": account.id}))
    assert rows and all(r["revoked_at"] is not None for r in rows)
    assert mongo(settings).audit_events.count_documents({"user_id": account.id, "kind": "refresh_token_reused"}) == 1


def test_brute_forcing_a_password_is_rate_limited_with_retry_after(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "brute")
    attacker = Client(server)
    sessions_before = mongo(settings).refresh_sessions.count_documents({"user_id": account.id})
    for attempt in range(5):
        body = attacker.gql(LOGIN, {"email": account.email, "password": f"guess-number-{attempt}"})
        assert error_code(body) == "UNAUTHENTICATED"
    response = attacker.post(LOGIN, {"email": account.email, "password": account.password})
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["limit"] == 5
    retry_after = error["extensions"]["retryAfter"]
    assert 3590 <= retry_after <= 3600
    assert response.headers["retry-after"] == str(retry_after)
    assert response.headers["ratelimit-limit"] == "5"
    assert response.headers["ratelimit-remaining"] == "0"
    assert response.headers["ratelimit-reset"] == str(retry_after)
    assert mongo(settings).refresh_sessions.count_documents({"user_id": account.id}) == sessions_before
    elsewhere = Client(server).gql(LOGIN, {"email": account.email, "password": account.password})
    assert error_code(elsewhere) == "RATE_LIMITED"  # per account, whatever the address


def test_brute_forcing_many_accounts_from_one_address_is_rate_limited_per_ip(server: LiveServer) -> None:
    attacker = Client(server)
    for n in range(5):
        assert (
            error_code(attacker.gql(LOGIN, {"email": f"spray{n}-{attacker.ip}@example.com", "password": "Winter2025!"}))
            == "UNAUTHENTICATED"
        )
    assert error_code(attacker.gql(LOGIN, {"email": "spray-last@example.com", "password": "x"})) == "RATE_LIMITED"


def test_user_a_cannot_revoke_user_bs_session_by_id(server: LiveServer, settings: Settings) -> None:
    alice, bob = signed_up(server, settings, "alice"), signed_up(server, settings, "bob")
    [bob_session] = bob.client.data("query { mySessions { id } }")["mySessions"]
    before = _snapshot(settings)
    body = alice.client.gql("mutation($id: ID!) { revokeSession(id: $id) }", {"id": bob_session["id"]})
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "id": bob_session["id"]}
    assert _snapshot(settings) == before
    assert bob.client.data(ME)["me"]["id"] == bob.id


def test_user_a_cannot_read_user_b_by_id(server: LiveServer, settings: Settings) -> None:
    alice, bob = signed_up(server, settings, "alice2"), signed_up(server, settings, "bob2")
    by_id = ("query($id: ID!) { user(id: $id) { email } }", "query($id: ID!) { advisorClient(id: $id) { email } }")
    for query in by_id:
        body = alice.client.gql(query, {"id": bob.id})
        assert error_code(body) == "FORBIDDEN" and bob.email not in str(body)


def test_user_a_cannot_adopt_user_bs_photo_upload(server: LiveServer, settings: Settings) -> None:
    alice, bob = signed_up(server, settings, "alice3"), signed_up(server, settings, "bob3")
    upload = bob.client.data(UPLOAD, {"type": "image/png"})["requestProfilePhotoUpload"]
    fields = {f["name"]: f["value"] for f in upload["fields"]}
    assert (
        httpx.post(upload["url"], data=fields, files={"file": ("b.png", b"png", "image/png")}, timeout=30).status_code
        == 204
    )
    before = _snapshot(settings)
    body = alice.client.gql("mutation($k: String!) { confirmProfilePhoto(key: $k) { id } }", {"k": upload["key"]})
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "key": upload["key"]}
    assert _snapshot(settings) == before


def test_a_role_cannot_be_set_through_update_profile_input(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "escalate")
    before = _snapshot(settings)
    body = account.client.gql('mutation { updateProfile(input: {name: "X", role: ADMIN}) { role } }')
    assert error_code(body) == "BAD_USER_INPUT"
    assert "role" in body["errors"][0]["message"]
    via_variables = account.client.gql(
        "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { role } }", {"i": {"name": "X", "role": "ADMIN"}}
    )
    assert error_code(via_variables) == "BAD_USER_INPUT"
    assert _snapshot(settings) == before


def test_a_role_inside_a_json_input_is_stored_as_plain_data_and_grants_nothing(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "jsonrole")
    account.client.data(
        "mutation($i: UpdatePreferencesInput!) { updatePreferences(input: $i) { id } }",
        {"i": {"ui": {"role": "admin", "roles": ["admin"]}}},
    )
    stored = mongo(settings).users.find_one({"_id": account.id})
    assert stored is not None and stored["role"] == "user"
    assert stored["preferences"]["ui"] == {"role": "admin", "roles": ["admin"]}
    assert error_code(account.client.gql("query { users { id } }")) == "FORBIDDEN"


def test_register_cannot_carry_a_role(server: LiveServer, settings: Settings, unchanged: None) -> None:
    body = Client(server).gql(
        "mutation($i: RegisterInput!) { register(input: $i) { email } }",
        {"i": {"email": "x-role@example.com", "password": "tangerine-lantern-42", "name": "X", "role": "ADMIN"}},
    )
    assert error_code(body) == "BAD_USER_INPUT"


def test_a_user_cannot_call_set_user_role(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "selfpromote")
    before = _snapshot(settings)
    body = account.client.gql(
        "mutation($id: ID!) { setUserRole(userId: $id, role: ADMIN) { role } }", {"id": account.id}
    )
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert _snapshot(settings) == before


@pytest.mark.parametrize("email", [{"$gt": ""}, {"$ne": None}, {"$where": "sleep(100)"}, ["$gt"]])
def test_an_operator_object_as_the_email_is_bad_user_input(
    server: LiveServer, settings: Settings, email: object, unchanged: None
) -> None:
    body = Client(server).gql(LOGIN, {"email": email, "password": {"$ne": ""}})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT", "BAD_USER_INPUT"]


@pytest.mark.parametrize("email", ["$gt", "$ne", '{"$gt": ""}', "a@b.c$where"])
def test_an_operator_string_as_the_email_is_bad_user_input(
    server: LiveServer, settings: Settings, email: str, unchanged: None
) -> None:
    for operation in (LOGIN, "mutation($email: String!) { requestPasswordReset(email: $email) }"):
        body = Client(server).gql(operation, {"email": email, "password": "irrelevant-1"})
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}


@pytest.mark.parametrize("ui", [{"$where": "1"}, {"theme": {"$gt": ""}}, {"list": [{"$ne": 1}]}, {"a.b": 1}])
def test_operator_keys_inside_a_json_input_are_bad_user_input(
    server: LiveServer, settings: Settings, ui: dict[str, object]
) -> None:
    account = signed_up(server, settings, "inject")
    before = _snapshot(settings)
    body = account.client.gql(
        "mutation($i: UpdatePreferencesInput!) { updatePreferences(input: $i) { id } }", {"i": {"ui": ui}}
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "ui"}
    assert _snapshot(settings) == before


def test_s3_itself_refuses_a_photo_larger_than_the_policy_allows(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "bigphoto")
    upload = account.client.data(UPLOAD, {"type": "image/jpeg"})["requestProfilePhotoUpload"]
    fields = {f["name"]: f["value"] for f in upload["fields"]}
    too_big = b"\xff" * (upload["maxBytes"] + 1)
    posted = httpx.post(upload["url"], data=fields, files={"file": ("big.jpg", too_big, "image/jpeg")}, timeout=60)
    assert posted.status_code == 400 and "EntityTooLarge" in posted.text
    assert (
        error_code(
            account.client.gql("mutation($k: String!) { confirmProfilePhoto(key: $k) { id } }", {"k": upload["key"]})
        )
        == "NOT_FOUND"
    )
    assert mongo(settings).users.find_one({"_id": account.id})["photo_key"] is None  # type: ignore[index]


def test_s3_itself_refuses_a_photo_of_another_content_type(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "htmlphoto")
    upload = account.client.data(UPLOAD, {"type": "image/png"})["requestProfilePhotoUpload"]
    fields = {f["name"]: f["value"] for f in upload["fields"]} | {"Content-Type": "text/html"}
    posted = httpx.post(upload["url"], data=fields, files={"file": ("x.html", b"<script>", "text/html")}, timeout=30)
    assert posted.status_code == 403 and "Policy" in posted.text
    assert (
        error_code(
            account.client.gql("mutation($k: String!) { confirmProfilePhoto(key: $k) { id } }", {"k": upload["key"]})
        )
        == "NOT_FOUND"
    )


def test_s3_itself_refuses_an_upload_to_another_key(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "otherkey")
    upload = account.client.data(UPLOAD, {"type": "image/png"})["requestProfilePhotoUpload"]
    fields = {f["name"]: f["value"] for f in upload["fields"]} | {"key": "users/someone-else/photo/evil"}
    posted = httpx.post(upload["url"], data=fields, files={"file": ("x.png", b"png", "image/png")}, timeout=30)
    assert posted.status_code == 403


def test_an_advisor_cannot_promote_themselves_to_admin(server: LiveServer, settings: Settings) -> None:
    advisor = with_role(server, settings, admin(server, settings), "ADVISOR", "advisor-escalate")
    before = _snapshot(settings)
    body = advisor.client.gql(
        "mutation($id: ID!) { setUserRole(userId: $id, role: ADMIN) { role } }", {"id": advisor.id}
    )
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert _snapshot(settings) == before
