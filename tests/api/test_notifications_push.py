"""Push specifics: devices registered and unregistered, tokens pruned when FCM answers UNREGISTERED, and what
the local FCM server refuses as FCM and Google's token endpoint do."""

import json

import httpx

from domain.notifications.model import Kind, Message
from migratio.settings import Settings
from migratio.wiring.notifications import fcm_credentials_file
from migratio.wiring.services import Services
from tests.builders.accounts import error_code, signed_up
from tests.builders.notifications import (
    REGISTER_DEVICE,
    app_removed,
    new_device_token,
    pushes_to,
    wait_until_sent,
)
from tests.server import LiveServer

MY_DEVICES = "{ myDevices { id platform } }"
UNREGISTER = "mutation($t: String!) { unregisterDevice(token: $t) }"
PUSH_ONLY = """mutation {
  updateNotificationPreferences(input: {preferences: [{kind: REPORT_READY, channels: [PUSH]}]}) { kind }
}"""


async def test_a_token_fcm_no_longer_knows_is_pruned_and_the_others_still_get_the_push(
    server: LiveServer, settings: Settings, services: Services
) -> None:
    person = signed_up(server, settings, "pruned")
    kept, removed = new_device_token(settings), new_device_token(settings)
    for token in (kept, removed):
        person.client.data(REGISTER_DEVICE, {"t": token})
    person.client.data(PUSH_ONLY)
    assert len(person.client.data(MY_DEVICES)["myDevices"]) == 2
    app_removed(settings, removed)

    message = Message(Kind.REPORT_READY, "Report ready", "Open it", deep_link="migratio://reports/r1")
    await services.notifications.notify(person.id, message, key="r1")
    [send] = wait_until_sent(settings, person.id, count=1)
    assert send["status"] == "sent" and send["provider_id"].startswith(f"projects/{settings.fcm_project_id}/messages/")
    assert [p["message"]["data"]["link"] for p in pushes_to(settings, kept)] == ["migratio://reports/r1"]
    assert pushes_to(settings, removed) == []
    assert await services.db["push_devices"].find_one({"_id": removed}) is None
    assert len(person.client.data(MY_DEVICES)["myDevices"]) == 1

    app_removed(settings, kept)
    await services.notifications.notify(person.id, message, key="r2")
    [second] = [s for s in wait_until_sent(settings, person.id, count=2) if s["_id"].startswith("report_ready:r2")]
    assert (second["status"], second["error"]) == ("skipped", "every device's token was unregistered (pruned)")
    assert person.client.data(MY_DEVICES)["myDevices"] == []


def test_devices_are_unregistered_only_by_their_owner(server: LiveServer, settings: Settings) -> None:
    owner, other = signed_up(server, settings, "owner"), signed_up(server, settings, "other")
    token = new_device_token(settings)
    registered = owner.client.data(REGISTER_DEVICE, {"t": token})["registerDevice"]
    assert registered["platform"] == "ANDROID"
    assert error_code(other.client.gql(UNREGISTER, {"t": token})) == "NOT_FOUND"
    assert len(owner.client.data(MY_DEVICES)["myDevices"]) == 1
    assert owner.client.data(UNREGISTER, {"t": token})["unregisterDevice"] is True
    assert owner.client.data(MY_DEVICES)["myDevices"] == []
    assert error_code(owner.client.gql(REGISTER_DEVICE, {"t": "has spaces"})) == "BAD_USER_INPUT"


def _access_token(settings: Settings) -> str:
    """A token the local endpoint issues for an assertion signed with the service account's key."""
    import time

    import jwt

    account = json.loads(fcm_credentials_file(settings).read_text())
    now = int(time.time())
    claims = {
        "iss": account["client_email"],
        "aud": "https://oauth2.googleapis.com/token",
        "scope": "https://www.googleapis.com/auth/firebase.messaging",
        "iat": now,
        "exp": now + 3600,
    }
    assertion = jwt.encode(claims, account["private_key"], "RS256", headers={"kid": account["private_key_id"]})
    grant = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion}
    answer = httpx.post(account["token_uri"], data=grant)
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


def test_the_local_fcm_checks_what_fcm_and_google_check(settings: Settings) -> None:
    account = json.loads(fcm_credentials_file(settings).read_text())
    send_url = f"{settings.fcm_base_url}/v1/projects/{settings.fcm_project_id}/messages:send"
    token = new_device_token(settings)
    message = {"token": token, "notification": {"title": "t", "body": "b"}, "data": {"link": "migratio://x"}}

    assert httpx.post(send_url, json={"message": message}).status_code == 401  # no bearer token
    stranger = jwt_signed_by_another_key(account)
    refused = httpx.post(account["token_uri"], data=stranger)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"

    bearer = {"Authorization": f"Bearer {_access_token(settings)}"}
    other_project = send_url.replace(settings.fcm_project_id, "someone-else")
    assert httpx.post(other_project, json={"message": message}, headers=bearer).status_code == 403
    too_big = {**message, "data": {"blob": "x" * 5000}}
    assert httpx.post(send_url, json={"message": too_big}, headers=bearer).status_code == 400
    not_strings = {**message, "data": {"n": 1}}
    assert httpx.post(send_url, json={"message": not_strings}, headers=bearer).status_code == 400
    two_targets = {**message, "topic": "news"}
    assert httpx.post(send_url, json={"message": two_targets}, headers=bearer).status_code == 400
    unknown = httpx.post(send_url, json={"message": {**message, "token": "gone"}}, headers=bearer)
    assert unknown.status_code == 404 and unknown.json()["error"]["details"][0]["errorCode"] == "UNREGISTERED"
    accepted = httpx.post(send_url, json={"message": message}, headers=bearer)
    assert accepted.status_code == 200 and accepted.json()["name"] == pushes_to(settings, token)[0]["name"]


def jwt_signed_by_another_key(account: dict[str, str]) -> dict[str, str]:
    import time

    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {
        "iss": account["client_email"],
        "aud": "https://oauth2.googleapis.com/token",
        "scope": "https://www.googleapis.com/auth/firebase.messaging",
        "iat": now,
        "exp": now + 3600,
    }
    assertion = jwt.encode(claims, key, "RS256", headers={"kid": account["private_key_id"]})
    return {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion}
