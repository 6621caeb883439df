"""Roadmaps, reports and documents over GraphQL, for API tests: the documents and a few steps people take."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

from migratio.settings import Settings
from tests.builders.accounts import Account, signed_up
from tests.builders.quiz import completed
from tests.server import LiveServer

FSW = "ca-express-entry-fsw"
TASK = (
    "key title dependsOn minDays typicalDays maxDays earliestStart earliestEnd targetStart targetEnd "
    "latestStart latestEnd status blockedBy"
)
ROADMAP = f"""id programSlug country startDate targetEndDate countriesLivedIn progressPercent checklistPercent
  tasks {{ {TASK} }} milestones {{ key targetDate reached }}
  checklist {{ key documentKey title who country uncertain done }} program {{ name }}"""
CREATE = f"""mutation Create($slug: String!, $start: Date!, $countries: [String!]) {{
  createRoadmap(programSlug: $slug, startDate: $start, countriesLivedIn: $countries) {{ {ROADMAP} }}
}}"""
READ = f"query Read($id: ID!) {{ roadmap(id: $id) {{ {ROADMAP} }} }}"
UPDATE_TASK = f"""mutation Update($id: ID!, $key: String!, $status: TaskStatus!) {{
  updateRoadmapTask(roadmapId: $id, taskKey: $key, status: $status) {{ {ROADMAP} }}
}}"""
JOB = "id kind status progress message attempts error"
REQUEST_REPORT = f"""mutation Request($id: ID!) {{
  requestReport(roadmapId: $id) {{ report {{ id status downloadUrl }} job {{ {JOB} }} }}
}}"""
REPORT = f"""query Report($id: ID!) {{
  report(id: $id) {{ id roadmapId status downloadUrl sizeBytes error job {{ {JOB} }} }}
}}"""
READ_JOB = f"query Job($id: ID!) {{ job(id: $id) {{ {JOB} }} }}"
JOB_PROGRESS = f"subscription Progress($id: ID!) {{ jobProgress(jobId: $id) {{ {JOB} }} }}"
UPDATE_NAME = "mutation Name($name: String!) { updateProfile(input: {name: $name}) { name } }"

DOCUMENT = "id category contentType sizeBytes status rejectionReason"
REQUEST_UPLOAD = """mutation Upload($category: String!, $type: String!, $size: Int!) {
  requestDocumentUpload(category: $category, contentType: $type, size: $size) {
    id url fields { name value } maxBytes contentType expiresAt
  }
}"""
CONFIRM_UPLOAD = f"mutation Confirm($id: ID!) {{ confirmDocumentUpload(id: $id) {{ {DOCUMENT} }} }}"
SHARE = (
    "mutation Share($id: ID!, $minutes: Int!) { createDocumentShareLink(id: $id, expiresInMinutes: $minutes) "
    "{ url expiresAt } }"
)
DELETE = "mutation Delete($id: ID!) { deleteDocument(id: $id) }"
MY_DOCUMENTS = f"query {{ myDocuments {{ {DOCUMENT} }} }}"
READ_DOCUMENT = f"query Doc($id: ID!) {{ document(id: $id) {{ {DOCUMENT} }} }}"
START_REVIEW = f"mutation Start($id: ID!) {{ startDocumentReview(id: $id) {{ {DOCUMENT} }} }}"
VERIFY = f"mutation Verify($id: ID!) {{ verifyDocument(id: $id) {{ {DOCUMENT} }} }}"
REJECT = f"mutation Reject($id: ID!, $reason: String!) {{ rejectDocument(id: $id, reason: $reason) {{ {DOCUMENT} }} }}"
CLIENT_DOCUMENTS = f"query Client($id: ID!) {{ clientDocuments(clientId: $id) {{ {DOCUMENT} }} }}"

PDF_BYTES = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"


def applicant(server: LiveServer, settings: Settings, tag: str = "planner", name: str | None = None) -> Account:
    """A verified, signed-in person with a completed reference assessment (and, optionally, a chosen name)."""
    account = signed_up(server, settings, tag)
    if name is not None:
        account.client.data(UPDATE_NAME, {"name": name})
    completed(account.client)
    return account


def create_roadmap(account: Account, start: date, slug: str = FSW, countries: list[str] | None = None) -> dict:
    roadmap: dict[str, Any] = account.client.data(
        CREATE, {"slug": slug, "start": start.isoformat(), "countries": countries}
    )["createRoadmap"]
    return roadmap


@dataclass
class Upload:
    id: str
    response: httpx.Response


def upload(
    account: Account,
    body: bytes,
    *,
    category: str = "passport",
    content_type: str = "application/pdf",
    declared: int | None = None,
    sent_type: str | None = None,
) -> Upload:
    """Ask for a presigned POST, then send the file straight to the store as a browser would."""
    ticket = account.client.data(
        REQUEST_UPLOAD, {"category": category, "type": content_type, "size": declared or len(body)}
    )["requestDocumentUpload"]
    fields = {f["name"]: f["value"] for f in ticket["fields"]}
    if sent_type is not None:
        fields["Content-Type"] = sent_type
    response = httpx.post(
        ticket["url"], data=fields, files={"file": ("upload.bin", body, sent_type or content_type)}, timeout=30
    )
    return Upload(ticket["id"], response)


def uploaded(account: Account, category: str = "passport") -> dict:
    sent = upload(account, PDF_BYTES, category=category)
    assert sent.response.status_code == 204, sent.response.text
    document: dict[str, Any] = account.client.data(CONFIRM_UPLOAD, {"id": sent.id})["confirmDocumentUpload"]
    return document


def wait_for_job(account: Account, job_id: str, timeout_s: float = 60) -> dict:
    """Poll `job(id)` until it succeeds or fails for good."""
    deadline = time.monotonic() + timeout_s
    while True:
        job: dict[str, Any] = account.client.data(READ_JOB, {"id": job_id})["job"]
        if job["status"] in ("SUCCEEDED", "FAILED"):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['status']} after {timeout_s}s")
        time.sleep(0.2)
