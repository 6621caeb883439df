"""bench/load.py run briefly, so it cannot rot: the scenario runs, reports its operations, and loses no answer."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migratio.settings import PROJECT_ROOT

SMOKE = "--users 5 --spawn-rate 5 --run-time 6s --processes 1 --think-time 0.2 --browse 1 --anonymous 2 --registered 2"

# An API process, Locust and the stack take both cores: it runs with no other test beside it.
pytestmark = pytest.mark.alone


def test_load_scenario_of_five_users_reports_each_operation_and_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    figures_file = tmp_path / "load.json"
    run = subprocess.run(
        [sys.executable, "bench/load.py", *SMOKE.split(), "--json", str(figures_file)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    figures = json.loads(figures_file.read_text())
    rows = {row["name"]: row for row in figures["operations"]}
    assert {"StartAssessment", "AnswerQuestion"} <= rows.keys(), rows.keys()
    assert all(row["requests"] > 0 and row["p95"] is not None for row in rows.values())
    assert figures["data"]["answers"] > 0
    assert figures["data"]["lost"] == []
    assert figures["data"]["unreadable"] == []
