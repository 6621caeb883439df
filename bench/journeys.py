"""Synthetic journeys through the real API, then the analytics reports they produce.

`.venv/bin/python bench/journeys.py --journeys 12 --seed 7` starts the local stack if needed, then the real app
on a free loopback port with a database, index, bucket and Redis prefix of its own (seeded with the catalog,
removed afterwards), and drives a seeded mix of journeys as the apps would (visitor id, session, platform and
consent headers, each from its own address): some start the questionnaire anonymously and leave after a chosen
question, some complete it and read their results, some go on to sign up (verified from the mail sink), claim
the assessment and create a roadmap. It prints what it asked for beside `analyticsFunnel` and `questionDropOff`
as an admin reads them. Requests go to loopback only, each with a timeout; the run has an overall deadline.
`tests/bench/test_journeys.py` runs it against a test module's server and checks the reports count exactly.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api import own_api

from devstack import read_mail
from migratio.settings import Settings
from tests.builders.accounts import LOGIN, REGISTER, VERIFY, admin, link_token
from tests.builders.answers import reference_quiz
from tests.builders.quiz import ANSWER, CLAIM, COMPLETE, START
from tests.builders.roadmaps import CREATE, FSW
from tests.isolation import run_settings

PASSWORD = "tangerine-lantern-42"
REQUEST_TIMEOUT_S = 15.0
MAIL_WAIT_S = 15.0
RESULTS = """query Results($id: ID!, $token: String) {
  assessment(id: $id, resumeToken: $token) { latestSnapshot { recommendations(first: 3) { totalCount } } }
}"""
REPORTS = """query Reports($from: DateTime!) {
  analyticsFunnel(from: $from) { name actors conversion }
  questionDropOff(from: $from) { bankVersion questionId actors }
}"""


@dataclass(frozen=True)
class Journey:
    """One person's way through: `answers` questions of the reference quiz (all of them: completes and reads the
    results), then, when `plans`, sign-up, claim and a roadmap."""

    visitor: str
    answers: int
    plans: bool = False

    @property
    def completes(self) -> bool:
        return self.answers >= len(reference_quiz())


def plan(count: int, seed: int) -> list[Journey]:
    """Half leave, each after a question the seed picks; a quarter complete; a quarter complete and plan (in an
    order the seed shuffles)."""
    rng = random.Random(seed)
    total = len(reference_quiz())
    planners, leavers = count // 4, count // 2
    kinds = [(rng.randint(1, total - 1), False) for _ in range(leavers)]
    kinds += [(total, n < planners) for n in range(count - leavers)]
    rng.shuffle(kinds)
    return [Journey(f"visitor-synthetic-{seed}-{n:03d}", a, p) for n, (a, p) in enumerate(kinds)]


class Caller:
    """An app install on one (made-up) address: every request states its origin in the analytics headers."""

    def __init__(self, url: str, journey: Journey, address: str) -> None:
        if not ip_address(urlsplit(url).hostname or "").is_loopback:
            raise ValueError(f"journeys run against loopback only, not {url}")
        self.http = httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S)
        self.headers = {
            "x-forwarded-for": address,
            "x-visitor-id": journey.visitor,
            "x-session-id": f"session-{journey.visitor}",
            "x-client-platform": "web",
            "x-app-version": "synthetic-1",
            "x-residence-country": "US",
            "x-analytics-consent": "on",
        }

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.http.post("/graphql", json={"query": query, "variables": variables}, headers=self.headers).json()
        if body.get("errors"):
            raise RuntimeError(f"{query.split('(')[0][:40]!r} failed: {body['errors']}")
        found: dict[str, Any] = body["data"]
        return found


def walk(url: str, settings: Settings, journey: Journey, address: str, tag: str) -> None:
    caller = Caller(url, journey, address)
    try:
        started = caller.data(START)["startAssessment"]
        assessment_id, token = started["assessment"]["id"], started["resumeToken"]
        for question, value in reference_quiz()[: journey.answers]:
            caller.data(ANSWER, {"id": assessment_id, "question": question, "value": value, "token": token})
        if not journey.completes:
            return
        caller.data(COMPLETE, {"id": assessment_id, "token": token})
        caller.data(RESULTS, {"id": assessment_id, "token": token})
        if journey.plans:
            _sign_up(caller, settings, f"{tag}-{journey.visitor}@example.com")
            caller.data(CLAIM, {"id": assessment_id, "token": token})
            caller.data(CREATE, {"slug": FSW, "start": date.today().isoformat(), "countries": None})
    finally:
        caller.http.close()


def _sign_up(caller: Caller, settings: Settings, email: str) -> None:
    """Register under the visitor's headers (so it is stitched to the account), verify from the mail, log in."""
    caller.data(REGISTER, {"input": {"email": email, "password": PASSWORD, "name": "Synthetic Person"}})
    deadline = time.monotonic() + MAIL_WAIT_S
    while not (found := read_mail(settings.stack_dir, to=email)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"no verification mail to {email}")
        time.sleep(0.1)
    caller.data(VERIFY, {"token": link_token(found[0])})
    tokens = caller.data(LOGIN, {"email": email, "password": PASSWORD})["login"]
    caller.headers["authorization"] = f"Bearer {tokens['accessToken']}"


def drive(
    url: str, settings: Settings, journeys: list[Journey], tag: str, *, workers: int = 4, deadline_s: float = 300
) -> float:
    """Runs every journey (a few at a time, each from its own address); returns the seconds it took."""
    started = time.monotonic()
    addresses = [f"198.19.{n // 250}.{n % 250 + 1}" for n in range(len(journeys))]  # RFC 2544: never contacted
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running = [pool.submit(walk, url, settings, j, a, tag) for j, a in zip(journeys, addresses, strict=True)]
        for future in running:
            future.result(timeout=max(1.0, deadline_s - (time.monotonic() - started)))
    return time.monotonic() - started


def read_reports(
    query: Callable[[str, dict[str, Any]], dict[str, Any]], since: datetime, started: int, wait_s: float = 30
) -> dict[str, Any]:
    """The reports once every started journey is counted, read again after the next flush and refresh (events
    are sent every ANALYTICS_FLUSH_INTERVAL_S, then searchable within OpenSearch's 1 s refresh)."""
    deadline = time.monotonic() + wait_s
    while query(REPORTS, {"from": since.isoformat()})["analyticsFunnel"][0]["actors"] < started:
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    time.sleep(3)
    return query(REPORTS, {"from": since.isoformat()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--deadline", type=float, default=300, help="seconds the journeys may take in all")
    args = parser.parse_args()
    settings = run_settings("bench")
    tag = f"journeys{uuid.uuid4().hex[:8]}"
    journeys = plan(args.journeys, args.seed)
    with own_api(settings, tag) as live:
        since = datetime.now(UTC)
        elapsed = drive(live.url, settings, journeys, tag, deadline_s=args.deadline)
        reports = read_reports(admin(live, settings).client.data, since, len(journeys))
    asked = {
        "journeys": len(journeys),
        "left": sum(not j.completes for j in journeys),
        "completed": sum(j.completes for j in journeys),
        "planned": sum(j.plans for j in journeys),
        "seconds": round(elapsed, 1),
    }
    print(json.dumps({"asked": asked, **reports}, indent=2))


if __name__ == "__main__":
    main()
