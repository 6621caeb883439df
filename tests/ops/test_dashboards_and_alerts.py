"""ops/: the alert rules pass `promtool check rules` and their unit tests, the dashboard's queries parse as PromQL
and its JSON has the shape Grafana imports, and every metric either references is one the API exposes."""

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families
from saq import Job

from datasources import jobs
from migratio.settings import PROJECT_ROOT, Settings
from tests.server import LiveServer, start_server

RULES = PROJECT_ROOT / "ops" / "prometheus" / "alerts.yml"
RULE_TESTS = PROJECT_ROOT / "ops" / "prometheus" / "alerts.test.yml"
DASHBOARD = PROJECT_ROOT / "ops" / "grafana" / "migratio-api.json"
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$job": "migratio"}
# words of PromQL that are not metric names (functions are told apart by the parenthesis that follows them)
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset"}
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")

# What the dashboard must be for Grafana to import it and for these checks to mean something.
DASHBOARD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["uid", "title", "schemaVersion", "panels", "templating", "time"],
    "properties": {
        "uid": {"type": "string", "pattern": "^[a-z0-9-]{1,40}$"},
        "title": {"type": "string", "minLength": 1},
        "schemaVersion": {"type": "integer", "minimum": 36},
        "templating": {
            "type": "object",
            "required": ["list"],
            "properties": {
                "list": {
                    "type": "array",
                    "contains": {
                        "type": "object",
                        "properties": {"name": {"const": "datasource"}, "type": {"const": "datasource"}},
                        "required": ["name", "type"],
                    },
                }
            },
        },
        "panels": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "type", "title", "gridPos", "datasource", "targets"],
                "properties": {
                    "id": {"type": "integer", "minimum": 1},
                    "type": {"enum": ["timeseries", "stat", "gauge", "table", "bargauge", "state-timeline"]},
                    "title": {"type": "string", "minLength": 1},
                    "datasource": {"const": {"type": "prometheus", "uid": "${datasource}"}},
                    "gridPos": {
                        "type": "object",
                        "required": ["x", "y", "w", "h"],
                        "properties": {
                            "x": {"type": "integer", "minimum": 0, "maximum": 23},
                            "y": {"type": "integer", "minimum": 0},
                            "w": {"type": "integer", "minimum": 1, "maximum": 24},
                            "h": {"type": "integer", "minimum": 1},
                        },
                    },
                    "targets": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["refId", "expr"],
                            "properties": {
                                "refId": {"type": "string", "pattern": "^[A-Z]$"},
                                "expr": {"type": "string", "minLength": 1},
                            },
                        },
                    },
                },
            },
        },
    },
}


def promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("promtool")
    assert binary, "promtool missing: scripts/bootstrap installs Debian's prometheus package"
    return subprocess.run([binary, *map(str, args)], capture_output=True, text=True, timeout=60, check=False)


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def dashboard_queries() -> list[str]:
    """Every panel query with Grafana's variables replaced, as Prometheus would receive it."""
    queries = []
    for panel in dashboard()["panels"]:
        for target in panel["targets"]:
            expr = target["expr"]
            for variable, value in GRAFANA_VARIABLES.items():
                expr = expr.replace(variable, value)
            queries.append(expr)
    return queries


def rule_queries() -> list[str]:
    return [rule["expr"] for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]


def metric_names(expr: str) -> set[str]:
    """Metric names a PromQL expression selects: identifiers left once strings, label matchers, grouping
    clauses, ranges and numbers are gone, other than function names and keywords."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    names = re.findall(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()", expr)
    return {name for name in names if name not in KEYWORDS and not re.fullmatch(r"[0-9.e+-]+|inf|nan", name)}


def test_the_alert_rules_pass_promtool_check() -> None:
    checked = promtool("check", "rules", RULES)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 6 rules found" in checked.stdout


def test_the_alert_rules_unit_tests_pass() -> None:
    tested = promtool("test", "rules", RULE_TESTS)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    """promtool parses rule expressions, so each query becomes a recording rule of a scratch file."""
    queries = dashboard_queries()
    rules = [{"record": f"dashboard:query_{n}", "expr": expr} for n, expr in enumerate(queries)]
    scratch = tmp_path / "dashboard_queries.yml"
    scratch.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    checked = promtool("check", "rules", scratch)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(queries)} rules found" in checked.stdout


def test_the_dashboard_has_the_shape_grafana_imports() -> None:
    board = dashboard()
    jsonschema.validate(board, DASHBOARD_SCHEMA)
    panels = board["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    for panel in panels:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        ref_ids = [t["refId"] for t in panel["targets"]]
        assert len(set(ref_ids)) == len(ref_ids), panel["title"]
    cells = [
        (x, y, p["title"])
        for p in panels
        for x in range(p["gridPos"]["x"], p["gridPos"]["x"] + p["gridPos"]["w"])
        for y in range(p["gridPos"]["y"], p["gridPos"]["y"] + p["gridPos"]["h"])
    ]
    assert len({(x, y) for x, y, _ in cells}) == len(cells), "panels overlap"


def test_metric_names_are_read_from_promql() -> None:
    expr = 'histogram_quantile(0.95, sum by (job, le) (rate(a_seconds_bucket{code=~"X|Y"}[5m]))) > 1 and b_total'
    assert metric_names(expr) == {"a_seconds_bucket", "b_total"}


@pytest.fixture(scope="module")
def own_queue_server(settings: Settings) -> Iterator[LiveServer]:
    """The API on a queue of this module's own, which no worker serves, so its depth is known."""
    live = start_server(settings.model_copy(update={"job_queue": f"{settings.redis_key_prefix}-queue"}))
    yield live
    live.stop()


def exposed(server: LiveServer) -> tuple[set[str], dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    """The families /metrics lists and every sample (name and sorted labels → value)."""
    text = httpx.get(f"{server.url}/metrics", timeout=30).text
    families, samples = set(), {}
    for family in text_string_to_metric_families(text):
        families.add(family.name)
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return families, samples


async def test_every_metric_the_dashboard_and_alerts_use_is_exposed(
    own_queue_server: LiveServer, settings: Settings
) -> None:
    queue = jobs.connect_queue(settings.redis_url, f"{settings.redis_key_prefix}-queue", 5)
    try:
        for n in range(3):
            await queue.enqueue(Job("nothing", key=f"waiting-{n}"))
    finally:
        await queue.disconnect()
    own_queue_server.gql("query Health { health { ok } }")
    own_queue_server.gql("{ noSuchField }")
    families, samples = exposed(own_queue_server)
    referenced = {name for expr in dashboard_queries() + rule_queries() for name in metric_names(expr)}
    assert referenced >= {"graphql_errors_total", "readiness_ready", "dependency_up", "job_queue_depth"}
    missing = {name for name in referenced if name not in families and name.removesuffix(_suffix(name)) not in families}
    assert not missing, f"not on /metrics: {sorted(missing)}"
    assert samples[("readiness_ready", ())] == 1
    up = {dict(labels)["dependency"]: value for (name, labels), value in samples.items() if name == "dependency_up"}
    assert up == {"mongodb": 1, "redis": 1, "opensearch": 1, "s3": 1, "smtp": 1}
    assert samples[("job_queue_depth", (("state", "queued"),))] == 3
    assert samples[("job_queue_depth", (("state", "active"),))] == 0
    errors = {
        dict(labels)["code"]: value for (name, labels), value in samples.items() if name == "graphql_errors_total"
    }
    assert errors == {"BAD_USER_INPUT": 1}


def _suffix(name: str) -> str:
    return next((suffix for suffix in SUFFIXES if name.endswith(suffix)), "")
