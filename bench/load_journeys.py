"""The Locust users bench/load.py runs: the apps' mixed journey, sent as the apps send it.

Not meant to be run alone: bench/load.py writes the scenario file (API URLs, personas, weights, timeouts) and
passes it as `--scenario`, then reads the report this module writes when Locust quits. Documents are those of
clients/operations, sent like Apollo's PersistedQueryLink does (hash only — queries by GET, mutations by
POST — and the text once when the hash is unknown), with Apollo Client 4's `Accept` header, so an error has
its HTTP status. Every request has a timeout; only loopback URLs are accepted.
"""

from __future__ import annotations

import email.policy
import hashlib
import itertools
import json
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from ipaddress import ip_address
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import gevent
from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, parse, print_ast, visit
from graphql.language import FragmentSpreadNode, Visitor
from locust import FastHttpUser, events
from locust.env import Environment
from locust.exception import StopUser
from locust.stats import StatsEntry
from locust.user.users import LOCUST_STATE_STOPPING

OPERATIONS_DIR = Path(__file__).resolve().parent.parent / "clients" / "operations"
ACCEPT = "application/graphql-response+json,application/json;q=0.9"
PASSWORD = "tangerine-lantern-42"
SEARCHES = ("express entry", "skilled worker", "student", "germany", "nurse", "points", "job offer", "family")
MAX_ANSWERS = 100
"""A journey asking more questions than this is a loop, not a questionnaire."""
UNKNOWN_HASH = "(hash unknown: query sent)"
MAIL_WAIT_S = 15


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    sha256: str
    query: bool


def client_documents(directory: Path = OPERATIONS_DIR) -> dict[str, Document]:
    """Each operation the apps send, with the fragments it spreads, printed as one document."""
    definitions = [d for f in sorted(directory.glob("*.graphql")) for d in parse(f.read_text()).definitions]
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}

    def spreads(node: Any) -> set[str]:
        found: set[str] = set()

        class Spreads(Visitor):
            def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: Any) -> None:
                found.add(spread.name.value)

        visit(node, Spreads())
        return found

    documents = {}
    for operation in definitions:
        if not isinstance(operation, OperationDefinitionNode) or operation.name is None:
            continue
        needed, todo = set(), spreads(operation)
        while todo:
            name = todo.pop()
            if name not in needed:
                needed.add(name)
                todo |= spreads(fragments[name])
        text = print_ast(DocumentNode(definitions=(operation, *(fragments[n] for n in sorted(needed)))))
        name = operation.name.value
        documents[name] = Document(
            name, text, hashlib.sha256(text.encode()).hexdigest(), operation.operation.value == "query"
        )
    return documents


def loopback(url: str) -> str:
    """The URL, if its host is a loopback address literal (127.0.0.0/8 or ::1); no name is resolved."""
    try:
        allowed = ip_address(urlsplit(url).hostname or "").is_loopback
    except ValueError:
        allowed = False
    if not allowed:
        raise SystemExit(f"refusing {url}: the load scenario only sends traffic to 127.0.0.1 or ::1")
    return url.rstrip("/")


class Run:
    """What the whole Locust process shares: the scenario, the tallies, and what the API acknowledged."""

    scenario: ClassVar[dict[str, Any]] = {}
    documents: ClassVar[dict[str, Document]] = {}
    urls: ClassVar[Iterator[str]] = iter(())
    errors: ClassVar[Counter[tuple[str, str, int]]] = Counter()
    examples: ClassVar[dict[tuple[str, str, int], str]] = {}
    journeys: ClassVar[Counter[str]] = Counter()
    assessments: ClassVar[list[dict[str, Any]]] = []
    requests: ClassVar[int] = 0
    environment: ClassVar[Environment | None] = None


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--scenario", default="", help="JSON file written by bench/load.py")


@events.init.add_listener
def _init(environment: Environment, **_: Any) -> None:
    assert environment.parsed_options is not None, "run by bench/load.py, which passes --scenario"
    scenario = json.loads(Path(environment.parsed_options.scenario).read_text())
    Run.scenario, Run.environment = scenario, environment
    Run.documents = client_documents()
    Run.urls = itertools.cycle([loopback(url) for url in scenario["urls"]])
    weights = scenario["weights"]
    AppUser.tasks = [journey for name, journey in JOURNEYS.items() for _ in range(weights[name])]


@events.request.add_listener
def _count(**_: Any) -> None:
    """Bounded in count as well as in time: the run quits at `max_requests`."""
    Run.requests += 1
    if Run.requests == Run.scenario["max_requests"] and Run.environment and Run.environment.runner:
        gevent.spawn(Run.environment.runner.quit)


@events.quitting.add_listener
def _report(environment: Environment, **_: Any) -> None:
    merged: dict[str, StatsEntry] = {}
    for entry in environment.stats.entries.values():
        # A query sent again with its text goes by POST after a GET: one row per operation.
        merged.setdefault(entry.name, StatsEntry(environment.stats, entry.name, "")).extend(entry)
    operations = []
    for entry in merged.values():
        operations.append(
            {
                "name": entry.name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                **{
                    f"p{p}": entry.get_response_time_percentile(p / 100) if entry.num_requests else None
                    for p in (50, 95, 99)
                },
                "max": entry.max_response_time if entry.num_requests else None,
            }
        )
    report = {
        "operations": sorted(operations, key=lambda o: str(o["name"])),
        "errors": [
            {
                "operation": op,
                "code": code,
                "status": status,
                "count": n,
                "example": Run.examples.get((op, code, status), ""),
            }
            for (op, code, status), n in sorted(Run.errors.items())
        ],
        "journeys": dict(sorted(Run.journeys.items())),
        "assessments": Run.assessments,
        "requests": Run.requests,
    }
    Path(Run.scenario["report"]).write_text(json.dumps(report))


class AppUser(FastHttpUser):
    """One person using the web or mobile app: browses the catalog, takes the assessment, reads results."""

    host = "http://127.0.0.1"  # replaced per user, round-robin over the API processes

    def __init__(self, environment: Environment) -> None:
        self.host = next(Run.urls)
        self.network_timeout = self.connection_timeout = Run.scenario["timeout_s"]
        super().__init__(environment)
        self.bearer: str | None = None

    def wait_time(self) -> float:
        return self.think_s()

    def think_s(self) -> float:
        think: float = Run.scenario["think_s"]
        return random.uniform(0.5, 1.5) * think

    def pause(self) -> None:
        """Think, unless the run is ending: then the journey stops here, between two requests."""
        for _ in range(2):
            if self._state == LOCUST_STATE_STOPPING:
                raise StopUser()
            gevent.sleep(self.think_s() / 2)

    def gql(self, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The operation's data, or None when it failed (the failure is tallied by code and HTTP status)."""
        document = Run.documents[name]
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": document.sha256}}
        body = {"operationName": name, "variables": variables or {}, "extensions": extensions}
        headers = {"accept": ACCEPT, "user-agent": "migratio-load"}
        if self.bearer:
            headers["authorization"] = f"Bearer {self.bearer}"
        if document.query:
            params = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in body.items()}
            sent = self.client.request(
                "GET", "/graphql", name=name, params=params, headers=headers, catch_response=True
            )
        else:
            sent = self.client.request("POST", "/graphql", name=name, json=body, headers=headers, catch_response=True)
        resend, data = self._read(name, sent)
        if resend:
            with_text = {**body, "query": document.text}
            sent = self.client.request(
                "POST", "/graphql", name=name, json=with_text, headers=headers, catch_response=True
            )
            _, data = self._read(name, sent)
        return data

    def _read(self, name: str, sent: Any) -> tuple[bool, dict[str, Any] | None]:
        """(whether to send the query text because the hash was unknown, the data if the operation succeeded)."""
        with sent as response:
            status = response.status_code or 0
            if not status or response.text is None:
                error = type(response.error).__name__ if response.error else "no response"
                self._fail(response, name, f"network: {error}", 0, str(response.error or ""))
                return False, None
            try:
                reply = json.loads(response.text)
            except ValueError:
                self._fail(response, name, "not JSON", status, response.text)
                return False, None
            errors = reply.get("errors") or []
            codes = [(e.get("extensions") or {}).get("code", "NO_CODE") for e in errors]
            if codes == ["PERSISTED_QUERY_NOT_FOUND"]:
                response.request_meta["name"] = UNKNOWN_HASH
                response.success()
                return True, None
            if codes or status != 200 or not isinstance(reply.get("data"), dict):
                for code, error in zip(codes or ["(none)"], errors or [{}], strict=False):
                    self._fail(response, name, code, status, error.get("message", response.text))
                return False, None
            response.success()
            data: dict[str, Any] = reply["data"]
            return False, data

    def _fail(self, response: Any, name: str, code: str, status: int, example: str) -> None:
        Run.errors[(name, code, status)] += 1
        Run.examples.setdefault((name, code, status), example[:200])
        response.failure(f"{code} (HTTP {status})")

    def browse(self) -> None:
        """The catalog screens: a search, then one or two program pages from its results."""
        Run.journeys["browse: started"] += 1
        found = self.gql("SearchPrograms", {"search": random.choice(SEARCHES), "first": 10})
        if found is None:
            return
        slugs = [edge["node"]["slug"] for edge in found["programs"]["edges"]]
        for slug in random.sample(slugs, min(len(slugs), random.randint(1, 2))):
            self.pause()
            if self.gql("ProgramDetail", {"slug": slug}) is None:
                return
        Run.journeys["browse: finished"] += 1

    def anonymous(self) -> None:
        """A visitor: the assessment under its resume token, then the results through the same token."""
        Run.journeys["anonymous: started"] += 1
        self.bearer = None
        taken = self.assessment("anonymous")
        if taken is None:
            return
        self.pause()
        read = self.gql(
            "SnapshotRecommendations", {"assessmentId": taken["id"], "resumeToken": taken["resumeToken"], "first": 10}
        )
        if read is not None and read["assessment"]["latestSnapshot"]["recommendations"]["edges"]:
            Run.journeys["anonymous: finished"] += 1

    def registered(self) -> None:
        """A person who signs up first: register, open the link from the mail (read from the local sink),
        log in, the assessment, then `myRecommendations` and one points breakdown."""
        Run.journeys["registered: started"] += 1
        self.bearer = None
        email = f"{Run.scenario['tag']}-{uuid.uuid4().hex[:10]}@example.com"
        if self.gql("Register", {"input": {"email": email, "password": PASSWORD, "name": "Load Tester"}}) is None:
            return
        link = verification_token(email)
        if link is None:
            Run.errors[("Register", "no verification mail", 200)] += 1
            return
        self.pause()
        if self.gql("VerifyEmail", {"token": link}) is None:
            return
        self.pause()
        tokens = self.gql("Login", {"email": email, "password": PASSWORD})
        if tokens is None or tokens["login"]["__typename"] != "AuthTokens":
            return
        self.bearer = tokens["login"]["accessToken"]
        if self.assessment("registered") is None:
            return
        self.pause()
        ranked = self.gql("MyRecommendations", {"first": 10})
        if ranked is None:
            return
        scored = [e["programSlug"] for e in ranked["myRecommendations"]["edges"] if e["points"]]
        if scored:
            self.pause()
            if self.gql("PointsBreakdown", {"programSlug": scored[0]}) is None:
                return
        Run.journeys["registered: finished"] += 1

    def assessment(self, journey: str) -> dict[str, Any] | None:
        """Start, answer what `nextQuestion` asks as one persona, complete; every acknowledged answer is kept."""
        started = self.gql("StartAssessment")
        if started is None:
            return None
        token = started["startAssessment"]["resumeToken"]
        progress = started["startAssessment"]["assessment"]["progress"]
        persona: dict[str, Any] = random.choice(list(Run.scenario["personas"].values()))
        kept: dict[str, Any] = {
            "id": progress["assessmentId"],
            "resumeToken": token,
            "bearer": self.bearer,
            "journey": journey,
            "answers": {},
            "revision": progress["revision"],
            "completed": False,
        }
        Run.assessments.append(kept)
        for _ in range(MAX_ANSWERS):
            question = progress["nextQuestion"]
            if question is None:
                break
            if question["id"] not in persona:
                Run.errors[("AnswerQuestion", f"unplanned question {question['id']}", 200)] += 1
                return None
            self.pause()
            value = persona[question["id"]]
            answered = self.gql(
                "AnswerQuestion",
                {"assessmentId": kept["id"], "questionId": question["id"], "value": value, "resumeToken": token},
            )
            if answered is None:
                return None
            payload = answered["answerQuestion"]
            kept["answers"][question["id"]] = value
            for dropped in payload["droppedAnswers"]:
                kept["answers"].pop(dropped, None)
            progress = payload["assessment"]["progress"]
            kept["revision"] = payload["assessment"]["revision"]
        self.pause()
        if self.gql("CompleteAssessment", {"assessmentId": kept["id"], "resumeToken": token}) is None:
            return None
        kept["completed"] = True
        return kept


def verification_token(to: str) -> str | None:
    """The token of the link in the confirmation mail the local SMTP sink stored for `to`."""
    deadline = time.monotonic() + MAIL_WAIT_S
    needle = to.encode()
    while time.monotonic() < deadline:
        for path in Path(Run.scenario["mail_dir"]).glob("*.eml"):
            try:
                raw = path.read_bytes()
            except OSError:  # removed meanwhile by another run's cleanup
                continue
            if needle not in raw:
                continue
            message = BytesParser(policy=email.policy.default).parsebytes(raw.replace(b"\r\n", b"\n"))
            body = message.get_body(("plain",)) if isinstance(message, EmailMessage) else None
            found = re.search(r"token=(\S+)", body.get_content()) if body is not None else None
            if found:
                return unquote(found.group(1))
        gevent.sleep(0.2)
    return None


JOURNEYS: dict[str, Callable[[AppUser], None]] = {
    "browse": AppUser.browse,
    "anonymous": AppUser.anonymous,
    "registered": AppUser.registered,
}
