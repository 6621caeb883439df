"""PDF reports end to end: requested over GraphQL, produced by the module's worker process, stored in S3 and
downloaded through an expiring presigned link; job progress is readable and streamed to its owner only."""

import io
import json
import time
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pypdfium2
import pytest
from pypdf import PdfReader
from websockets.sync.client import connect

from migratio.settings import Settings
from tests.builders.accounts import Account, error_code, mongo, signed_up
from tests.builders.roadmaps import (
    FSW,
    JOB_PROGRESS,
    READ_JOB,
    REPORT,
    REQUEST_REPORT,
    applicant,
    create_roadmap,
    wait_for_job,
)
from tests.server import LiveServer

NAME = "Zoë Ångström-Łukasiewicz"
POINTS = """query Points($slug: String!) {
  pointsBreakdown(programSlug: $slug) { total maximum factors { label points maximum } }
}"""


@pytest.fixture(scope="module")
def zoe(server: LiveServer, settings: Settings, seeded: Any) -> Account:
    return applicant(server, settings, "zoe", name=NAME)


@pytest.fixture(scope="module")
def roadmap(zoe: Account) -> dict:
    return create_roadmap(zoe, date.today())


def _flat(text: str) -> str:
    return " ".join(text.split())


def _non_white_share(pdf: bytes) -> float:
    page = pypdfium2.PdfDocument(pdf)[0]
    bitmap = page.render(scale=1)
    raw, channels = bytes(bitmap.buffer), bitmap.n_channels
    inked = total = 0
    for row in range(bitmap.height):
        line = raw[row * bitmap.stride : row * bitmap.stride + bitmap.width * channels]
        for x in range(0, len(line), channels):
            total += 1
            inked += min(line[x : x + channels]) < 240
    return inked / total


def _requested(account: Account, roadmap_id: str) -> dict:
    payload: dict = account.client.data(REQUEST_REPORT, {"id": roadmap_id})["requestReport"]
    return payload


def test_a_report_is_rendered_by_the_worker_and_downloaded_through_an_expiring_link(
    zoe: Account, roadmap: dict
) -> None:
    requested = _requested(zoe, roadmap["id"])
    assert requested["report"]["status"] == "PENDING" and requested["report"]["downloadUrl"] is None
    assert requested["job"]["status"] == "QUEUED"

    job = wait_for_job(zoe, requested["job"]["id"])
    assert (job["status"], job["progress"], job["attempts"], job["error"]) == ("SUCCEEDED", 100, 1, None)
    report = zoe.client.data(REPORT, {"id": requested["report"]["id"]})["report"]
    assert report["status"] == "READY" and report["job"]["status"] == "SUCCEEDED"
    url = report["downloadUrl"]
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["3600"]

    response = httpx.get(url, timeout=30)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF") and len(response.content) == report["sizeBytes"]
    text = _flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
    assert NAME in text
    assert "Express Entry – Federal Skilled Worker Program" in text
    points = zoe.client.data(POINTS, {"slug": FSW})["pointsBreakdown"]
    for factor in points["factors"]:
        assert f"{_flat(factor['label'])} {factor['points']} {factor['maximum']}" in text, factor
    assert f"Total {points['total']} {points['maximum']}" in text
    assert _non_white_share(response.content) > 0.15


def test_job_progress_streams_every_state_to_completion_over_a_websocket(
    server: LiveServer, zoe: Account, roadmap: dict
) -> None:
    with connect(server.ws_url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {zoe.client.token}"}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        job_id = _requested(zoe, roadmap["id"])["job"]["id"]
        ws.send(
            json.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": JOB_PROGRESS, "variables": {"id": job_id}}}
            )
        )
        received = []
        while (message := json.loads(ws.recv(timeout=60)))["type"] == "next":
            received.append(message["payload"]["data"]["jobProgress"])
        assert message == {"id": "1", "type": "complete"}
    statuses = [r["status"] for r in received]
    assert statuses[-1] == "SUCCEEDED" and received[-1]["progress"] == 100
    assert "RUNNING" in statuses, statuses  # rendering takes far longer than subscribing
    order = {"QUEUED": 0, "RUNNING": 1, "SUCCEEDED": 2}
    assert [order[s] for s in statuses] == sorted(order[s] for s in statuses)
    progress = [r["progress"] for r in received if r["status"] == "RUNNING"]
    assert progress == sorted(progress)


def test_someone_elses_report_job_and_roadmap_are_refused_and_nothing_is_made(
    server: LiveServer, settings: Settings, zoe: Account, roadmap: dict
) -> None:
    requested = _requested(zoe, roadmap["id"])
    wait_for_job(zoe, requested["job"]["id"])
    stranger = signed_up(server, settings, "snoop")
    assert error_code(stranger.client.gql(REPORT, {"id": requested["report"]["id"]})) == "NOT_FOUND"
    assert error_code(stranger.client.gql(READ_JOB, {"id": requested["job"]["id"]})) == "NOT_FOUND"
    reports = mongo(settings)["reports"]
    before = reports.count_documents({"roadmap_id": roadmap["id"]})
    assert error_code(stranger.client.gql(REQUEST_REPORT, {"id": roadmap["id"]})) == "NOT_FOUND"
    assert reports.count_documents({"roadmap_id": roadmap["id"]}) == before
    assert reports.count_documents({"owner_id": stranger.id}) == 0

    with connect(server.ws_url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {stranger.client.token}"}})
        )
        ws.recv(timeout=10)
        ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": JOB_PROGRESS, "variables": {"id": requested["job"]["id"]}},
                }
            )
        )
        message = json.loads(ws.recv(timeout=10))
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"


def test_each_read_of_a_ready_report_signs_a_fresh_link(zoe: Account, roadmap: dict) -> None:
    requested = _requested(zoe, roadmap["id"])
    wait_for_job(zoe, requested["job"]["id"])
    first = zoe.client.data(REPORT, {"id": requested["report"]["id"]})["report"]["downloadUrl"]
    # a link's signature covers its X-Amz-Date, whole seconds: the next read falls in the next second
    signed_at = parse_qs(urlsplit(first).query)["X-Amz-Date"][0]
    while time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) <= signed_at:
        time.sleep(0.02)
    second = zoe.client.data(REPORT, {"id": requested["report"]["id"]})["report"]["downloadUrl"]
    assert first != second  # each read signs a fresh link with its own expiry


def test_a_report_that_cannot_be_made_is_retried_then_marked_failed(
    server: LiveServer, settings: Settings, seeded: Any
) -> None:
    person = applicant(server, settings, "doomed")
    roadmap = create_roadmap(person, date.today())
    mongo(settings)["profile_snapshots"].delete_many({"owner_id": person.id})  # the profile it needs is gone
    requested = _requested(person, roadmap["id"])
    job = wait_for_job(person, requested["job"]["id"], timeout_s=90)
    assert (job["status"], job["attempts"]) == ("FAILED", settings.job_attempts)
    assert job["error"].startswith("NotFound")
    report = person.client.data(REPORT, {"id": requested["report"]["id"]})["report"]
    assert (report["status"], report["downloadUrl"]) == ("FAILED", None)
    assert report["error"].startswith("NotFound")
