"""Account notices through the notification use case: the verification and reset links by e-mail only, always,
security alerts on the channels the person chose for them (never none), each recorded once in the send log."""

import time

import pytest

from migratio.settings import Settings
from tests.builders.accounts import (
    PASSWORD,
    REGISTER,
    VERIFY,
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
from tests.builders.notifications import MY_NOTIFICATIONS, UPDATE_PREFERENCES, verified_phone, wait_for_text
from tests.server import LiveServer

pytestmark = pytest.mark.usefixtures("worker")  # phone verification codes are texted by the module's worker

CONFIRM = "Confirm your email address"
CHANGED = "Your Migratio password was changed"
RESET_SUBJECT = "Reset your Migratio password"
REQUEST_RESET = "mutation($email: String!) { requestPasswordReset(email: $email) }"
CHANGE = "mutation($input: ChangePasswordInput!) { changePassword(input: $input) }"
NEW_PASSWORD = "a-brand-new-passphrase-7"
SETTLE_S = 1.0  # long enough for a second, duplicate mail to show up in the sink


def _log(client: Client) -> list[dict[str, object]]:
    sends: list[dict[str, object]] = client.data(MY_NOTIFICATIONS)["me"]["notifications"]
    return sends


def test_a_verification_mail_is_sent_once_and_shown_in_the_send_log(server: LiveServer, settings: Settings) -> None:
    client = Client(server)
    email = unique_email("verifylog")
    client.data(REGISTER, {"input": {"email": email, "password": PASSWORD, "name": "Log Tester"}})
    client.data(VERIFY, {"token": link_token(wait_for_mail(settings, email, CONFIRM))})
    log_in(client, email)
    time.sleep(SETTLE_S)
    assert mails_to(settings, email) == [CONFIRM]
    [send] = _log(client)
    assert {k: send[k] for k in ("kind", "channel", "status", "title", "attempts")} == {
        "kind": "VERIFICATION",
        "channel": "EMAIL",
        "status": "SENT",
        "title": CONFIRM,
        "attempts": 1,
    }
    stored = mongo(settings)["notification_sends"].find_one({"_id": send["id"]})
    assert stored is not None and "token=" not in stored["message"]["body"]  # the link is not kept once sent


def test_a_reset_link_goes_by_email_once_and_is_logged(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "resetlog")
    assert Client(server).data(REQUEST_RESET, {"email": person.email}) == {"requestPasswordReset": True}
    wait_for_mail(settings, person.email, RESET_SUBJECT)
    time.sleep(SETTLE_S)
    assert mails_to(settings, person.email).count(RESET_SUBJECT) == 1
    kinds = [(s["kind"], s["channel"], s["status"]) for s in _log(person.client)]
    assert kinds == [("PASSWORD_RESET", "EMAIL", "SENT"), ("VERIFICATION", "EMAIL", "SENT")]


def test_verification_and_reset_stay_email_only_and_alerts_stay_on(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "emailonly")
    for kind, channels in [
        ("VERIFICATION", ["SMS"]),
        ("PASSWORD_RESET", []),
        ("PASSWORD_RESET", ["EMAIL", "PUSH"]),
        ("SECURITY_ALERT", []),
    ]:
        answer = person.client.gql(UPDATE_PREFERENCES, {"p": [{"kind": kind, "channels": channels}]})
        assert error_code(answer) == "BAD_USER_INPUT", (kind, channels)
        assert answer["errors"][0]["extensions"]["field"] == "channels"
    shown = {
        p["kind"]: p
        for p in person.client.data("{ notificationPreferences { kind channels alwaysOn } }")["notificationPreferences"]
    }
    assert shown["VERIFICATION"] == {"kind": "VERIFICATION", "channels": ["EMAIL"], "alwaysOn": True}
    assert shown["PASSWORD_RESET"] == {"kind": "PASSWORD_RESET", "channels": ["EMAIL"], "alwaysOn": True}
    assert shown["SECURITY_ALERT"] == {"kind": "SECURITY_ALERT", "channels": ["EMAIL"], "alwaysOn": True}


def test_a_password_change_alert_goes_where_the_person_chose(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "alertsms")
    number = verified_phone(settings, person)
    person.client.data(UPDATE_PREFERENCES, {"p": [{"kind": "SECURITY_ALERT", "channels": ["SMS"]}]})
    person.client.data(CHANGE, {"input": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}})
    text = wait_for_text(settings, number, count=2)  # the first was the number's verification code
    assert text["body"].startswith("Your password was just changed")
    time.sleep(SETTLE_S)
    assert CHANGED not in mails_to(settings, person.email)
    alerts = [(s["channel"], s["status"], s["title"]) for s in _log(person.client) if s["kind"] == "SECURITY_ALERT"]
    assert alerts == [("SMS", "SENT", CHANGED)]
