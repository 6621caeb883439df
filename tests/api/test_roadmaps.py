"""Roadmaps over HTTP: planned from the catalog's steps and the person's profile, moved along task by task."""

from datetime import date, timedelta

import httpx
import pytest

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, error_code, signed_up
from tests.builders.roadmaps import CREATE, FSW, READ, UPDATE_TASK, applicant, create_roadmap
from tests.builders.stripe_events import subscribed
from tests.server import LiveServer

START = date(2026, 1, 5)


@pytest.fixture(scope="module")
def planner(server: LiveServer, settings: Settings, seeded: Services) -> Account:
    """On Plus: the module makes more roadmaps than Free's three."""
    account = applicant(server, settings, "roadmap")
    subscribed(server.url, account.id, "plus")
    return account


def test_express_entry_roadmap_lists_steps_in_dependency_order_with_typical_dates(planner: Account) -> None:
    roadmap = create_roadmap(planner, START)
    tasks = {t["key"]: t for t in roadmap["tasks"]}
    assert [t["key"] for t in roadmap["tasks"]] == [
        "language_test",
        "eca",
        "ee_profile",
        "invitation",
        "police_certificates",
        "medical_exam",
        "submit_application",
        "biometrics",
        "decision",
        "landing",
    ]
    # the profile waits for the slower of the language test (30 days) and the ECA (60)
    assert tasks["ee_profile"]["targetStart"] == (START + timedelta(days=60)).isoformat()
    assert tasks["ee_profile"]["earliestStart"] == (START + timedelta(days=30)).isoformat()
    assert tasks["ee_profile"]["latestStart"] == (START + timedelta(days=150)).isoformat()
    assert tasks["submit_application"]["targetStart"] == (START + timedelta(days=60 + 3 + 60 + 45)).isoformat()
    assert roadmap["targetEndDate"] == (START + timedelta(days=406)).isoformat()
    assert roadmap["progressPercent"] == 0
    assert [m["key"] for m in roadmap["milestones"]] == [
        "ee_profile",
        "invitation",
        "submit_application",
        "biometrics",
        "decision",
        "landing",
    ]
    assert roadmap["program"]["name"] == "Express Entry – Federal Skilled Worker Program"


def test_the_checklist_of_a_single_applicant_who_lived_in_india_has_one_police_certificate(planner: Account) -> None:
    roadmap = create_roadmap(planner, START)
    assert roadmap["countriesLivedIn"] == ["IN"]
    assert [i["key"] for i in roadmap["checklist"]] == [
        "passport",
        "language_results",
        "employment_references",
        "police_certificates:IN",
        "medical_exam",
        "photos",
        "eca_report",
        "proof_of_funds",
    ]
    assert not [i for i in roadmap["checklist"] if i["who"] == "PARTNER"]
    assert roadmap["checklistPercent"] == 0


def test_countries_given_explicitly_get_one_police_certificate_each(planner: Account) -> None:
    roadmap = create_roadmap(planner, START, countries=["ae", "IN", "SG"])
    police = [i for i in roadmap["checklist"] if i["documentKey"] == "police_certificates"]
    assert [(i["key"], i["country"]) for i in police] == [
        ("police_certificates:AE", "AE"),
        ("police_certificates:IN", "IN"),
        ("police_certificates:SG", "SG"),
    ]


def test_marking_tasks_done_moves_progress_and_unblocks_what_follows(planner: Account) -> None:
    roadmap = create_roadmap(planner, START)
    variables = {"id": roadmap["id"], "key": "language_test", "status": "DONE"}
    after = planner.client.data(UPDATE_TASK, variables)["updateRoadmapTask"]
    assert after["progressPercent"] == 10
    profile = next(t for t in after["tasks"] if t["key"] == "ee_profile")
    assert profile["blockedBy"] == ["eca"]
    after = planner.client.data(UPDATE_TASK, {**variables, "key": "eca", "status": "SKIPPED"})["updateRoadmapTask"]
    assert after["progressPercent"] == 11  # 1 done of the 9 that apply
    assert next(t for t in after["tasks"] if t["key"] == "ee_profile")["blockedBy"] == []
    assert planner.client.data(READ, {"id": roadmap["id"]})["roadmap"]["progressPercent"] == 11


def test_an_unknown_task_is_a_bad_input(planner: Account) -> None:
    roadmap = create_roadmap(planner, START)
    body = planner.client.gql(UPDATE_TASK, {"id": roadmap["id"], "key": "bribe_officer", "status": "DONE"})
    assert error_code(body) == "BAD_USER_INPUT"


def test_someone_elses_roadmap_is_not_found_and_stays_unchanged(
    server: LiveServer, settings: Settings, planner: Account
) -> None:
    roadmap = create_roadmap(planner, START)
    stranger = signed_up(server, settings, "stranger")
    assert error_code(stranger.client.gql(READ, {"id": roadmap["id"]})) == "NOT_FOUND"
    body = stranger.client.gql(UPDATE_TASK, {"id": roadmap["id"], "key": "language_test", "status": "DONE"})
    assert error_code(body) == "NOT_FOUND"
    after = planner.client.data(READ, {"id": roadmap["id"]})["roadmap"]
    assert after["progressPercent"] == 0 and after["tasks"][0]["status"] == "TODO"


def test_a_roadmap_needs_a_completed_assessment(server: LiveServer, settings: Settings, seeded: Services) -> None:
    newcomer = signed_up(server, settings, "newcomer")
    body = newcomer.client.gql(CREATE, {"slug": FSW, "start": START.isoformat(), "countries": None})
    assert error_code(body) == "NOT_FOUND"
    assert body["errors"][0]["extensions"]["reason"] == "NO_COMPLETED_ASSESSMENT"


def test_an_unknown_program_is_not_found(planner: Account) -> None:
    body = planner.client.gql(CREATE, {"slug": "mars-colony", "start": START.isoformat(), "countries": None})
    assert error_code(body) == "NOT_FOUND"


def test_signing_in_is_required(server: LiveServer) -> None:
    body = server.gql(CREATE, {"slug": FSW, "start": START.isoformat()})
    assert error_code(body) == "UNAUTHENTICATED"


def test_roadmaps_are_part_of_the_data_export(planner: Account) -> None:
    roadmap = create_roadmap(planner, START)
    export = planner.client.data("mutation { exportMyData { url } }")["exportMyData"]
    document = httpx.get(export["url"], timeout=30).json()
    exported = {r["id"]: r for r in document["roadmaps"]["roadmaps"]}
    assert exported[roadmap["id"]]["program"] == FSW
    assert {"task": "landing", "status": "todo", "roadmap": roadmap["id"]} in document["roadmaps"]["tasks"]
