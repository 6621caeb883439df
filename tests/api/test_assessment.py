"""The quiz over HTTP: start, answer, resume on another device, complete, claim, and refusals that change nothing."""

import hashlib
from datetime import date

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Client, error_code, log_in, mongo, signed_up
from tests.builders.answers import reference_quiz
from tests.builders.quiz import ANSWER, CLAIM, COMPLETE, READ, START, answer, start, take_quiz
from tests.server import LiveServer


def test_an_anonymous_quiz_runs_from_start_to_a_profile_snapshot(server: LiveServer, settings: Settings) -> None:
    client = Client(server)
    started = client.data(
        "mutation { startAssessment { resumeToken assessment { id anonymous status progress { "
        "answeredCount percentDone nextQuestion { id kind } } } } }"
    )["startAssessment"]
    assessment, token = started["assessment"], started["resumeToken"]
    assert assessment["anonymous"] is True and assessment["status"] == "IN_PROGRESS"
    assert assessment["progress"] == {
        "answeredCount": 0,
        "percentDone": 0,
        "nextQuestion": {"id": "destinations", "kind": "MULTIPLE_CHOICE"},
    }
    last = take_quiz(client, assessment["id"], token)
    assert last["assessment"]["progress"]["percentDone"] == 100
    assert last["assessment"]["progress"]["nextQuestion"] is None
    done = client.data(COMPLETE, {"id": assessment["id"], "token": token})["completeAssessment"]
    assert done["assessment"]["status"] == "COMPLETED"
    profile = done["snapshot"]["profile"]
    assert profile["citizenships"] == ["IN"] and profile["funds"] == {"amount": 30000.0, "currency": "CAD"}
    assert done["snapshot"]["destinations"] == ["CA", "AU"]
    stored = mongo(settings).assessments.find_one({"_id": assessment["id"]})
    assert stored is not None
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(stored)


def test_the_resume_token_continues_the_quiz_on_another_device(server: LiveServer) -> None:
    phone, laptop = Client(server), Client(server)
    assessment_id, token = start(phone)
    answer(phone, assessment_id, "destinations", ["CA"], token)
    answer(phone, assessment_id, "birth_date", "1990-04-01", token)
    resumed = laptop.data(READ, {"id": assessment_id, "token": token})["assessment"]
    assert [a["questionId"] for a in resumed["answers"]] == ["destinations", "birth_date"]
    assert resumed["progress"]["nextQuestion"]["id"] == "citizenships"
    assert answer(laptop, assessment_id, "citizenships", ["IN"], token)["assessment"]["revision"] == 3


def test_a_signed_in_person_resumes_on_another_device_by_signing_in(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "resume")
    assessment_id, token = start(account.client)
    assert token is None
    answer(account.client, assessment_id, "destinations", ["AU"])
    other_device = Client(server)
    log_in(other_device, account.email)
    mine = other_device.data("{ myAssessments { id progress { answeredCount nextQuestion { id } } } }")
    assert mine["myAssessments"] == [
        {"id": assessment_id, "progress": {"answeredCount": 1, "nextQuestion": {"id": "birth_date"}}}
    ]


def test_an_anonymous_assessment_is_claimed_after_signing_in(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    client = Client(server)
    assessment_id, token = start(client)
    take_quiz(client, assessment_id, token)
    client.data(COMPLETE, {"id": assessment_id, "token": token})
    account = signed_up(server, settings, "claim")
    assert account.client.data(CLAIM, {"id": assessment_id, "token": token})["claimAssessment"] == {
        "id": assessment_id,
        "anonymous": False,
    }
    owned = account.client.data(READ, {"id": assessment_id})["assessment"]
    assert owned["latestSnapshot"] is not None
    assert error_code(Client(server).gql(READ, {"id": assessment_id, "token": token})) == "NOT_FOUND"
    snapshot = mongo(settings).profile_snapshots.find_one({"assessment_id": assessment_id})
    assert snapshot is not None and snapshot["owner_id"] == account.id
    first = account.client.data("{ myRecommendations(first: 1) { totalCount edges { programSlug } } }")
    assert first["myRecommendations"]["totalCount"] > 0


def test_someone_elses_assessment_is_not_found_and_nothing_changes(server: LiveServer, settings: Settings) -> None:
    ann, bob = signed_up(server, settings, "ann"), signed_up(server, settings, "bob")
    assessment_id, _ = start(ann.client)
    answer(ann.client, assessment_id, "destinations", ["CA"])
    before = mongo(settings).assessments.find_one({"_id": assessment_id})
    attempts = [
        bob.client.gql(READ, {"id": assessment_id}),
        bob.client.gql(ANSWER, {"id": assessment_id, "question": "destinations", "value": ["AU"]}),
        bob.client.gql(COMPLETE, {"id": assessment_id}),
        bob.client.gql(CLAIM, {"id": assessment_id, "token": "a-guess"}),
        Client(server).gql(READ, {"id": assessment_id, "token": "a-guess"}),
    ]
    assert [error_code(body) for body in attempts] == ["NOT_FOUND"] * 5
    assert mongo(settings).assessments.find_one({"_id": assessment_id}) == before


def test_without_a_session_or_a_token_an_assessment_is_unauthenticated(server: LiveServer) -> None:
    client = Client(server)
    assessment_id, _ = start(client)
    assert error_code(client.gql(READ, {"id": assessment_id})) == "UNAUTHENTICATED"


def test_a_bad_answer_names_the_field_and_saves_nothing(server: LiveServer, settings: Settings) -> None:
    client = Client(server)
    assessment_id, token = start(client)
    answer(client, assessment_id, "language_test", "ielts_gt", token)
    body = client.gql(
        ANSWER,
        {
            "id": assessment_id,
            "question": "language_scores",
            "token": token,
            "value": {"listening": 7.3, "reading": 7, "writing": 7, "speaking": 7, "test_date": "2026-01-10"},
        },
    )
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "value.listening",
        "questionId": "language_scores",
    }
    assert error["message"] == "value.listening: 7.3 is not a multiple of 0.5"
    assert (mongo(settings).assessments.find_one({"_id": assessment_id}) or {}).get("revision") == 1


def test_a_question_that_does_not_apply_is_refused(server: LiveServer) -> None:
    client = Client(server)
    assessment_id, token = start(client)
    answer(client, assessment_id, "marital_status", "single", token)
    body = client.gql(ANSWER, {"id": assessment_id, "question": "partner_accompanying", "value": True, "token": token})
    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "questionId",
        "questionId": "partner_accompanying",
    }


def test_the_score_fields_follow_the_test_and_a_new_test_drops_the_old_scores(server: LiveServer) -> None:
    client = Client(server)
    assessment_id, token = start(client)
    for question_id, value in reference_quiz()[:7]:
        answer(client, assessment_id, question_id, value, token)
    chosen = answer(client, assessment_id, "language_test", "tcf_canada", token)
    fields = [f["name"] for f in chosen["assessment"]["progress"]["nextQuestion"]["fields"]]
    assert fields == ["listening", "reading", "writing", "speaking", "test_date"]
    answer(
        client,
        assessment_id,
        "language_scores",
        {"listening": 458, "reading": 453, "writing": 10, "speaking": 10, "test_date": "2026-01-10"},
        token,
    )
    switched = answer(client, assessment_id, "language_test", "goethe", token)
    assert switched["droppedAnswers"] == ["language_scores"]
    assert [f["name"] for f in switched["assessment"]["progress"]["nextQuestion"]["fields"]] == [
        "cefr_level",
        "test_date",
    ]


def test_completing_early_names_the_next_question(server: LiveServer) -> None:
    client = Client(server)
    assessment_id, token = start(client)
    body = client.gql(COMPLETE, {"id": assessment_id, "token": token})
    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "assessmentId",
        "nextQuestion": "destinations",
    }


def test_later_answers_do_not_change_the_completed_snapshot(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "snapshot")
    assessment_id, _ = start(account.client)
    take_quiz(account.client, assessment_id)
    snapshot = account.client.data(COMPLETE, {"id": assessment_id})["completeAssessment"]["snapshot"]
    stored = mongo(settings).profile_snapshots.find_one({"_id": snapshot["id"]})
    answer(account.client, assessment_id, "funds", {"amount": 500, "currency": "CAD"})
    after = account.client.data(READ, {"id": assessment_id})["assessment"]
    assert after["latestSnapshot"] == {"id": snapshot["id"], "profile": snapshot["profile"]}
    assert mongo(settings).profile_snapshots.find_one({"_id": snapshot["id"]}) == stored
    assert {a["questionId"]: a["value"] for a in after["answers"]}["funds"] == {"amount": 500, "currency": "CAD"}


def test_the_question_bank_is_public_and_versioned(server: LiveServer) -> None:
    bank = Client(server).data("{ questionBank { version asOf questions { id askedWhen } } }")["questionBank"]
    assert (bank["version"], bank["asOf"]) == (1, "2026-11-24")
    partner = next(q for q in bank["questions"] if q["id"] == "partner_accompanying")
    assert partner["askedWhen"] == "marital_status is married or common_law"
    assert date.fromisoformat(bank["asOf"]) <= date.today()


def test_anonymous_starts_are_limited_per_address_and_other_addresses_still_start(
    server: LiveServer, settings: Settings
) -> None:
    crowd, elsewhere = Client(server), Client(server)
    for _ in range(settings.assessment_starts_per_ip):
        start(crowd)
    stored = mongo(settings).assessments.count_documents({})
    response = crowd.post(START)
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["limit"] == settings.assessment_starts_per_ip
    assert 0 < error["extensions"]["retryAfter"] <= settings.rate_limit_window_s
    assert response.headers["retry-after"] == str(error["extensions"]["retryAfter"])
    assert mongo(settings).assessments.count_documents({}) == stored
    assessment_id, token = start(elsewhere)
    assert token is not None and mongo(settings).assessments.count_documents({"_id": assessment_id}) == 1


def test_a_signed_in_person_is_limited_per_account_not_per_address(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "starter")
    for _ in range(settings.assessment_starts_per_user):
        start(account.client)
    elsewhere = Client(server, token=account.client.token)
    assert error_code(elsewhere.gql(START)) == "RATE_LIMITED"
    assert mongo(settings).assessments.count_documents({"owner_id": account.id}) == settings.assessment_starts_per_user
    assert start(Client(server, ip=account.client.ip))[1] is not None  # anonymous, on the same address
