"""Wall-clock time, the one adapter tests replace to move time."""

from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
