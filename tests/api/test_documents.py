"""Documents over HTTP: presigned uploads the store itself polices, confirmation by HEAD, review by the
assigned advisor, expiring share links, deletion of the file with its record."""

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, admin, error_code, mongo, signed_up, with_role
from tests.builders.roadmaps import (
    CLIENT_DOCUMENTS,
    CONFIRM_UPLOAD,
    DELETE,
    MY_DOCUMENTS,
    PDF_BYTES,
    READ,
    READ_DOCUMENT,
    REJECT,
    REQUEST_UPLOAD,
    SHARE,
    START_REVIEW,
    VERIFY,
    applicant,
    create_roadmap,
    upload,
    uploaded,
)
from tests.builders.stripe_events import subscribed
from tests.server import LiveServer

ASSIGN = "mutation($c: ID!, $a: ID) { assignAdvisor(clientId: $c, advisorId: $a) { id advisorId } }"


@pytest.fixture(scope="module")
def boss(server: LiveServer, settings: Settings) -> Account:
    return admin(server, settings)


@pytest.fixture(scope="module")
def advisor(server: LiveServer, settings: Settings, boss: Account) -> Account:
    return with_role(server, settings, boss, "ADVISOR", "docadvisor")


@pytest.fixture(scope="module")
def owner(server: LiveServer, settings: Settings, seeded: Services, boss: Account, advisor: Account) -> Account:
    """On the Advisor-assisted plan, which includes the review."""
    account = signed_up(server, settings, "docowner")
    boss.client.data(ASSIGN, {"c": account.id, "a": advisor.id})
    subscribed(server.url, account.id, "advisor")
    return account


def _objects(services: Services, owner: Account) -> list[str]:
    client = services.store.client
    listed = client.list_objects_v2(Bucket=services.settings.s3_bucket, Prefix=f"users/{owner.id}/documents/")
    return [item["Key"] for item in listed.get("Contents", [])]


def _uploads(services: Services, owner: Account) -> list[str]:
    listed = services.store.client.list_objects_v2(
        Bucket=services.settings.s3_bucket, Prefix=f"users/{owner.id}/uploads/"
    )
    return [item["Key"] for item in listed.get("Contents", [])]


def _documents(settings: Settings, owner: Account) -> list[dict[str, Any]]:
    return list(mongo(settings)["documents"].find({"owner_id": owner.id}).sort("_id"))


def _holdings(settings: Settings, services: Services, owner: Account) -> tuple[list[dict[str, Any]], list[str]]:
    """What is recorded and stored for the owner: a refusal must leave both as they were."""
    return _documents(settings, owner), sorted(_objects(services, owner))


def test_an_upload_within_its_policy_is_confirmed_from_the_store_and_recorded(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    services = seeded
    owner = signed_up(server, settings, "uploader")
    sent = upload(owner, PDF_BYTES, category="police_certificates:IN")
    assert sent.response.status_code == 204
    document = owner.client.data(CONFIRM_UPLOAD, {"id": sent.id})["confirmDocumentUpload"]
    assert document == {
        "id": sent.id,
        "category": "police_certificates:IN",
        "contentType": "application/pdf",
        "sizeBytes": len(PDF_BYTES),
        "status": "UPLOADED",
        "rejectionReason": None,
    }
    [stored] = _documents(settings, owner)
    assert stored["object_key"] == f"users/{owner.id}/documents/{sent.id}/{stored['version']}"
    assert stored["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert _objects(services, owner) == [stored["object_key"]]
    assert _uploads(services, owner) == []  # the form's upload was moved to its version
    again = owner.client.data(CONFIRM_UPLOAD, {"id": sent.id})["confirmDocumentUpload"]
    assert again == document
    assert _documents(settings, owner) == [stored]
    assert owner.client.data(MY_DOCUMENTS)["myDocuments"] == [document]


def test_a_file_larger_than_declared_is_refused_by_the_store_and_nothing_is_recorded(
    owner: Account, settings: Settings, services: Services
) -> None:
    before = _holdings(settings, services, owner)
    sent = upload(owner, PDF_BYTES, declared=1000)
    assert sent.response.status_code == 400
    assert "EntityTooLarge" in sent.response.text
    assert error_code(owner.client.gql(CONFIRM_UPLOAD, {"id": sent.id})) == "NOT_FOUND"
    assert _holdings(settings, services, owner) == before


def test_a_size_over_the_limit_is_refused_before_any_upload(owner: Account, settings: Settings) -> None:
    body = owner.client.gql(
        REQUEST_UPLOAD, {"category": "passport", "type": "application/pdf", "size": settings.document_max_bytes + 1}
    )
    assert error_code(body) == "BAD_USER_INPUT" and body["errors"][0]["extensions"]["field"] == "size"


def test_a_content_type_outside_the_accepted_list_is_refused(
    owner: Account, settings: Settings, services: Services
) -> None:
    before = _holdings(settings, services, owner)
    body = owner.client.gql(REQUEST_UPLOAD, {"category": "passport", "type": "application/x-msdownload", "size": 10})
    assert error_code(body) == "BAD_USER_INPUT" and body["errors"][0]["extensions"]["field"] == "contentType"
    assert _holdings(settings, services, owner) == before


def test_a_file_sent_with_another_type_than_its_policy_is_refused_by_the_store(
    owner: Account, settings: Settings, services: Services
) -> None:
    before = _holdings(settings, services, owner)
    sent = upload(owner, PDF_BYTES, content_type="application/pdf", sent_type="text/html")
    assert sent.response.status_code == 403
    assert error_code(owner.client.gql(CONFIRM_UPLOAD, {"id": sent.id})) == "NOT_FOUND"
    assert _holdings(settings, services, owner) == before


def test_an_unknown_category_is_refused(owner: Account) -> None:
    body = owner.client.gql(REQUEST_UPLOAD, {"category": "love_letters", "type": "application/pdf", "size": 10})
    assert error_code(body) == "BAD_USER_INPUT" and body["errors"][0]["extensions"]["field"] == "category"


def test_the_assigned_advisor_verifies_a_document_and_the_checklist_item_is_done(
    server: LiveServer, settings: Settings, seeded: Services, boss: Account, advisor: Account
) -> None:
    person = applicant(server, settings, "checklisted")
    boss.client.data(ASSIGN, {"c": person.id, "a": advisor.id})
    subscribed(server.url, person.id, "advisor")
    roadmap = create_roadmap(person, date(2026, 1, 5))
    document = uploaded(person, "police_certificates:IN")
    assert [d["id"] for d in advisor.client.data(CLIENT_DOCUMENTS, {"id": person.id})["clientDocuments"]] == [
        document["id"]
    ]
    assert advisor.client.data(START_REVIEW, {"id": document["id"]})["startDocumentReview"]["status"] == "IN_REVIEW"
    assert advisor.client.data(VERIFY, {"id": document["id"]})["verifyDocument"]["status"] == "VERIFIED"
    after = person.client.data(READ, {"id": roadmap["id"]})["roadmap"]
    done = [item["key"] for item in after["checklist"] if item["done"]]
    assert done == ["police_certificates:IN"]
    assert after["checklistPercent"] == 12  # 1 of 8


def test_a_rejection_needs_a_reason_and_keeps_it(owner: Account, advisor: Account) -> None:
    document = uploaded(owner)
    advisor.client.data(START_REVIEW, {"id": document["id"]})
    body = advisor.client.gql(REJECT, {"id": document["id"], "reason": "   "})
    assert error_code(body) == "BAD_USER_INPUT"
    rejected = advisor.client.data(REJECT, {"id": document["id"], "reason": "The scan is cut off"})["rejectDocument"]
    assert (rejected["status"], rejected["rejectionReason"]) == ("REJECTED", "The scan is cut off")
    assert owner.client.data(READ_DOCUMENT, {"id": document["id"]})["document"]["status"] == "REJECTED"


def test_a_document_cannot_be_verified_before_review(owner: Account, advisor: Account) -> None:
    document = uploaded(owner)
    assert error_code(advisor.client.gql(VERIFY, {"id": document["id"]})) == "BAD_USER_INPUT"
    assert owner.client.data(READ_DOCUMENT, {"id": document["id"]})["document"]["status"] == "UPLOADED"


def test_an_advisor_who_is_not_assigned_cannot_review_and_nothing_changes(
    server: LiveServer, settings: Settings, owner: Account, boss: Account
) -> None:
    other_advisor = with_role(server, settings, boss, "ADVISOR", "otheradvisor")
    document = uploaded(owner)
    assert error_code(other_advisor.client.gql(START_REVIEW, {"id": document["id"]})) == "NOT_FOUND"
    assert error_code(other_advisor.client.gql(CLIENT_DOCUMENTS, {"id": owner.id})) == "NOT_FOUND"
    assert error_code(owner.client.gql(START_REVIEW, {"id": document["id"]})) == "FORBIDDEN"
    assert owner.client.data(READ_DOCUMENT, {"id": document["id"]})["document"]["status"] == "UPLOADED"


def test_a_share_link_opens_the_file_and_says_when_it_expires(owner: Account) -> None:
    document = uploaded(owner)
    link = owner.client.data(SHARE, {"id": document["id"], "minutes": 30})["createDocumentShareLink"]
    assert parse_qs(urlsplit(link["url"]).query)["X-Amz-Expires"] == ["1800"]
    response = httpx.get(link["url"], timeout=30)
    assert response.status_code == 200 and response.content == PDF_BYTES
    body = owner.client.gql(SHARE, {"id": document["id"], "minutes": 8 * 24 * 60})
    assert error_code(body) == "BAD_USER_INPUT"


def test_someone_elses_document_cannot_be_read_shared_confirmed_or_deleted(
    server: LiveServer, settings: Settings, owner: Account, services: Services
) -> None:
    document = uploaded(owner)
    before = _holdings(settings, services, owner)
    stranger = signed_up(server, settings, "docsnoop")
    for query, variables in (
        (READ_DOCUMENT, {"id": document["id"]}),
        (SHARE, {"id": document["id"], "minutes": 5}),
        (CONFIRM_UPLOAD, {"id": document["id"]}),
        (DELETE, {"id": document["id"]}),
    ):
        assert error_code(stranger.client.gql(query, variables)) == "NOT_FOUND", query
    assert _holdings(settings, services, owner) == before
    assert any(key.startswith(f"users/{owner.id}/documents/{document['id']}/") for key in before[1])
    assert mongo(settings)["documents"].count_documents({"owner_id": stranger.id}) == 0


def test_deleting_a_document_removes_its_file_too(owner: Account, settings: Settings, services: Services) -> None:
    document = uploaded(owner)
    key = mongo(settings)["documents"].find_one({"_id": document["id"]})["object_key"]  # type: ignore[index]
    assert key in _objects(services, owner)
    assert owner.client.data(DELETE, {"id": document["id"]}) == {"deleteDocument": True}
    assert document["id"] not in [d["_id"] for d in _documents(settings, owner)]
    assert key not in _objects(services, owner)
    assert error_code(owner.client.gql(READ_DOCUMENT, {"id": document["id"]})) == "NOT_FOUND"


OTHER_BYTES = b"%PDF-1.4\n" + b"1" * 2000 + b"\n%%EOF\n"  # as long as PDF_BYTES: the same form accepts it


def _form(account: Account) -> tuple[str, str, dict[str, str]]:
    ticket = account.client.data(
        REQUEST_UPLOAD, {"category": "passport", "type": "application/pdf", "size": len(PDF_BYTES)}
    )["requestDocumentUpload"]
    return ticket["id"], ticket["url"], {f["name"]: f["value"] for f in ticket["fields"]}


def _post(url: str, fields: dict[str, str], body: bytes) -> int:
    return httpx.post(url, data=fields, files={"file": ("upload.pdf", body, "application/pdf")}, timeout=30).status_code


def _share(account: Account, document_id: str) -> str:
    url: str = account.client.data(SHARE, {"id": document_id, "minutes": 30})["createDocumentShareLink"]["url"]
    return url


def test_a_form_posted_again_cannot_change_a_verified_document(
    owner: Account, advisor: Account, settings: Settings
) -> None:
    document_id, url, fields = _form(owner)
    assert _post(url, fields, PDF_BYTES) == 204
    owner.client.data(CONFIRM_UPLOAD, {"id": document_id})
    advisor.client.data(START_REVIEW, {"id": document_id})
    advisor.client.data(VERIFY, {"id": document_id})
    link = _share(owner, document_id)

    assert _post(url, fields, OTHER_BYTES) == 204  # the store still takes the form until it expires...
    assert httpx.get(link, timeout=30).content == PDF_BYTES  # ...but what was reviewed is not where it writes
    assert httpx.get(_share(owner, document_id), timeout=30).content == PDF_BYTES
    assert owner.client.data(READ_DOCUMENT, {"id": document_id})["document"]["status"] == "VERIFIED"

    confirmed = owner.client.data(CONFIRM_UPLOAD, {"id": document_id})["confirmDocumentUpload"]

    assert confirmed["status"] == "UPLOADED"  # a new version, pending review
    read = owner.client.data("query($id: ID!) { document(id: $id) { sha256 } }", {"id": document_id})
    assert read["document"]["sha256"] == hashlib.sha256(OTHER_BYTES).hexdigest()
    stored = mongo(settings)["documents"].find_one({"_id": document_id})
    assert stored is not None and stored["sha256"] == hashlib.sha256(OTHER_BYTES).hexdigest()
    assert (stored["reviewer_id"], stored["reviewed_version"]) == (None, None)
    assert httpx.get(_share(owner, document_id), timeout=30).content == OTHER_BYTES
    assert httpx.get(link, timeout=30).status_code == 404  # the verified version is gone with its verdict
    assert error_code(advisor.client.gql(VERIFY, {"id": document_id})) == "BAD_USER_INPUT"


def test_parallel_confirmations_of_one_upload_record_one_version(
    owner: Account, settings: Settings, services: Services
) -> None:
    document_id, url, fields = _form(owner)
    assert _post(url, fields, PDF_BYTES) == 204
    start = threading.Barrier(8)

    def confirm(_: int) -> dict[str, Any]:
        start.wait()
        return owner.client.gql(CONFIRM_UPLOAD, {"id": document_id})

    with ThreadPoolExecutor(8) as pool:
        bodies = list(pool.map(confirm, range(8)))
    documents = [body["data"]["confirmDocumentUpload"] for body in bodies if not body.get("errors")]
    assert documents and all(d == documents[0] for d in documents), bodies
    assert all(error_code(body) == "NOT_FOUND" for body in bodies if body.get("errors"))
    stored = mongo(settings)["documents"].find_one({"_id": document_id})
    assert stored is not None
    prefix = f"users/{owner.id}/documents/{document_id}/"
    versions = [key for key in _objects(services, owner) if key.startswith(prefix)]
    assert versions == [stored["object_key"]]
    assert mongo(settings)["spent"].count_documents({"_id": {"$regex": f"^document-upload:{document_id}:"}}) == 1


def test_a_file_changed_under_its_review_puts_the_document_back_to_pending(
    owner: Account, advisor: Account, settings: Settings, services: Services
) -> None:
    document = uploaded(owner)
    advisor.client.data(START_REVIEW, {"id": document["id"]})
    key = mongo(settings)["documents"].find_one({"_id": document["id"]})["object_key"]  # type: ignore[index]
    services.store.client.put_object(
        Bucket=settings.s3_bucket, Key=key, Body=OTHER_BYTES, ContentType="application/pdf"
    )

    assert error_code(advisor.client.gql(VERIFY, {"id": document["id"]})) == "BAD_USER_INPUT"
    assert owner.client.data(READ_DOCUMENT, {"id": document["id"]})["document"]["status"] == "UPLOADED"
