"""Report arithmetic over what the store aggregated: stitched actors, funnels, active counts, cohorts."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from domain.analytics.model import EventName

DEFAULT_FUNNEL: tuple[str, ...] = (
    EventName.ASSESSMENT_STARTED,
    EventName.ASSESSMENT_COMPLETED,
    EventName.RESULTS_VIEWED,
    EventName.ROADMAP_CREATED,
    EventName.REPORT_REQUESTED,
)
VISITOR = "visitor"
"""The first stage of `conversion`: anyone with any event in the window."""
CONVERSION_STAGES: tuple[str, ...] = (
    VISITOR,
    EventName.ASSESSMENT_COMPLETED,
    EventName.SIGNED_UP,
    EventName.ROADMAP_CREATED,
    EventName.SUBSCRIPTION_STARTED,
)
_MAX_HOPS = 8


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Dimension(StrEnum):
    """What a funnel can be split by: the stored event field of the same name."""

    PLATFORM = "platform"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class FunnelStep:
    name: str
    actors: int
    conversion: float | None  # from the previous step; None for the first
    period: date | None = None  # grouped funnels: the period people entered the funnel in
    group: str | None = None  # grouped funnels: the platform or country they entered it on


FirstSeen = tuple[datetime, str | None]
"""When an actor first did an event in the window, and the platform or country of that event (if asked for)."""


@dataclass(frozen=True, slots=True)
class ActivePeriod:
    start: date
    actors: int


@dataclass(frozen=True, slots=True)
class Cohort:
    week: date
    size: int
    retained: tuple[int, ...]  # actors active in week 0, 1, 2, … after their first


@dataclass(frozen=True, slots=True)
class DropOff:
    bank_version: int
    question_id: str
    actors: int


@dataclass(frozen=True, slots=True)
class Journey:
    steps: tuple[str, ...]
    actors: int


@dataclass(frozen=True, slots=True)
class OperationDay:
    """One GraphQL operation's requests on one UTC day: how many, how many had errors, latency percentiles."""

    day: date
    operation: str
    operation_type: str
    requests: int
    failed: int
    p50_ms: float | None
    p95_ms: float | None

    @property
    def error_rate(self) -> float:
        return self.failed / self.requests if self.requests else 0.0


def canonical(actor: str, links: Mapping[str, str]) -> str:
    """The account pseudonym an anonymous one was stitched to (following chains), or itself."""
    for _ in range(_MAX_HOPS):
        nxt = links.get(actor)
        if nxt is None or nxt == actor:
            return actor
        actor = nxt
    return actor


def stitched_steps(per_actor: Mapping[str, set[str]], links: Mapping[str, str]) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = defaultdict(set)
    for actor, names in per_actor.items():
        merged[canonical(actor, links)] |= names
    return merged


def funnel(steps: Sequence[str], per_actor: Mapping[str, set[str]]) -> list[FunnelStep]:
    """An actor counts at a step when it did that step and every one before it in the window."""
    result: list[FunnelStep] = []
    previous: int | None = None
    for i, name in enumerate(steps):
        needed = set(steps[: i + 1])
        count = sum(1 for names in per_actor.values() if needed <= names)
        conversion = None if previous is None else (count / previous if previous else 0.0)
        result.append(FunnelStep(name, count, conversion))
        previous = count
    return result


def conversion(people: Mapping[str, set[str]]) -> list[FunnelStep]:
    """Visitor → completed quiz → account → roadmap → paid, by the funnel's rule (each stage and every earlier one)."""
    return funnel(CONVERSION_STAGES, {person: {VISITOR, *names} for person, names in people.items()})


def period_start(day: date, interval: Interval) -> date:
    if interval is Interval.MONTH:
        return day.replace(day=1)
    return day if interval is Interval.DAY else day - timedelta(days=day.weekday())


def stitched_firsts(
    first: Mapping[str, Mapping[str, FirstSeen]], links: Mapping[str, str]
) -> dict[str, dict[str, FirstSeen]]:
    """Each person's earliest of each event across the pseudonyms stitched to them."""
    merged: dict[str, dict[str, FirstSeen]] = defaultdict(dict)
    for actor, seen in first.items():
        person = merged[canonical(actor, links)]
        for name, at in seen.items():
            person[name] = min(at, person.get(name, at), key=lambda s: s[0])
    return merged


def grouped_funnel(
    steps: Sequence[str], people: Mapping[str, Mapping[str, FirstSeen]], interval: Interval | None
) -> list[FunnelStep]:
    """A funnel per group: each person belongs to the period (and platform or country) of the first time they did
    the first step in the window, and counts at later steps as the ungrouped funnel does, so the groups add up to
    it. Groups in order of period, then group."""
    groups: dict[tuple[date | None, str | None], dict[str, set[str]]] = defaultdict(dict)
    for person, seen in people.items():
        if steps[0] not in seen:
            continue
        at, group = seen[steps[0]]
        period = period_start(at.date(), interval) if interval is not None else None
        groups[period, group][person] = set(seen)
    result = []
    for (period, group), per_person in sorted(groups.items(), key=lambda g: (g[0][0] or date.min, g[0][1] or "")):
        result += [replace(s, period=period, group=group) for s in funnel(steps, per_person)]
    return result


def active(actor_days: Iterable[tuple[str, date]], links: Mapping[str, str], interval: Interval) -> list[ActivePeriod]:
    seen: dict[date, set[str]] = defaultdict(set)
    for actor, day in actor_days:
        seen[period_start(day, interval)].add(canonical(actor, links))
    return [ActivePeriod(start, len(actors)) for start, actors in sorted(seen.items())]


def cohorts(actor_days: Iterable[tuple[str, date]], links: Mapping[str, str], weeks: int) -> list[Cohort]:
    """Actors grouped by the week they were first seen; for each, how many were active k weeks later."""
    weeks_of: dict[str, set[date]] = defaultdict(set)
    for actor, day in actor_days:
        weeks_of[canonical(actor, links)].add(period_start(day, Interval.WEEK))
    members: dict[date, list[set[date]]] = defaultdict(list)
    for active_weeks in weeks_of.values():
        members[min(active_weeks)].append(active_weeks)
    result = []
    for first, people in sorted(members.items()):
        retained = tuple(sum(1 for w in people if first + timedelta(weeks=k) in w) for k in range(weeks))
        result.append(Cohort(first, len(people), retained))
    return result


def drop_off(
    last: Mapping[str, tuple[datetime, int, str]], completed: Iterable[str], links: Mapping[str, str]
) -> list[DropOff]:
    """People who answered but never completed, by the last question they answered (most left first)."""
    finished = {canonical(a, links) for a in completed}
    latest: dict[str, tuple[datetime, int, str]] = {}
    for actor, seen in last.items():
        person = canonical(actor, links)
        if person not in finished and (person not in latest or seen[0] > latest[person][0]):
            latest[person] = seen
    counts = Counter((bank, question) for _, bank, question in latest.values())
    return [DropOff(b, q, n) for (b, q), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def journeys(first: Mapping[str, Mapping[str, FirstSeen]], links: Mapping[str, str], top: int) -> list[Journey]:
    """Each person's path: the event names in the order they first happened; the `top` most common paths."""
    merged = stitched_firsts(first, links)
    paths = Counter(tuple(sorted(seen, key=lambda n: (seen[n][0], n))) for seen in merged.values())
    ranked = sorted(paths.items(), key=lambda item: (-item[1], item[0]))
    return [Journey(path, n) for path, n in ranked[:top]]
