"""Roadmap dates: topological order, and each step starting when its last prerequisite ends."""

from datetime import date, timedelta

import pytest

from domain.programs.catalog import CATALOG
from domain.programs.model import ApplicationStep
from domain.roadmaps.planning import PlanError, milestones, plan_steps, topological_order

START = date(2026, 3, 1)


def step(key: str, low: int, typical: int, high: int, *after: str) -> ApplicationStep:
    return ApplicationStep(key, key.title(), f"Do {key}", low, typical, high, tuple(after))


DIAMOND = [
    step("submit", 1, 2, 5, "police", "medical"),
    step("police", 10, 30, 90, "invite"),
    step("invite", 5, 10, 20),
    step("medical", 3, 7, 14, "invite"),
]


def test_prerequisites_come_first_and_ties_keep_the_catalog_order() -> None:
    assert [s.key for s in topological_order(DIAMOND)] == ["invite", "police", "medical", "submit"]


def test_a_step_without_prerequisites_starts_on_the_start_date() -> None:
    invite = plan_steps(DIAMOND, START)[0]
    assert (invite.earliest.start, invite.target.start, invite.latest.start) == (START, START, START)
    assert (invite.earliest.end, invite.target.end, invite.latest.end) == (
        START + timedelta(days=5),
        START + timedelta(days=10),
        START + timedelta(days=20),
    )


def test_a_step_starts_when_its_slowest_prerequisite_ends_in_each_schedule() -> None:
    planned = {s.key: s for s in plan_steps(DIAMOND, START)}
    submit = planned["submit"]
    # police (30 typical) outlasts medical (7): submit waits for police
    assert submit.target.start == planned["police"].target.end == START + timedelta(days=10 + 30)
    assert submit.target.end == START + timedelta(days=42)
    assert submit.earliest.start == START + timedelta(days=5 + 10)
    assert submit.earliest.end == START + timedelta(days=16)
    assert submit.latest.start == START + timedelta(days=20 + 90)
    assert submit.latest.end == START + timedelta(days=115)


def test_minimum_typical_and_maximum_durations_are_kept_on_every_step() -> None:
    police = {s.key: s for s in plan_steps(DIAMOND, START)}["police"]
    assert (police.earliest.days, police.target.days, police.latest.days) == (10, 30, 90)
    assert (police.min_days, police.typical_days, police.max_days) == (10, 30, 90)


def test_the_catalog_express_entry_plan_ends_after_its_longest_chain() -> None:
    fsw = next(p for p in CATALOG if p.slug == "ca-express-entry-fsw")
    planned = plan_steps(fsw.steps, START)
    ends = {s.key: s.target.end for s in planned}
    # eca (60) outlasts the language test (30), then profile 3, invitation 60, police 45 (> medical 21),
    # submission 14, biometrics 14, decision 180, landing 30
    assert ends["landing"] == START + timedelta(days=60 + 3 + 60 + 45 + 14 + 14 + 180 + 30)


def test_an_unknown_prerequisite_is_refused() -> None:
    with pytest.raises(PlanError, match="unknown"):
        plan_steps([step("a", 1, 1, 1, "ghost")], START)


def test_a_cycle_is_refused() -> None:
    with pytest.raises(PlanError, match="cycle"):
        plan_steps([step("a", 1, 1, 1, "b"), step("b", 1, 1, 1, "a")], START)


def test_milestones_are_the_steps_every_route_passes_through() -> None:
    assert [m.key for m in milestones(plan_steps(DIAMOND, START))] == ["invite", "submit"]


def test_a_milestone_dates_are_its_steps_end_in_each_schedule() -> None:
    planned = plan_steps(DIAMOND, START)
    submit = milestones(planned)[-1]
    assert (submit.earliest_date, submit.target_date, submit.latest_date) == (
        START + timedelta(days=16),
        START + timedelta(days=42),
        START + timedelta(days=115),
    )
