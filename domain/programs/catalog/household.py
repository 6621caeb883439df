"""Thresholds that grow with the household, written as `when` rules so failures name one amount."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from domain.programs.rules import Operator, Rule, all_of, leaf, when

MAX_CHILDREN = 8
"""Households with more children are not checked (no verdict is better than an invented one)."""


def money(amount: Decimal | int, currency: str) -> str:
    value = Decimal(amount)
    if value == value.to_integral_value():
        return f"{currency} {int(value):,}"
    return f"{currency} {value.quantize(Decimal('0.01')):,}"


def funds_by_family_size(
    rule_id: str, table: Mapping[int, Decimal], currency: str, *, what: str = "Settlement funds"
) -> Rule:
    """`table` maps IRCC family size (1, 2, …) to the funds required; sizes beyond it are not checked."""
    return all_of(
        *(
            when(
                leaf(f"{rule_id}.size_{size}", "family_size", Operator.EQ, size, description=f"Family of {size}"),
                leaf(
                    f"{rule_id}.family_{size}",
                    "funds_available",
                    Operator.GTE,
                    amount,
                    description=f"{what} of at least {money(amount, currency)} for a family of {size}",
                ),
            )
            for size, amount in sorted(table.items())
        )
    )


def by_household(
    rule_id: str,
    fact: str,
    amount: Callable[[bool, int], Decimal],
    *,
    what: str,
    currency: str = "EUR",
) -> Rule:
    """One `when` per (partner included?, number of children); `amount` gives the threshold for each."""
    cases: list[Rule] = []
    for partner in (False, True):
        for children in range(MAX_CHILDREN + 1):
            suffix = f"{'partner' if partner else 'single'}_{children}"
            household = (
                "applicant"
                + (" + partner" if partner else "")
                + (f" + {children} child{'ren' if children != 1 else ''}" if children else "")
            )
            condition = all_of(
                leaf(
                    f"{rule_id}.{suffix}.partner",
                    "partner_accompanying",
                    Operator.IS_TRUE if partner else Operator.IS_FALSE,
                    description="Partner included" if partner else "No partner included",
                ),
                leaf(
                    f"{rule_id}.{suffix}.children",
                    "dependent_children",
                    Operator.EQ,
                    children,
                    description=f"{children} dependent children",
                ),
            )
            threshold = amount(partner, children)
            cases.append(
                when(
                    condition,
                    leaf(
                        f"{rule_id}.{suffix}",
                        fact,
                        Operator.GTE,
                        threshold,
                        description=f"{what} of at least {money(threshold, currency)} for {household}",
                    ),
                )
            )
    return all_of(*cases)


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))
