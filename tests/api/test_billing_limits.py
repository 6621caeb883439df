"""The plan's allowances beyond reports, each checked where the feature is used: the number of roadmaps (also
under parallel requests), document storage, an advisor's review. A refusal is FORBIDDEN with reason PLAN_LIMIT
and the plan that lifts it, and changes nothing; the plan bought through Stripe's events lifts it."""

import threading
import time
from datetime import date
from typing import Any

import httpx

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, admin, mongo, signed_up, with_role
from tests.builders.roadmaps import CONFIRM_UPLOAD, CREATE, FSW, REQUEST_UPLOAD, START_REVIEW, applicant, upload
from tests.builders.stripe_events import PERIOD_END, event, post_event, subscribed, subscription
from tests.server import LiveServer

MB = 1024 * 1024
FREE_STORAGE = 100 * MB
ASSIGN = "mutation($c: ID!, $a: ID) { assignAdvisor(clientId: $c, advisorId: $a) { id advisorId } }"
USAGE = "query { me { subscription { usage { roadmaps storageMegabytes } } } }"


def _refusal(body: dict[str, Any]) -> dict[str, Any]:
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


def _create(account: Account) -> dict[str, Any]:
    return account.client.gql(CREATE, {"slug": FSW, "start": date.today().isoformat(), "countries": None})


def _roadmaps(settings: Settings, account: Account) -> int:
    return mongo(settings)["roadmaps"].count_documents({"owner_id": account.id})


def _usage(account: Account) -> dict[str, Any]:
    usage: dict[str, Any] = account.client.data(USAGE)["me"]["subscription"]["usage"]
    return usage


def _pdf(size: int) -> bytes:
    return b"%PDF-1.4\n" + b"0" * (size - 16) + b"\n%%EOF\n"


def _stored(account: Account, size: int) -> dict[str, Any]:
    sent = upload(account, _pdf(size))
    assert sent.response.status_code == 204, sent.response.text
    document: dict[str, Any] = account.client.data(CONFIRM_UPLOAD, {"id": sent.id})["confirmDocumentUpload"]
    return document


def test_a_roadmap_beyond_the_free_three_is_refused_naming_plus_until_upgraded(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    person = applicant(server, settings, "threemaps")
    for _ in range(3):
        assert "errors" not in _create(person)
    refused = _create(person)
    assert refused["data"] is None
    assert _refusal(refused) == {"code": "FORBIDDEN", "reason": "PLAN_LIMIT", "limit": 3, "liftedBy": "plus"}
    assert _roadmaps(settings, person) == 3 == _usage(person)["roadmaps"]
    subscribed(server.url, person.id, "plus")
    assert "errors" not in _create(person)
    assert _roadmaps(settings, person) == 4 == _usage(person)["roadmaps"]


def test_roadmaps_made_on_plus_count_once_the_subscription_ends(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    person = applicant(server, settings, "endedplus")
    sub_id = subscribed(server.url, person.id, "plus")
    for _ in range(3):
        assert "errors" not in _create(person)
    ended = event(
        "customer.subscription.deleted", subscription(sub_id, person.id, "canceled", PERIOD_END), int(time.time())
    )
    assert post_event(server.url, ended).status_code == 200
    assert _refusal(_create(person))["limit"] == 3  # back on Free
    assert _roadmaps(settings, person) == 3


def test_eight_parallel_clients_creating_roadmaps_get_exactly_the_free_three(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    person = applicant(server, settings, "racemaps")
    gate, answers = threading.Barrier(8), list[str]()
    variables = {"slug": FSW, "start": date.today().isoformat(), "countries": None}

    def create() -> None:
        with httpx.Client(timeout=60) as client:
            gate.wait()
            response = client.post(
                server.graphql_url,
                json={"query": CREATE, "variables": variables},
                headers={"authorization": f"Bearer {person.client.token}", "x-forwarded-for": person.client.ip},
            )
            body = response.json()
            answers.append(str(_refusal(body).get("reason")) if "errors" in body else "created")

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["PLAN_LIMIT"] * 5 + ["created"] * 3
    assert _roadmaps(settings, person) == 3


def test_uploads_beyond_the_free_storage_are_refused_when_asked_for_and_when_confirmed(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    person = signed_up(server, settings, "storage")
    for _ in range(4):
        _stored(person, 20 * MB)  # the largest file the upload policy takes
    first, second = upload(person, _pdf(15 * MB)), upload(person, _pdf(15 * MB))  # each fits on its own
    assert first.response.status_code == second.response.status_code == 204
    person.client.data(CONFIRM_UPLOAD, {"id": first.id})  # 95 MB stored
    documents = mongo(settings)["documents"]
    before = sorted(d["_id"] for d in documents.find({"owner_id": person.id}))

    asked = person.client.gql(REQUEST_UPLOAD, {"category": "passport", "type": "application/pdf", "size": 10 * MB})
    refusal = {"code": "FORBIDDEN", "reason": "PLAN_LIMIT", "limit": FREE_STORAGE, "liftedBy": "plus"}
    assert _refusal(asked) == refusal
    confirmed = person.client.gql(CONFIRM_UPLOAD, {"id": second.id})
    assert _refusal(confirmed) == refusal
    assert sorted(d["_id"] for d in documents.find({"owner_id": person.id})) == before
    assert "errors" in person.client.gql(CONFIRM_UPLOAD, {"id": second.id})  # its file was removed
    assert _usage(person)["storageMegabytes"] == 95.0

    subscribed(server.url, person.id, "plus")
    assert _stored(person, 10 * MB)["sizeBytes"] == 10 * MB
    assert _usage(person)["storageMegabytes"] == 105.0


def test_an_advisor_reviews_documents_only_of_clients_whose_plan_includes_it(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    boss = admin(server, settings)
    advisor = with_role(server, settings, boss, "ADVISOR", "planadvisor")
    client = signed_up(server, settings, "reviewed")
    boss.client.data(ASSIGN, {"c": client.id, "a": advisor.id})
    document = _stored(client, 2000)
    refusal = {"code": "FORBIDDEN", "reason": "PLAN_LIMIT", "limit": 0, "liftedBy": "advisor"}
    assert _refusal(advisor.client.gql(START_REVIEW, {"id": document["id"]})) == refusal
    subscribed(server.url, client.id, "plus")
    assert _refusal(advisor.client.gql(START_REVIEW, {"id": document["id"]})) == refusal
    stored = mongo(settings)["documents"].find_one({"_id": document["id"]})
    assert stored is not None and stored["status"] == "uploaded"

    subscribed(server.url, client.id, "advisor")
    reviewed = advisor.client.data(START_REVIEW, {"id": document["id"]})["startDocumentReview"]
    assert reviewed["status"] == "IN_REVIEW"
