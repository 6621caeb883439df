"""Calendar arithmetic and years of work inside a look-back window, as the points tables count them."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import pairwise

from domain.profile import WorkEntry

FULL_TIME_HOURS_CANADA = 30.0
HOURS_PER_YEAR_CANADA = 1560.0
"""IRCC: 1,560 hours (30 h/week for a year) = one year of full-time work; more hours do not count extra."""

DAYS_PER_YEAR = 365.0


def add_months(day: date, months: int) -> date:
    """Same day-of-month `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


Criterion = tuple[str, Callable[[WorkEntry], bool | None]]
"""(fact name, test): the test returns None when the fact needed was not answered."""


def qualifying_entries(
    entries: Sequence[WorkEntry], criteria: Iterable[Criterion], path: str
) -> tuple[list[WorkEntry], list[str]]:
    """Entries meeting every criterion, and the unanswered facts of entries that might have qualified.

    An entry that fails a known criterion is dropped without asking about its other facts.
    """
    rules = list(criteria)
    kept: list[WorkEntry] = []
    missing: list[str] = []
    for index, entry in enumerate(entries):
        unknown: list[str] = []
        failed = False
        for name, test in rules:
            verdict = test(entry)
            if verdict is None:
                unknown.append(f"{path}[{index}].{name}")
            elif not verdict:
                failed = True
                break
        if failed:
            continue
        if unknown:
            missing.extend(unknown)
        else:
            kept.append(entry)
    return kept, missing


def in_window(since: date, until: date) -> Criterion:
    return ("start", lambda entry: entry.start < until and (entry.end is None or entry.end > since))


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


def skilled_work_criteria(since: date, until: date, *, country: str, inside: bool | None) -> list[Criterion]:
    """Paid skilled work (TEER 0–3) done in the window, with its weekly hours known (`fte_years` counts
    them: full time, or part time adding up to the same hours — IRCC, FSW/CEC work experience).

    `inside` True keeps work done in `country` with the right to work there and not self-employed (for
    Canada, not while a full-time student either); False keeps work done outside `country`; None any.
    """
    rules: list[Criterion] = [in_window(since, until)]
    if inside is not None:
        rules.append(("country", lambda e: (e.country == country) is inside))
    rules += [("teer", lambda e: e.skilled), ("paid", lambda e: e.paid)]
    if inside:
        rules.append(("self_employed", lambda e: _not(e.self_employed)))
        if country == "CA":
            rules.append(("while_full_time_student", lambda e: _not(e.while_full_time_student)))
        rules.append(("authorised", lambda e: e.authorised))
    rules.append(("hours_per_week", lambda e: None if e.hours_per_week is None else e.hours_per_week > 0))
    return rules


def _segments(entries: Iterable[WorkEntry], since: date, until: date) -> list[tuple[date, date, float]]:
    spans = []
    for entry in entries:
        start = max(entry.start, since)
        end = min(entry.end or until, until)
        if start < end:
            spans.append((start, end, entry.hours_per_week or 0.0))
    return spans


def fte_years(
    entries: Iterable[WorkEntry],
    *,
    since: date,
    until: date,
    full_time_hours: float = FULL_TIME_HOURS_CANADA,
    hours_per_year: float = HOURS_PER_YEAR_CANADA,
) -> float:
    """Full-time-equivalent years: hours worked at the same time add up, but never past full time."""
    spans = _segments(entries, since, until)
    points = sorted({day for start, end, _ in spans for day in (start, end)})
    hours = 0.0
    for left, right in pairwise(points):
        weekly = sum(h for start, end, h in spans if start <= left and end >= right)
        hours += min(weekly, full_time_hours) * (right - left).days / 7
    # 1,560 hours is 364 days of full time; round away float noise so that edge lands on 1.0.
    return round(hours / hours_per_year, 9)


def calendar_years(entries: Iterable[WorkEntry], *, since: date, until: date) -> float:
    """Years of calendar time covered by any of the entries (overlaps count once); 365 days = 1 year."""
    spans = sorted((start, end) for start, end, _ in _segments(entries, since, until))
    days = 0
    cursor = since
    for start, end in spans:
        start = max(start, cursor)
        if end > start:
            days += (end - start).days
            cursor = end
    return days / DAYS_PER_YEAR


def merged_stretches(spans: Iterable[tuple[date, date]], *, since: date, until: date) -> list[tuple[date, date]]:
    """Spans clipped to the window, with touching or overlapping ones merged into one stretch."""
    merged: list[tuple[date, date]] = []
    for start, end in sorted((max(s, since), min(e, until)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
