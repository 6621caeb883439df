"""bench/journeys.py against this module's server: the funnel and question drop-off an admin reads count exactly
the journeys the script was asked for, as this test counts them from the plan."""

import time
import uuid
from collections import Counter
from datetime import UTC, datetime

from api import remove_mail
from journeys import REPORTS, drive, plan

from domain.assessment.questions import BANK_VERSION
from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import admin
from tests.builders.answers import reference_quiz
from tests.server import LiveServer


def test_a_seeded_run_of_synthetic_journeys_gives_the_funnel_and_drop_off_its_plan_implies(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    questions = [question for question, _ in reference_quiz()]
    journeys = plan(12, seed=17)
    left = [j for j in journeys if j.answers < len(questions)]
    done = [j for j in journeys if j.answers == len(questions)]
    planners = [j for j in done if j.plans]
    assert left and planners and len(planners) < len(done)  # the seed gives every kind of journey
    since, tag = datetime.now(UTC), f"journeys{uuid.uuid4().hex[:8]}"

    try:
        elapsed = drive(server.url, settings, journeys, tag, deadline_s=240)
    finally:
        remove_mail(settings, tag)

    assert elapsed < 240
    n = len(journeys)
    funnel = [
        {"name": "assessment_started", "actors": n, "conversion": None},
        {"name": "assessment_completed", "actors": len(done), "conversion": len(done) / n},
        {"name": "results_viewed", "actors": len(done), "conversion": 1.0},
        {"name": "roadmap_created", "actors": len(planners), "conversion": len(planners) / len(done)},
        {"name": "report_requested", "actors": 0, "conversion": 0.0},
    ]
    last_answered = Counter(questions[j.answers - 1] for j in left)
    drop_off = [
        {"bankVersion": BANK_VERSION, "questionId": question, "actors": count}
        for question, count in sorted(last_answered.items(), key=lambda item: (-item[1], item[0]))
    ]
    boss = admin(server, settings)
    deadline = time.monotonic() + 30
    while True:
        reports = boss.client.data(REPORTS, {"from": since.isoformat()})
        if (reports["analyticsFunnel"], reports["questionDropOff"]) == (funnel, drop_off):
            break
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert reports["analyticsFunnel"] == funnel
    assert reports["questionDropOff"] == drop_off
