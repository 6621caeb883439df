"""Recommendations over HTTP: ranked programs with verdicts, match scores and official points, one program's
points and gaps, and a dashboard whose Mongo round-trips do not grow with the page size."""

from datetime import date

import pytest

from domain.assessment.profile_builder import build_profile, build_supplement
from domain.points import score
from domain.programs.catalog import CATALOG, COUNTRY_BY_CODE, PROGRAM_BY_SLUG
from domain.recommendations.ranking import rank_programs
from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, Client, error_code, signed_up
from tests.builders.answers import reference_quiz, stored, values
from tests.builders.quiz import CLAIM, COMPLETE, anywhere_quiz, completed, start, take_quiz
from tests.server import LiveServer

RECOMMENDATIONS = """query Recommendations($first: Int!, $after: String) {
  myRecommendations(first: $first, after: $after) {
    totalCount scoredOn
    pageInfo { hasNextPage endCursor }
    edges {
      cursor rank programSlug verdict matchScore nearMiss missingFacts
      components { key points }
      node { slug name pointsSystem }
      points { system scale total passMark factors { key points maximum } }
      cutoff { score on margin yourPoints }
    }
  }
}"""
POINTS = """query Points($slug: String!) {
  pointsBreakdown(programSlug: $slug) {
    system scale total maximum passMark passed missing factors { key label points maximum explanation }
    cutoff { score on sourceUrl margin }
  }
}"""
GAPS = """query Gaps($slug: String!) {
  gapAnalysis(programSlug: $slug) {
    programSlug verdict program { name } points { total }
    suggestions { key category description effect pointsBefore pointsAfter pointsDelta pointsSystem verdictBefore
                  verdictAfter }
  }
}"""
DASHBOARD = """query Dashboard($first: Int!) {
  me { id email }
  myRecommendations(first: $first) { totalCount edges { matchScore verdict node { slug name country { name } } } }
}"""


@pytest.fixture(scope="module")
def applicant(server: LiveServer, settings: Settings, seeded: Services) -> Account:
    account = signed_up(server, settings, "recommended")
    completed(account.client)
    return account


def expected() -> dict:  # type: ignore[type-arg]
    today = date.today()
    answers = values(stored(reference_quiz(today), today))
    ranked = rank_programs(build_profile(answers, today), build_supplement(answers), CATALOG, COUNTRY_BY_CODE, today)
    return {r.program.slug: r for r in ranked}


def test_programs_are_ranked_with_verdicts_match_scores_and_official_points(applicant: Account) -> None:
    connection = applicant.client.data(RECOMMENDATIONS, {"first": 20})["myRecommendations"]
    edges = connection["edges"]
    want = expected()
    assert connection["totalCount"] == len(edges) == len(want)
    assert connection["scoredOn"] == date.today().isoformat()
    assert [e["matchScore"] for e in edges] == sorted((e["matchScore"] for e in edges), reverse=True)
    assert {e["node"]["slug"] for e in edges} == set(want)
    for edge in edges:
        mine = want[edge["programSlug"]]
        assert edge["node"]["slug"] == edge["programSlug"]
        assert (edge["verdict"], edge["matchScore"]) == (mine.verdict.name, mine.match_score)
        assert edge["matchScore"] == round(sum(c["points"] for c in edge["components"]))
        if mine.points is None:
            assert edge["points"] is None
        else:
            assert edge["points"]["total"] == mine.points.total
            assert sum(f["points"] for f in edge["points"]["factors"]) == mine.points.total
    fsw = next(e for e in edges if e["programSlug"] == "ca-express-entry-fsw")
    assert (fsw["verdict"], fsw["points"]["system"], fsw["points"]["passMark"]) == ("ELIGIBLE", "FSW67", 67)
    assert fsw["points"]["scale"] == f"FSW grid {fsw['points']['total']}/100"


def test_the_cec_edge_names_its_failed_rule_and_compares_with_the_latest_cut_off(applicant: Account) -> None:
    query = """{ myRecommendations(first: 20) { edges {
      programSlug verdict nearMiss failedRules { id } points { total } cutoff { score on margin yourPoints } } } }"""
    edges = applicant.client.data(query)["myRecommendations"]["edges"]
    cec = next(e for e in edges if e["programSlug"] == "ca-express-entry-cec")
    failed = expected()["ca-express-entry-cec"].assessment.evaluation.failed
    assert cec["failedRules"] == [{"id": f.rule_id} for f in failed]
    cutoff = PROGRAM_BY_SLUG["ca-express-entry-cec"].latest_cutoff
    assert cutoff is not None
    assert cec["cutoff"] == {
        "score": cutoff.score,
        "on": cutoff.on.isoformat(),
        "margin": cec["points"]["total"] - cutoff.score,
        "yourPoints": cec["points"]["total"],
    }
    assert (cec["verdict"], cec["nearMiss"]) == ("NOT_ELIGIBLE", True)


def test_cursors_page_through_every_ranked_program_once(applicant: Account) -> None:
    seen, after = [], None
    while True:
        page = applicant.client.data(RECOMMENDATIONS, {"first": 4, "after": after})["myRecommendations"]
        seen += [e["rank"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(range(1, len(expected()) + 1))


def test_the_points_breakdown_is_the_official_calculation(applicant: Account) -> None:
    breakdown = applicant.client.data(POINTS, {"slug": "ca-express-entry-cec"})["pointsBreakdown"]
    today = date.today()
    profile = build_profile(values(stored(reference_quiz(today), today)), today)
    crs = score("crs", profile, today)
    assert (breakdown["system"], breakdown["total"], breakdown["maximum"]) == ("CRS", crs.total, 1200)
    assert breakdown["scale"] == f"CRS {crs.total}"
    assert [(f["key"], f["points"]) for f in breakdown["factors"]] == [(f.key, f.points) for f in crs.factors]
    assert breakdown["missing"] == []
    assert breakdown["cutoff"]["margin"] == crs.total - breakdown["cutoff"]["score"]


ON_A_DAY = """query OnADay($slug: String!, $on: Date) {
  pointsBreakdown(programSlug: $slug, on: $on) { version ruleSet total }
  myRecommendations(first: 1, on: $on) { scoredOn }
}"""


def test_points_and_recommendations_can_be_scored_under_the_rules_of_another_day(applicant: Account) -> None:
    today = date.today()
    profile = build_profile(values(stored(reference_quiz(today), today)), today)
    before = applicant.client.data(ON_A_DAY, {"slug": "ca-express-entry-cec", "on": "2025-03-24"})
    earlier = score("crs", profile, date(2025, 3, 24)).total
    assert before["pointsBreakdown"] == {"version": "2022-11-16", "ruleSet": "IN_FORCE", "total": earlier}
    assert before["myRecommendations"]["scoredOn"] == "2025-03-24"
    now = applicant.client.data(ON_A_DAY, {"slug": "ca-express-entry-cec", "on": None})
    assert now["pointsBreakdown"] == {
        "version": "2025-03-25",
        "ruleSet": "IN_FORCE",
        "total": score("crs", profile, today).total,
    }
    assert now["myRecommendations"]["scoredOn"] == today.isoformat()
    body = applicant.client.gql(ON_A_DAY, {"slug": "ca-express-entry-cec", "on": "2020-01-01"})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "on"}


def test_a_program_without_points_or_an_unknown_one_is_refused(applicant: Account) -> None:
    body = applicant.client.gql(POINTS, {"slug": "us-h1b"})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "programSlug"}
    assert error_code(applicant.client.gql(POINTS, {"slug": "atlantis-golden-visa"})) == "NOT_FOUND"


def test_gap_analysis_lists_concrete_changes_by_effect(applicant: Account) -> None:
    gaps = applicant.client.data(GAPS, {"slug": "ca-express-entry-cec"})["gapAnalysis"]
    assert (gaps["programSlug"], gaps["verdict"], gaps["program"]["name"]) == (
        "ca-express-entry-cec",
        "NOT_ELIGIBLE",
        PROGRAM_BY_SLUG["ca-express-entry-cec"].name,
    )
    first, second = gaps["suggestions"][:2]
    assert (first["key"], first["verdictBefore"], first["verdictAfter"]) == (
        "work.year_in_ca",
        "NOT_ELIGIBLE",
        "ELIGIBLE",
    )
    assert (second["key"], second["pointsDelta"], second["pointsSystem"]) == ("nomination.provincial", 600, "CRS")
    assert second["effect"] == (
        f"CRS +600 ({second['pointsBefore']} → {second['pointsAfter']}), cut-off 508 on 2026-02-17"
    )
    assert second["pointsAfter"] - second["pointsBefore"] == 600 == second["pointsDelta"]
    deltas = [s["pointsDelta"] for s in gaps["suggestions"][1:]]
    assert deltas == sorted(deltas, reverse=True)


def test_top_programs_and_near_misses_carry_their_gaps(applicant: Account) -> None:
    query = "{ myRecommendations(first: 20) { edges { rank nearMiss gaps { key pointsDelta } } } }"
    edges = applicant.client.data(query)["myRecommendations"]["edges"]
    for edge in edges:
        if edge["rank"] > 3 and not edge["nearMiss"]:
            assert edge["gaps"] == []
    assert any(edge["gaps"] for edge in edges if edge["rank"] <= 3)


def test_without_a_completed_assessment_there_is_nothing_to_recommend(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    newcomer = signed_up(server, settings, "newcomer")
    body = newcomer.client.gql(RECOMMENDATIONS, {"first": 5})
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "reason": "NO_COMPLETED_ASSESSMENT"}
    assert error_code(Client(server).gql(RECOMMENDATIONS, {"first": 5})) == "UNAUTHENTICATED"


def test_the_dashboard_costs_the_same_mongo_round_trips_for_3_or_30_programs(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    account = signed_up(server, settings, "dashboard")
    completed(account.client, anywhere_quiz())
    account.client.gql(DASHBOARD, {"first": 1})  # the catalog cache, filled once
    few = account.client.gql(DASHBOARD, {"first": 3})
    many = account.client.gql(DASHBOARD, {"first": 30})
    assert "errors" not in few and "errors" not in many, many
    assert len(many["data"]["myRecommendations"]["edges"]) == 30
    assert {e["node"]["country"]["name"] for e in many["data"]["myRecommendations"]["edges"]} >= {"Canada"}
    # me, the snapshot: the same for 3 as for 30; the programs and countries, also those the loaders give each
    # edge, come from the catalog cache (filled above), not Mongo.
    assert many["extensions"]["mongoCommands"] == few["extensions"]["mongoCommands"] <= 3


SNAPSHOT_RESULTS = """query SnapshotResults($id: ID!, $token: String, $slug: String!) {
  assessment(id: $id, resumeToken: $token) {
    latestSnapshot {
      recommendations(first: 20) {
        totalCount edges { rank programSlug verdict matchScore points { total factors { key points } } gaps { key } }
      }
      pointsBreakdown(programSlug: $slug) { system total factors { key points } }
      gapAnalysis(programSlug: $slug) { programSlug suggestions { key pointsDelta } }
    }
  }
}"""
MY_RESULTS = """query MyResults($slug: String!) {
  myRecommendations(first: 20) {
    totalCount edges { rank programSlug verdict matchScore points { total factors { key points } } gaps { key } }
  }
  pointsBreakdown(programSlug: $slug) { system total factors { key points } }
  gapAnalysis(programSlug: $slug) { programSlug suggestions { key pointsDelta } }
}"""


def test_an_anonymous_assessment_shows_the_same_results_to_its_resume_token_holder(
    server: LiveServer, applicant: Account
) -> None:
    """No account needed to see results: the same answers give what the signed-in applicant sees."""
    visitor = Client(server)
    assessment_id, token = start(visitor)
    take_quiz(visitor, assessment_id, token)
    visitor.data(COMPLETE, {"id": assessment_id, "token": token})
    variables = {"id": assessment_id, "token": token, "slug": "ca-express-entry-fsw"}
    results = visitor.data(SNAPSHOT_RESULTS, variables)["assessment"]["latestSnapshot"]
    signed_in = applicant.client.data(MY_RESULTS, {"slug": "ca-express-entry-fsw"})
    assert results["recommendations"] == signed_in["myRecommendations"]
    assert results["pointsBreakdown"] == signed_in["pointsBreakdown"]
    assert results["gapAnalysis"] == signed_in["gapAnalysis"]
    assert results["recommendations"]["totalCount"] == len(expected())


def test_results_of_an_anonymous_assessment_need_its_resume_token_until_it_is_claimed(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    visitor = Client(server)
    assessment_id, token = start(visitor)
    take_quiz(visitor, assessment_id, token)
    visitor.data(COMPLETE, {"id": assessment_id, "token": token})
    assert token is not None
    variables = {"id": assessment_id, "slug": "ca-express-entry-fsw"}
    stranger = Client(server)
    refused = stranger.gql(SNAPSHOT_RESULTS, variables)
    assert refused["data"] is None and error_code(refused) == "UNAUTHENTICATED"
    wrong = stranger.gql(SNAPSHOT_RESULTS, {**variables, "token": token[:-2] + "xx"})
    assert wrong["data"] is None and error_code(wrong) == "NOT_FOUND"

    owner = signed_up(server, settings, "claimer")
    owner.client.data(CLAIM, {"id": assessment_id, "token": token})
    claimed = owner.client.data(SNAPSHOT_RESULTS, variables)["assessment"]["latestSnapshot"]
    assert claimed["recommendations"]["totalCount"] == len(expected())
    after_claim = visitor.gql(SNAPSHOT_RESULTS, {**variables, "token": token})
    assert after_claim["data"] is None and error_code(after_claim) == "NOT_FOUND"
