"""The plan catalog: what each plan costs per interval and currency, and what it entitles to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import BadUserInput

MB = 1024 * 1024
GB = 1024 * MB


class PlanId(StrEnum):
    FREE = "free"
    PLUS = "plus"
    ADVISOR = "advisor"


class Interval(StrEnum):
    MONTH = "month"
    YEAR = "year"


CURRENCIES = ("eur", "usd", "cad", "gbp")


@dataclass(frozen=True, slots=True)
class Entitlements:
    """None means unlimited. The questionnaire, every points breakdown and the ranking are free on every plan."""

    reports_per_month: int | None
    roadmaps: int | None
    storage_bytes: int
    advisor_review: bool


@dataclass(frozen=True, slots=True)
class Plan:
    id: PlanId
    name: str
    entitlements: Entitlements
    prices: Mapping[Interval, Mapping[str, int]]  # minor units (cents) per currency
    trial_days: int = 0

    def amount(self, interval: Interval, currency: str) -> int | None:
        return self.prices.get(interval, {}).get(currency)


def _yearly(monthly: Mapping[str, int]) -> dict[str, int]:
    return {currency: amount * 10 for currency, amount in monthly.items()}  # two months free


_PLUS_MONTHLY = {"eur": 900, "usd": 900, "cad": 1200, "gbp": 800}
_ADVISOR_MONTHLY = {"eur": 4900, "usd": 4900, "cad": 6500, "gbp": 4300}

PLANS: tuple[Plan, ...] = (
    Plan(PlanId.FREE, "Free", Entitlements(5, 3, 100 * MB, False), {}),
    Plan(
        PlanId.PLUS,
        "Plus",
        Entitlements(50, None, 5 * GB, False),
        {Interval.MONTH: _PLUS_MONTHLY, Interval.YEAR: _yearly(_PLUS_MONTHLY)},
        trial_days=14,
    ),
    Plan(
        PlanId.ADVISOR,
        "Advisor-assisted",
        Entitlements(None, None, 20 * GB, True),
        {Interval.MONTH: _ADVISOR_MONTHLY, Interval.YEAR: _yearly(_ADVISOR_MONTHLY)},
    ),
)
_BY_ID = {plan.id: plan for plan in PLANS}


def plan(plan_id: PlanId | str) -> Plan:
    try:
        return _BY_ID[PlanId(plan_id)]
    except ValueError:
        raise BadUserInput(f"no plan {plan_id!r}", field="planId") from None


def paid_price(plan_id: PlanId | str, interval: Interval | str, currency: str) -> tuple[Plan, Interval, str]:
    """The plan, interval and currency of a price someone may buy; BAD_USER_INPUT naming the wrong argument."""
    chosen = plan(plan_id)
    if chosen.id is PlanId.FREE:
        raise BadUserInput("the Free plan is not bought: cancel the subscription instead", field="planId")
    try:
        period = Interval(interval)
    except ValueError:
        raise BadUserInput(f"no interval {interval!r}; month or year", field="interval") from None
    code = currency.lower()
    if chosen.amount(period, code) is None:
        raise BadUserInput(f"{chosen.name} is not sold in {currency!r}", field="currency")
    return chosen, period, code


def price_key(plan_id: PlanId, interval: Interval, currency: str) -> str:
    """The price's lookup key at the provider: how a plan, interval and currency find their price there."""
    return f"migratio_{plan_id.value}_{interval.value}_{currency}"


def parse_price_key(key: str | None) -> tuple[PlanId, Interval, str] | None:
    parts = (key or "").split("_")
    if len(parts) != 4 or parts[0] != "migratio":
        return None
    try:
        return PlanId(parts[1]), Interval(parts[2]), parts[3]
    except ValueError:
        return None


def every_price() -> list[tuple[Plan, Interval, str, int]]:
    return [
        (p, interval, currency, amount)
        for p in PLANS
        for interval, amounts in p.prices.items()
        for currency, amount in amounts.items()
    ]


def plan_lifting(enough: Callable[[Entitlements], bool]) -> Plan | None:
    """The cheapest plan whose entitlements are enough (the catalog is ordered by price)."""
    return next((p for p in PLANS if enough(p.entitlements)), None)
