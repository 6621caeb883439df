from datetime import date

from domain.analytics.rollups import days_to_count

TODAY = date(2026, 3, 10)


def test_ended_days_are_counted_once_and_the_last_two_again() -> None:
    stored = [date(2026, 3, d) for d in (1, 2, 7, 8, 9, 10)]
    counted = [date(2026, 3, d) for d in (1, 8, 9)]
    assert days_to_count(stored, counted, TODAY) == [date(2026, 3, d) for d in (2, 7, 8, 9)]


def test_today_is_never_counted() -> None:
    assert days_to_count([TODAY], [], TODAY) == []
