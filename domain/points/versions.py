"""Rule sets are versioned by the date they took effect; pick the one in force on a given day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol, TypeVar

from domain.errors import BadUserInput


class Effective(Protocol):
    @property
    def effective(self) -> date: ...


V = TypeVar("V", bound=Effective)


class NoRulesInForce(BadUserInput):
    """The day is earlier than the oldest rule set we hold."""

    def __init__(self, on: date) -> None:
        super().__init__(f"no rule set held for {on.isoformat()}", field="on")
        self.on = on


def in_force(versions: Sequence[V], on: date) -> V:
    candidates = [version for version in versions if version.effective <= on]
    if not candidates:
        raise NoRulesInForce(on)
    return max(candidates, key=lambda version: version.effective)
