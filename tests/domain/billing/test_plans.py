"""The plan catalog: what is sold, in which currencies, and which plan lifts a limit."""

import pytest

from domain.billing.plans import PLANS, Interval, PlanId, paid_price, parse_price_key, plan, plan_lifting, price_key
from domain.errors import BadUserInput


def test_free_is_not_sold_and_the_paid_plans_are_sold_monthly_and_yearly_in_four_currencies() -> None:
    assert [p.id for p in PLANS] == [PlanId.FREE, PlanId.PLUS, PlanId.ADVISOR]
    assert plan(PlanId.FREE).prices == {}
    for paid in PLANS[1:]:
        for currency in ("eur", "usd", "cad", "gbp"):
            assert paid.amount(Interval.YEAR, currency) == 10 * (paid.amount(Interval.MONTH, currency) or 0)
    assert plan(PlanId.PLUS).amount(Interval.MONTH, "eur") == 900


def test_entitlements_grow_with_the_plan() -> None:
    free, plus, advisor = (p.entitlements for p in PLANS)
    assert (free.reports_per_month, plus.reports_per_month, advisor.reports_per_month) == (5, 50, None)
    assert (free.advisor_review, plus.advisor_review, advisor.advisor_review) == (False, False, True)
    assert free.storage_bytes < plus.storage_bytes < advisor.storage_bytes


@pytest.mark.parametrize(
    ("plan_id", "interval", "currency", "field"),
    [("free", "month", "eur", "planId"), ("gold", "month", "eur", "planId"), ("plus", "week", "eur", "interval"),
     ("plus", "month", "chf", "currency")],
)  # fmt: skip
def test_a_price_not_sold_is_bad_user_input_naming_the_argument(
    plan_id: str, interval: str, currency: str, field: str
) -> None:
    with pytest.raises(BadUserInput) as refused:
        paid_price(plan_id, interval, currency)
    assert refused.value.details["field"] == field


def test_price_keys_round_trip_and_currency_is_case_insensitive() -> None:
    chosen, interval, currency = paid_price("advisor", "year", "USD")
    key = price_key(chosen.id, interval, currency)
    assert key == "migratio_advisor_year_usd"
    assert parse_price_key(key) == (PlanId.ADVISOR, Interval.YEAR, "usd")
    assert parse_price_key("someone_elses_price") is None


def test_the_plan_lifting_a_report_limit_is_the_cheapest_with_more() -> None:
    lifting = plan_lifting(lambda e: e.reports_per_month is None or e.reports_per_month > 5)
    assert lifting is not None and lifting.id is PlanId.PLUS
    lifting = plan_lifting(lambda e: e.reports_per_month is None or e.reports_per_month > 50)
    assert lifting is not None and lifting.id is PlanId.ADVISOR
