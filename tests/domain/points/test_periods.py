"""Calendar arithmetic and work-year counting the calculators share."""

from datetime import date

import pytest

from domain.points.periods import add_months, add_years, calendar_years, fte_years, merged_stretches
from domain.profile import WorkEntry


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 6, 1), -120, date(2016, 6, 1)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_add_years_is_twelve_months() -> None:
    assert add_years(date(2020, 2, 29), 2) == date(2022, 2, 28)


def _entry(start: date, end: date | None, hours: float) -> WorkEntry:
    return WorkEntry("CA", start, end, hours)


SINCE, UNTIL = date(2016, 6, 1), date(2026, 6, 1)


def test_fte_years_caps_simultaneous_jobs_at_full_time() -> None:
    jobs = [_entry(date(2025, 6, 1), None, 30), _entry(date(2025, 6, 1), None, 30)]
    assert int(fte_years(jobs, since=SINCE, until=UNTIL)) == 1


def test_fte_years_prorates_part_time() -> None:
    assert int(fte_years([_entry(date(2024, 6, 1), None, 15)], since=SINCE, until=UNTIL)) == 1
    assert int(fte_years([_entry(date(2024, 6, 3), None, 15)], since=SINCE, until=UNTIL)) == 1  # 728 days = 1,560 h
    assert int(fte_years([_entry(date(2024, 6, 4), None, 15)], since=SINCE, until=UNTIL)) == 0


def test_fte_years_only_count_inside_the_window() -> None:
    assert fte_years([_entry(date(2010, 1, 1), date(2016, 6, 1), 40)], since=SINCE, until=UNTIL) == 0


def test_calendar_years_count_overlaps_once() -> None:
    jobs = [_entry(date(2023, 6, 1), date(2025, 6, 1), 40), _entry(date(2024, 6, 1), date(2026, 6, 1), 40)]
    assert calendar_years(jobs, since=SINCE, until=UNTIL) == pytest.approx(1096 / 365)


def test_merged_stretches_join_touching_spans_and_clip_to_the_window() -> None:
    spans = [
        (date(2015, 1, 1), date(2017, 1, 1)),
        (date(2017, 1, 1), date(2017, 3, 1)),
        (date(2020, 1, 1), date(2020, 2, 1)),
    ]
    assert merged_stretches(spans, since=SINCE, until=UNTIL) == [
        (date(2016, 6, 1), date(2017, 3, 1)),
        (date(2020, 1, 1), date(2020, 2, 1)),
    ]
