"""The local Twilio and FCM servers' test hooks, phone numbers nobody else uses, and waiting for sends."""

from __future__ import annotations

import random
import time
from typing import Any

import httpx
import phonenumbers

from migratio.settings import Settings
from tests.builders.accounts import Account, mongo

ADD_PHONE = "mutation($n: String!) { addPhoneNumber(input: {number: $n}) { number expiresAt } }"
VERIFY_PHONE = "mutation($c: String!) { verifyPhoneNumber(input: {code: $c}) { number verifiedAt } }"
REGISTER_DEVICE = "mutation($t: String!) { registerDevice(input: {platform: ANDROID, token: $t}) { id platform } }"
UPDATE_PREFERENCES = """mutation($p: [NotificationPreferenceInput!]!) {
  updateNotificationPreferences(input: {preferences: $p}) { kind channels alwaysOn }
}"""
MY_NOTIFICATIONS = """{ me { notifications(first: 50) {
  id kind channel status providerId error attempts title
} } }"""
TERMINAL = {"SENT", "DELIVERED", "FAILED", "SKIPPED"}


def unique_number() -> str:
    """A valid US number (E.164) that no other test texts."""
    while True:
        number = f"+1415{random.randrange(2_000_000, 9_999_999)}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def texts_to(settings: Settings, number: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = httpx.get(
        f"{settings.twilio_base_url}/_fake/messages", params={"to": number}, timeout=5
    ).json()
    return found


def wait_for_text(settings: Settings, number: str, count: int = 1, timeout_s: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        found = texts_to(settings, number)
        if len(found) >= count:
            return found[count - 1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no text #{count} to {number}; got {found}")
        time.sleep(0.1)


def code_in(text: dict[str, Any]) -> str:
    return str(text["body"]).rstrip(".").split()[-1]


def verified_phone(settings: Settings, person: Account) -> str:
    number = unique_number()
    person.client.data(ADD_PHONE, {"n": number})
    person.client.data(VERIFY_PHONE, {"c": code_in(wait_for_text(settings, number))})
    return number


def new_device_token(settings: Settings) -> str:
    """A registration token the local FCM knows, as the app's SDK would get one."""
    token: str = httpx.post(f"{settings.fcm_base_url}/_fake/devices", timeout=5).json()["token"]
    return token


def app_removed(settings: Settings, token: str) -> None:
    httpx.delete(f"{settings.fcm_base_url}/_fake/devices/{token}", timeout=5).raise_for_status()


def pushes_to(settings: Settings, token: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = httpx.get(
        f"{settings.fcm_base_url}/_fake/messages", params={"token": token}, timeout=5
    ).json()
    return found


def texts_fail(settings: Settings, number: str, times: int = 1000) -> None:
    httpx.post(f"{settings.twilio_base_url}/_fake/fail", json={"to": number, "times": times}, timeout=5)


def twilio_posts(settings: Settings, hook: str, payload: dict[str, Any]) -> int:
    """Have the local Twilio post a signed webhook (`status` or `inbound`); the status code our app answered."""
    answer = httpx.post(f"{settings.twilio_base_url}/_fake/{hook}", json=payload, timeout=15)
    answer.raise_for_status()
    status: int = answer.json()["answered"]
    return status


def sends_of(settings: Settings, user_id: str) -> list[dict[str, Any]]:
    """The person's sends but the sign-up's verification mail (every account made by `signed_up` has one)."""
    sends = mongo(settings)["notification_sends"].find({"user_id": user_id})
    return [s for s in sends if (s["kind"], s["channel"]) != ("verification", "email")]


def wait_until_sent(settings: Settings, user_id: str, count: int, timeout_s: float = 40) -> list[dict[str, Any]]:
    """The person's sends once `count` of them are recorded and each has reached a final status."""
    deadline = time.monotonic() + timeout_s
    while True:
        sends = sends_of(settings, user_id)
        if len(sends) >= count and all(s["status"] in {t.lower() for t in TERMINAL} for s in sends):
            return sends
        if time.monotonic() > deadline:
            raise AssertionError(f"sends of {user_id} not final: {[(s['_id'], s['status']) for s in sends]}")
        time.sleep(0.2)
