"""`login`, `me`, `refreshToken`, `logout`, `mySessions` and `revokeSession`, over HTTP and websockets."""

import json
from datetime import datetime

import jwt
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from migratio.settings import Settings
from tests.builders.accounts import LOGIN, ME, PASSWORD, Client, error_code, log_in, mongo, signed_up
from tests.server import LiveServer

REFRESH = """mutation Refresh($token: String!) {
  refreshToken(refreshToken: $token) { accessToken refreshToken }
}"""
SESSIONS = "query { mySessions { id current ip userAgent startedAt } }"


def test_login_returns_a_short_lived_hs256_access_token_signed_with_the_current_kid(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "login")
    tokens = log_in(Client(server), account.email)
    header = jwt.get_unverified_header(tokens["accessToken"])
    claims = jwt.decode(tokens["accessToken"], options={"verify_signature": False})
    assert header == {"alg": "HS256", "kid": "dev-1", "typ": "JWT"}
    assert (claims["sub"], claims["role"], claims["iss"], claims["aud"]) == (
        account.id,
        "user",
        "migratio",
        "migratio-api",
    )
    assert claims["exp"] - claims["iat"] == 900
    assert tokens["tokenType"] == "Bearer"
    assert datetime.fromisoformat(tokens["refreshTokenExpiresAt"]) > datetime.fromisoformat(
        tokens["accessTokenExpiresAt"]
    )


def test_me_answers_the_signed_in_person(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "me")
    assert account.client.data(ME) == {
        "me": {
            "id": account.id,
            "email": account.email,
            "name": "Me Tester",
            "role": "USER",
            "emailVerified": True,
            "mfaEnabled": False,
        }
    }


def test_me_without_a_token_is_unauthenticated(server: LiveServer) -> None:
    body = Client(server).gql(ME)
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert body["errors"][0]["message"] == "sign in first"


def test_a_successful_and_a_failed_login_are_audited(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "audited")
    assert (
        error_code(Client(server).gql(LOGIN, {"email": account.email, "password": "not-it-at-all"}))
        == "UNAUTHENTICATED"
    )
    kinds = [e["kind"] for e in mongo(settings).audit_events.find({"user_id": account.id}).sort("at", 1)]
    assert kinds == ["registered", "email_verified", "login_succeeded", "login_failed"]


def test_refresh_rotates_the_refresh_token_and_stores_only_hashes(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "refresh")
    rotated = Client(server).data(REFRESH, {"token": account.refresh_token})["refreshToken"]
    assert rotated["refreshToken"] != account.refresh_token
    assert Client(server, token=rotated["accessToken"]).data(ME)["me"]["id"] == account.id
    rows = list(mongo(settings).refresh_sessions.find({"user_id": account.id}))
    assert len(rows) == 2 and len({r["family_id"] for r in rows}) == 1
    assert account.refresh_token not in str(rows) and rotated["refreshToken"] not in str(rows)


def test_logout_revokes_the_access_token_at_once_and_the_refresh_token_too(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "logout")
    assert account.client.data("mutation { logout }") == {"logout": True}
    body = account.client.gql(ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["errors"][0]["message"] == "this session has ended; sign in again"
    assert error_code(Client(server).gql(REFRESH, {"token": account.refresh_token})) == "UNAUTHENTICATED"


def test_my_sessions_lists_each_signed_in_device_and_marks_this_one(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "devices")
    log_in(Client(server), account.email)
    sessions = account.client.data(SESSIONS)["mySessions"]
    assert len(sessions) == 2
    assert sorted(s["current"] for s in sessions) == [False, True]
    assert {s["userAgent"] for s in sessions} == {"migratio-tests"}


def test_revoke_session_ends_another_device_at_once(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "revoke")
    other = Client(server)
    log_in(other, account.email)
    [elsewhere] = [s for s in account.client.data(SESSIONS)["mySessions"] if not s["current"]]
    assert account.client.data("mutation($id: ID!) { revokeSession(id: $id) }", {"id": elsewhere["id"]}) == {
        "revokeSession": True
    }
    assert error_code(other.gql(ME)) == "UNAUTHENTICATED"
    assert account.client.data(ME)["me"]["id"] == account.id


def test_a_websocket_authenticates_with_the_token_in_connection_params(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "socket")
    with connect(server.ws_url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {account.client.token}"}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "query { me { id } }"}}))
        message = json.loads(ws.recv(timeout=10))
    assert message["payload"]["data"] == {"me": {"id": account.id}}


def test_after_logout_an_open_websocket_takes_no_new_subscription(server: LiveServer, settings: Settings) -> None:
    """The socket was accepted before the logout; its next subscribe re-checks the token and closes it with 4403,
    which graphql-ws clients answer by reconnecting with whatever token they now hold."""
    account = signed_up(server, settings, "socket-logout")
    with connect(server.ws_url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {account.client.token}"}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "query { me { id } }"}}))
        assert json.loads(ws.recv(timeout=10))["payload"]["data"] == {"me": {"id": account.id}}
        assert json.loads(ws.recv(timeout=10)) == {"id": "1", "type": "complete"}
        assert account.client.data("mutation { logout }") == {"logout": True}
        ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": "query { me { id } }"}}))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


def test_a_websocket_with_an_invalid_token_is_refused(server: LiveServer) -> None:
    with connect(server.ws_url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": "Bearer forged.token.here"}}))
        try:
            ws.recv(timeout=10)
            refused = False
        except Exception as closed:
            refused = getattr(closed, "rcvd", None) is not None and closed.rcvd.code == 4403  # type: ignore[attr-defined]
    assert refused


def test_a_wrong_password_is_unauthenticated_with_the_same_message_as_an_unknown_address(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "samemsg")
    wrong = Client(server).gql(LOGIN, {"email": account.email, "password": "not-" + PASSWORD})
    unknown = Client(server).gql(LOGIN, {"email": "nobody-" + account.email, "password": PASSWORD})
    assert wrong["errors"][0]["message"] == unknown["errors"][0]["message"] == "wrong email or password"
