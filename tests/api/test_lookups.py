"""Mongo commands per request (`extensions.mongoCommands`) stay flat in what a page lists: lists are read with
one equality query each, and related objects through loaders, one `_id` lookup per distinct key."""

from datetime import date

import pytest

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, Client, signed_up
from tests.builders.quiz import ANSWER, completed, start
from tests.builders.roadmaps import FSW, applicant, create_roadmap
from tests.server import LiveServer

MY_ROADMAPS = "{ myRoadmaps { id programSlug tasks { key status } program { name country { name } } } }"


@pytest.fixture(scope="module")
def planner(server: LiveServer, settings: Settings, seeded: Services) -> Account:
    return applicant(server, settings, "lookups")


def test_listing_three_roadmaps_costs_the_same_mongo_commands_as_one(planner: Account) -> None:
    create_roadmap(planner, date(2026, 1, 5))
    planner.client.gql(MY_ROADMAPS)  # fills the catalog cache the program and country loaders read
    one = planner.client.gql(MY_ROADMAPS)
    for month in (2, 3):
        create_roadmap(planner, date(2026, month, 5))
    three = planner.client.gql(MY_ROADMAPS)

    assert "errors" not in one and "errors" not in three, three
    roadmaps = three["data"]["myRoadmaps"]
    assert len(roadmaps) == 3 and {r["programSlug"] for r in roadmaps} == {FSW}
    assert all(len(r["tasks"]) == 10 and r["program"]["country"]["name"] == "Canada" for r in roadmaps)
    # the roadmaps, the owner's tasks (one equality, not an `$in` over roadmap ids), the verified documents;
    # the program and its country come from the catalog cache
    assert three["extensions"]["mongoCommands"] == one["extensions"]["mongoCommands"] <= 4


MY_SNAPSHOTS = "{ myAssessments { id latestSnapshot { id } } }"
TWICE = "{ myAssessments { id a: latestSnapshot { id } b: latestSnapshot { id } } }"


def test_each_listed_assessment_s_latest_snapshot_is_one_lookup_through_its_loader(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "snapshots")
    completed(account.client)
    one = account.client.gql(MY_SNAPSHOTS)
    twice = account.client.gql(TWICE)
    completed(account.client)
    two = account.client.gql(MY_SNAPSHOTS)

    assert "errors" not in one and "errors" not in twice and "errors" not in two, two
    listed = two["data"]["myAssessments"]
    assert len(listed) == 2 and all(a["latestSnapshot"]["id"] for a in listed)
    # asked for twice in one request, a snapshot is read once
    assert twice["extensions"]["mongoCommands"] == one["extensions"]["mongoCommands"]
    # a further assessment adds its one `_id` lookup to the same batch, nothing else
    assert two["extensions"]["mongoCommands"] == one["extensions"]["mongoCommands"] + 1


def test_an_answer_costs_four_mongo_commands(server: LiveServer) -> None:
    client = Client(server)
    assessment_id, token = start(client)
    body = client.gql(ANSWER, {"id": assessment_id, "question": "destinations", "value": ["CA"], "token": token})

    assert "errors" not in body, body
    assert body["data"]["answerQuestion"]["assessment"]["revision"] == 1
    # read by `_id`, look for a claim ahead of it, claim the next revision, write it: the compare-and-set
    # starts from the document just read instead of reading it again
    assert body["extensions"]["mongoCommands"] == 4
