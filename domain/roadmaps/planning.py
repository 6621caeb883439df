"""Roadmap dates from catalog steps: topological order, then each step starts when its last prerequisite ends.

Three schedules come out of the same graph: every step at its minimum (the earliest it could all be done),
typical (the target dates) and maximum (the latest a normal case takes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from domain.programs.model import ApplicationStep
from domain.roadmaps.model import Milestone, PlannedStep, Span


class PlanError(ValueError):
    """The steps do not form a plan: an unknown prerequisite or a cycle."""


def topological_order(steps: Sequence[ApplicationStep]) -> tuple[ApplicationStep, ...]:
    """Prerequisites first (Kahn); among steps ready at the same time the catalog's order is kept."""
    keys = {step.key for step in steps}
    for step in steps:
        unknown = [d for d in step.depends_on if d not in keys]
        if unknown:
            raise PlanError(f"step {step.key!r} depends on unknown step(s) {', '.join(unknown)}")
    placed: list[ApplicationStep] = []
    done: set[str] = set()
    waiting = list(steps)
    while waiting:
        ready = next((s for s in waiting if all(d in done for d in s.depends_on)), None)
        if ready is None:
            raise PlanError("steps depend on each other in a cycle: " + ", ".join(s.key for s in waiting))
        placed.append(ready)
        done.add(ready.key)
        waiting.remove(ready)
    return tuple(placed)


def _span(
    step: ApplicationStep,
    start: date,
    planned: Mapping[str, PlannedStep],
    end_of: Callable[[PlannedStep], date],
    days: int,
) -> Span:
    begins = max((end_of(planned[d]) for d in step.depends_on), default=start)
    return Span(begins, begins + timedelta(days=days))


def plan_steps(steps: Sequence[ApplicationStep], start: date) -> tuple[PlannedStep, ...]:
    """Each step's earliest start is the latest end among its prerequisites (or `start` when it has none)."""
    planned: dict[str, PlannedStep] = {}
    for step in topological_order(steps):
        planned[step.key] = PlannedStep(
            key=step.key,
            title=step.title,
            description=step.description,
            depends_on=step.depends_on,
            min_days=step.min_days,
            typical_days=step.typical_days,
            max_days=step.max_days,
            earliest=_span(step, start, planned, lambda p: p.earliest.end, step.min_days),
            target=_span(step, start, planned, lambda p: p.target.end, step.typical_days),
            latest=_span(step, start, planned, lambda p: p.latest.end, step.max_days),
        )
    return tuple(planned.values())


def _ancestors(steps: Sequence[PlannedStep]) -> dict[str, frozenset[str]]:
    found: dict[str, frozenset[str]] = {}
    for step in steps:  # topological order: prerequisites are already known
        found[step.key] = frozenset(step.depends_on).union(*(found[d] for d in step.depends_on))
    return found


def milestones(steps: Sequence[PlannedStep]) -> tuple[Milestone, ...]:
    """Gate steps: every other step is a prerequisite of it or follows it, so its end marks real progress."""
    ancestors = _ancestors(steps)
    keys = {step.key for step in steps}
    gates = []
    for step in steps:
        descendants = {other for other in keys if step.key in ancestors[other]}
        if ancestors[step.key] | descendants | {step.key} == keys:
            gates.append(Milestone(step.key, step.title, step.target.end, step.earliest.end, step.latest.end))
    return tuple(gates)
