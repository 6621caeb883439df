"""`exportMyData` and `deleteMyAccount`, and the purge that follows the grace period (run here with grace 0)."""

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from migratio import jobs
from migratio.settings import Settings
from tests.builders.accounts import LOGIN, ME, Client, error_code, mongo, signed_up, wait_for_mail
from tests.builders.quiz import completed
from tests.server import LiveServer, start_server

EXPORT = "mutation { exportMyData { url expiresAt } }"
DELETE = "mutation($password: String!) { deleteMyAccount(password: $password) { purgeAfter } }"
UPLOAD = """mutation($type: String!) {
  requestProfilePhotoUpload(contentType: $type) { url key fields { name value } }
}"""


@pytest.fixture(scope="module")
def no_grace(settings: Settings) -> Iterator[tuple[LiveServer, Settings]]:
    """A second API on the same database whose deletions are due at once."""
    immediate = settings.model_copy(update={"account_deletion_grace_s": 0})
    live = start_server(immediate)
    yield live, immediate
    live.stop()


def test_export_my_data_links_to_a_json_file_of_everything_held(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "export")
    account.client.data("mutation { updateProfile(input: {passportNumber: \"P1234567\"}) { id } }")
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
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN", "reason": "ACCOUNT_DELETION_SCHEDULED"}
    wait_for_mail(settings, account.email, "Your Migratio account will be deleted")


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
    assert httpx.post(upload["url"], data=fields, files={"file": ("a.png", b"png-bytes", "image/png")},
                      timeout=30).status_code == 204
    account.client.data("mutation($k: String!) { confirmProfilePhoto(key: $k) { id } }", {"k": upload["key"]})
    account.client.data(EXPORT)
    account.client.data(DELETE, {"password": account.password})
    db = mongo(settings)
    assert db.refresh_sessions.count_documents({"user_id": account.id}) > 0

    purged = asyncio.run(jobs.purge_deleted_accounts(settings))

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
    purged = asyncio.run(jobs.purge_deleted_accounts(settings))
    assert account.id not in purged
    assert mongo(settings).users.count_documents({"_id": account.id}) == 1


def _s3(settings: Settings):  # type: ignore[no-untyped-def]
    from datasources.storage import connect

    return connect(settings.s3_endpoint_url, settings.s3_region, settings.s3_access_key,
                   settings.s3_secret_key.get_secret_value(), settings.dependency_timeout_s)


def test_export_holds_and_purge_removes_the_persons_assessments(no_grace: tuple[LiveServer, Settings]) -> None:
    server, settings = no_grace
    account = signed_up(server, settings, "quiz-taker")
    assessment_id = completed(account.client)
    document = httpx.get(account.client.data(EXPORT)["exportMyData"]["url"], timeout=30).json()
    exported = document["assessments"]
    assert [a["id"] for a in exported["assessments"]] == [assessment_id]
    assert [s["assessment"] for s in exported["profileSnapshots"]] == [assessment_id]
    account.client.data(DELETE, {"password": account.password})

    assert account.id in asyncio.run(jobs.purge_deleted_accounts(settings))

    db = mongo(settings)
    assert db.assessments.count_documents({"owner_id": account.id}) == 0
    assert db.profile_snapshots.count_documents({"owner_id": account.id}) == 0
