"""`exportMyData`, `deleteMyAccount` and `cancelAccountDeletion`, and the purge that follows the grace period
(run here with a grace of 0 or a few seconds)."""

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyotp
import pytest

from domain.notifications.model import Kind, Message
from migratio.admin import tasks
from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import (
    LOGIN,
    ME,
    PASSWORD,
    Client,
    error_code,
    mails_to,
    mongo,
    signed_up,
    wait_for_mail,
)
from tests.builders.notifications import wait_until_sent
from tests.builders.quiz import completed
from tests.server import LiveServer, start_server

EXPORT = "mutation { exportMyData { url expiresAt } }"
DELETE = "mutation($password: String!) { deleteMyAccount(password: $password) { purgeAfter } }"
CANCEL = "mutation($token: String!) { cancelAccountDeletion(cancelToken: $token) { accessToken refreshToken } }"
SECOND_STEP = "mutation($t: String!, $code: String!) { loginWithMfa(mfaToken: $t, code: $code) { accessToken } }"
UPLOAD = """mutation($type: String!) {
  requestProfilePhotoUpload(contentType: $type) { url key fields { name value } }
}"""


@pytest.fixture(scope="module")
def short_grace(settings: Settings) -> Iterator[tuple[LiveServer, Settings]]:
    """A second API on the same database whose deletions fall due seconds later, while a test waits: long
    enough for the few requests made within the grace, no longer (the test waits it out)."""
    brief = settings.model_copy(update={"account_deletion_grace_s": 3})
    live = start_server(brief)
    yield live, brief
    live.stop()


@pytest.fixture(scope="module")
def no_grace(settings: Settings) -> Iterator[tuple[LiveServer, Settings]]:
    """A second API on the same database whose deletions are due at once."""
    immediate = settings.model_copy(update={"account_deletion_grace_s": 0})
    live = start_server(immediate)
    yield live, immediate
    live.stop()


def test_export_my_data_links_to_a_json_file_of_everything_held(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "export")
    account.client.data('mutation { updateProfile(input: {passportNumber: "P1234567"}) { id } }')
    export = account.client.data(EXPORT)["exportMyData"]
    document = httpx.get(export["url"], timeout=30).json()
    assert document["account"]["email"] == account.email
    assert document["account"]["passportNumber"] == "P1234567"
    assert {"sessions", "securityEvents", "files", "pendingLinks"} <= set(document)
    assert [e["kind"] for e in document["securityEvents"]][:3] == ["registered", "email_verified", "login_succeeded"]
    assert "password_hash" not in str(document) and "$argon2" not in str(document)
    assert mongo(settings).audit_events.count_documents({"user_id": account.id, "kind": "data_exported"}) == 1


def test_delete_my_account_signs_out_everywhere_and_schedules_the_purge(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "deleting")
    purge_after = account.client.data(DELETE, {"password": account.password})["deleteMyAccount"]["purgeAfter"]
    stored = mongo(settings).users.find_one({"_id": account.id})
    assert stored is not None  # Mongo keeps milliseconds
    assert abs(stored["purge_after"] - datetime.fromisoformat(purge_after)) < timedelta(milliseconds=1)
    assert datetime.fromisoformat(purge_after) - stored["deletion_requested_at"] > timedelta(days=29)
    assert error_code(account.client.gql(ME)) == "UNAUTHENTICATED"
    body = Client(server).gql(LOGIN, {"email": account.email, "password": account.password})
    refusal = body["errors"][0]["extensions"]
    assert (refusal["code"], refusal["reason"]) == ("FORBIDDEN", "ACCOUNT_DELETION_SCHEDULED")
    assert abs(datetime.fromisoformat(refusal["purgeAfter"]) - datetime.fromisoformat(purge_after)) < timedelta(
        milliseconds=1
    )
    assert len(refusal["cancelToken"]) > 40
    wait_for_mail(settings, account.email, "Your Migratio account will be deleted")
    [notice] = wait_until_sent(settings, account.id, count=1)  # a security alert, though the account is leaving
    assert (notice["kind"], notice["channel"], notice["status"]) == ("security_alert", "email", "sent")


async def test_an_account_scheduled_for_deletion_is_sent_security_alerts_only(
    server: LiveServer, settings: Settings, services: Services
) -> None:
    account = signed_up(server, settings, "leaving")
    account.client.data(DELETE, {"password": account.password})
    report = Message(Kind.REPORT_READY, "Your report is ready", "Download it from your roadmap.")
    alert = Message(Kind.SECURITY_ALERT, "New sign-in attempt", "Someone tried to sign in.")
    for message in (report, alert):
        await services.notifications.notify(account.id, message, key=f"leaving-{message.kind}")
    sends = {s["message"]["title"]: s for s in wait_until_sent(settings, account.id, count=3)}
    assert {title: s["status"] for title, s in sends.items()} == {
        "Your Migratio account will be deleted": "sent",
        "Your report is ready": "skipped",
        "New sign-in attempt": "sent",
    }
    assert sends["Your report is ready"]["error"] == "the account is scheduled for deletion"
    wait_for_mail(settings, account.email, "New sign-in attempt")
    assert "Your report is ready" not in mails_to(settings, account.email)


def _refusal(client: Client, email: str, password: str = PASSWORD) -> dict[str, Any]:
    """Signing in during the grace period: refused, with the token that keeps the account."""
    [error] = client.gql(LOGIN, {"email": email, "password": password})["errors"]
    extensions: dict[str, Any] = error["extensions"]
    assert (extensions["code"], extensions["reason"]) == ("FORBIDDEN", "ACCOUNT_DELETION_SCHEDULED")
    return extensions


def test_signing_in_during_the_grace_period_keeps_the_account_and_the_purge_spares_it(
    short_grace: tuple[LiveServer, Settings],
) -> None:
    server, settings = short_grace
    kept, gone = signed_up(server, settings, "kept"), signed_up(server, settings, "gone")
    kept.client.data(DELETE, {"password": kept.password})
    purge_after = gone.client.data(DELETE, {"password": gone.password})["deleteMyAccount"]["purgeAfter"]
    device = Client(server)

    tokens = device.data(CANCEL, {"token": _refusal(device, kept.email)["cancelToken"]})["cancelAccountDeletion"]

    device.token = tokens["accessToken"]
    assert device.data(ME)["me"]["email"] == kept.email
    stored = mongo(settings).users.find_one({"_id": kept.id})
    assert stored is not None and (stored["deletion_requested_at"], stored["purge_after"]) == (None, None)
    assert mongo(settings).audit_events.count_documents({"user_id": kept.id, "kind": "deletion_cancelled"}) == 1
    wait_for_mail(settings, kept.email, "Your Migratio account will not be deleted")
    titles = sorted(s["message"]["title"] for s in wait_until_sent(settings, kept.id, count=2))
    assert titles == ["Your Migratio account will be deleted", "Your Migratio account will not be deleted"]
    # the behaviour under test: the purge after the grace has passed (same clock: a few ms past is enough)
    time.sleep(max(0.0, (datetime.fromisoformat(purge_after) - datetime.now(UTC)).total_seconds()) + 0.05)
    purged = asyncio.run(tasks.purge_deleted_accounts(settings))
    assert gone.id in purged and kept.id not in purged
    assert device.data(ME)["me"]["email"] == kept.email


def test_cancelling_when_no_deletion_is_pending_is_refused_and_changes_nothing(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "twice")
    account.client.data(DELETE, {"password": account.password})
    first, second = (_refusal(Client(server), account.email)["cancelToken"] for _ in range(2))
    Client(server).data(CANCEL, {"token": first})
    before = mongo(settings).users.find_one({"_id": account.id})

    body = Client(server).gql(CANCEL, {"token": second})

    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "cancelToken"}
    assert error["message"] == "no deletion of this account is pending"
    assert mongo(settings).users.find_one({"_id": account.id}) == before
    assert mongo(settings).audit_events.count_documents({"user_id": account.id, "kind": "deletion_cancelled"}) == 1


def test_once_the_grace_period_is_over_the_deletion_cannot_be_cancelled(no_grace: tuple[LiveServer, Settings]) -> None:
    server, settings = no_grace
    account = signed_up(server, settings, "toolate")
    account.client.data(DELETE, {"password": account.password})
    before = mongo(settings).users.find_one({"_id": account.id})

    body = Client(server).gql(CANCEL, {"token": _refusal(Client(server), account.email)["cancelToken"]})

    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "cancelToken"}
    assert error["message"] == "the grace period is over; the account is being deleted"
    assert mongo(settings).users.find_one({"_id": account.id}) == before


def test_a_used_or_forged_cancel_token_is_refused(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "reused")
    account.client.data(DELETE, {"password": account.password})
    token = _refusal(Client(server), account.email)["cancelToken"]
    device = Client(server)
    device.token = device.data(CANCEL, {"token": token})["cancelAccountDeletion"]["accessToken"]
    device.data(DELETE, {"password": account.password})  # scheduled again: the spent token must not cancel this
    before = mongo(settings).users.find_one({"_id": account.id})
    for attempt in (token, token[:-4] + "AAAA"):
        body = Client(server).gql(CANCEL, {"token": attempt})
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "cancelToken"}
    assert mongo(settings).users.find_one({"_id": account.id}) == before


def test_with_mfa_keeping_the_account_is_offered_only_after_the_second_factor(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "mfakeep")
    secret = account.client.data("mutation { enrollMfa { secret } }")["enrollMfa"]["secret"]
    codes = account.client.data(
        "mutation($code: String!) { confirmMfa(code: $code) { recoveryCodes } }", {"code": pyotp.TOTP(secret).now()}
    )["confirmMfa"]["recoveryCodes"]
    account.client.data(DELETE, {"password": account.password})
    device = Client(server)

    challenge = device.data(LOGIN, {"email": account.email, "password": account.password})["login"]

    assert challenge["__typename"] == "MfaChallenge"
    [error] = device.gql(SECOND_STEP, {"t": challenge["mfaToken"], "code": codes[0]})["errors"]
    assert error["extensions"]["reason"] == "ACCOUNT_DELETION_SCHEDULED"
    tokens = device.data(CANCEL, {"token": error["extensions"]["cancelToken"]})["cancelAccountDeletion"]
    assert Client(server, token=tokens["accessToken"]).data(ME)["me"]["email"] == account.email


def test_delete_my_account_with_a_wrong_password_changes_nothing(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "keep")
    before = mongo(settings).users.find_one({"_id": account.id})
    body = account.client.gql(DELETE, {"password": "not-my-password"})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "password"}
    assert mongo(settings).users.find_one({"_id": account.id}) == before


def test_purge_removes_the_account_its_records_and_its_files(no_grace: tuple[LiveServer, Settings]) -> None:
    server, settings = no_grace
    account = signed_up(server, settings, "purged")
    upload = account.client.data(UPLOAD, {"type": "image/png"})["requestProfilePhotoUpload"]
    fields = {f["name"]: f["value"] for f in upload["fields"]}
    assert (
        httpx.post(
            upload["url"], data=fields, files={"file": ("a.png", b"png-bytes", "image/png")}, timeout=30
        ).status_code
        == 204
    )
    account.client.data("mutation($k: String!) { confirmProfilePhoto(key: $k) { id } }", {"k": upload["key"]})
    account.client.data(EXPORT)
    account.client.data(DELETE, {"password": account.password})
    db = mongo(settings)
    assert db.refresh_sessions.count_documents({"user_id": account.id}) > 0

    purged = asyncio.run(tasks.purge_deleted_accounts(settings))

    assert account.id in purged
    assert db.users.count_documents({"_id": account.id}) == 0
    assert db.refresh_sessions.count_documents({"user_id": account.id}) == 0
    assert db.one_time_tokens.count_documents({"user_id": account.id}) == 0
    assert [e["kind"] for e in db.audit_events.find({"user_id": account.id})] == ["account_purged"]
    s3 = _s3(settings)
    assert s3.list_objects_v2(Bucket=settings.s3_bucket, Prefix=f"users/{account.id}/")["KeyCount"] == 0


def test_purge_leaves_accounts_still_in_their_grace_period(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "graced")
    account.client.data(DELETE, {"password": account.password})
    purged = asyncio.run(tasks.purge_deleted_accounts(settings))
    assert account.id not in purged
    assert mongo(settings).users.count_documents({"_id": account.id}) == 1


def _s3(settings: Settings):  # type: ignore[no-untyped-def]
    from datasources.storage import connect

    return connect(
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_access_key,
        settings.s3_secret_key.get_secret_value(),
        settings.dependency_timeout_s,
    )


def test_export_holds_and_purge_removes_the_persons_assessments(no_grace: tuple[LiveServer, Settings]) -> None:
    server, settings = no_grace
    account = signed_up(server, settings, "quiz-taker")
    assessment_id = completed(account.client)
    document = httpx.get(account.client.data(EXPORT)["exportMyData"]["url"], timeout=30).json()
    exported = document["assessments"]
    assert [a["id"] for a in exported["assessments"]] == [assessment_id]
    assert [s["assessment"] for s in exported["profileSnapshots"]] == [assessment_id]
    account.client.data(DELETE, {"password": account.password})

    assert account.id in asyncio.run(tasks.purge_deleted_accounts(settings))

    db = mongo(settings)
    assert db.assessments.count_documents({"owner_id": account.id}) == 0
    assert db.profile_snapshots.count_documents({"owner_id": account.id}) == 0
