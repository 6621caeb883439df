"""Which days the daily counts job recounts."""

from collections.abc import Iterable
from datetime import date, timedelta

LATE_DAYS = 2
"""App events are accepted up to 24 h after they happened, so a day is final only once the next one has ended."""


def days_to_count(stored: Iterable[date], counted: Iterable[date], today: date) -> list[date]:
    """Ended days of raw events not counted yet, and the last `LATE_DAYS` again (late arrivals)."""
    done = set(counted)
    return sorted(d for d in set(stored) if d < today and (d not in done or d >= today - timedelta(days=LATE_DAYS)))
