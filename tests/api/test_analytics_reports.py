"""The analyst's reports over HTTP: who may read them (analysts and admins), the funnel by period and by
platform or country, conversion to paid, GraphQL operation performance, and the brief cache in front of them."""

from datetime import UTC, datetime

import pytest

from migratio.settings import Settings
from tests.builders.accounts import ME, Account, admin, error_code, signed_up, with_role
from tests.server import LiveServer

REPORTS = """query Reports($from: DateTime!) {
  analyticsFunnel(from: $from) { name actors }
  quizCompletion(from: $from) { actors }
  activePeople(from: $from) { actors }
  cohortRetention(from: $from) { size }
  questionDropOff(from: $from) { actors }
  journeys(from: $from) { actors }
}"""
USERS = "query Users { users(limit: 5) { id } }"
SET_ROLE = "mutation SetRole($id: ID!, $role: Role!) { setUserRole(userId: $id, role: $role) { role } }"


def now() -> str:
    return datetime.now(UTC).isoformat()


@pytest.fixture(scope="module")
def admin_account(server: LiveServer, settings: Settings) -> Account:
    return admin(server, settings)


@pytest.fixture(scope="module")
def analyst(server: LiveServer, settings: Settings, admin_account: Account) -> Account:
    """Made an analyst by an admin through setUserRole."""
    return with_role(server, settings, admin_account, "ANALYST", "analyst")


def test_an_analyst_reads_every_report_and_a_plain_user_is_refused(
    server: LiveServer, settings: Settings, analyst: Account
) -> None:
    assert analyst.client.data(ME)["me"]["role"] == "ANALYST"
    reports = analyst.client.data(REPORTS, {"from": now()})
    assert set(reports) == {
        "analyticsFunnel",
        "quizCompletion",
        "activePeople",
        "cohortRetention",
        "questionDropOff",
        "journeys",
    }
    person = signed_up(server, settings, "plain")
    body = person.client.gql(REPORTS, {"from": now()})
    assert error_code(body) == "FORBIDDEN"
    assert body["data"] is None


def test_an_analyst_gets_none_of_the_admin_fields(server: LiveServer, settings: Settings, analyst: Account) -> None:
    assert error_code(analyst.client.gql(USERS)) == "FORBIDDEN"
    person = signed_up(server, settings, "target")
    body = analyst.client.gql(SET_ROLE, {"id": person.id, "role": "ADMIN"})
    assert error_code(body) == "FORBIDDEN"
    assert error_code(analyst.client.gql(SET_ROLE, {"id": analyst.id, "role": "ADMIN"})) == "FORBIDDEN"
    assert person.client.data(ME)["me"]["role"] == "USER"  # nothing changed
    assert analyst.client.data(ME)["me"]["role"] == "ANALYST"
