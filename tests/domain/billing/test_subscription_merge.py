"""The subscription merge: any order and any repetition of a subscription's events end in the same state;
the plan in force follows the status (grace for past_due, access until the end after a cancellation)."""

import itertools
from datetime import UTC, datetime, timedelta

from domain.billing.plans import Interval, PlanId
from domain.billing.subscription import (
    PlanChoice,
    Subscription,
    SubscriptionFacts,
    SubscriptionStatus,
    merged,
    plan_in_force,
)

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PLUS = PlanChoice(PlanId.PLUS, Interval.MONTH, "eur")
ADVISOR = PlanChoice(PlanId.ADVISOR, Interval.MONTH, "eur")
END = T0 + timedelta(days=30)
GRACE = timedelta(days=7)


def _facts(event_id: str, seconds: int, **kw: object) -> SubscriptionFacts:
    return SubscriptionFacts(event_id, T0 + timedelta(seconds=seconds), "sub_1", **kw)  # type: ignore[arg-type]


LIFE = [
    _facts("evt_checkout", 0, owner_id="u1", customer_id="cus_1", status=SubscriptionStatus.INCOMPLETE, choice=PLUS),
    _facts("evt_created", 1, status=SubscriptionStatus.INCOMPLETE, choice=PLUS, terms=(False, None), period_end=END),
    _facts("evt_paid", 2, status=SubscriptionStatus.ACTIVE, period_end=END),
    _facts("evt_updated", 3, status=SubscriptionStatus.ACTIVE, choice=PLUS, terms=(False, None), period_end=END),
    _facts("evt_upgraded", 50, status=SubscriptionStatus.ACTIVE, choice=ADVISOR, terms=(True, None), period_end=END),
]


def _fold(events: list[SubscriptionFacts] | tuple[SubscriptionFacts, ...]) -> Subscription:
    state: Subscription | None = None
    for facts in events:
        state = merged(state, facts)
    assert state is not None
    return state


def test_every_order_of_a_subscriptions_events_ends_in_the_same_state() -> None:
    expected = _fold(LIFE)
    assert (expected.status, expected.choice, expected.cancel_at_period_end) == (
        SubscriptionStatus.ACTIVE,
        ADVISOR,
        True,
    )
    assert (expected.owner_id, expected.customer_id, expected.current_period_end) == ("u1", "cus_1", END)
    orders = list(itertools.permutations(LIFE))
    assert len(orders) == 120
    assert all(_fold(order) == expected for order in orders)


def test_a_repeated_event_changes_nothing() -> None:
    once = _fold(LIFE)
    assert all(merged(once, facts) == once for facts in LIFE)


def test_a_stale_status_arriving_late_is_ignored() -> None:
    state = _fold([LIFE[0], LIFE[2]])
    late = _facts("evt_failed_earlier", 1, status=SubscriptionStatus.PAST_DUE)
    assert merged(state, late).status is SubscriptionStatus.ACTIVE


def test_in_the_same_second_the_state_later_in_the_lifecycle_wins_whatever_the_arrival() -> None:
    paid = _facts("evt_a", 5, status=SubscriptionStatus.ACTIVE)
    canceled = _facts("evt_b", 5, status=SubscriptionStatus.CANCELED)
    assert _fold([paid, canceled]).status is _fold([canceled, paid]).status is SubscriptionStatus.CANCELED


def test_free_until_the_first_payment_then_the_bought_plan() -> None:
    assert plan_in_force(None, T0, GRACE) is PlanId.FREE
    assert plan_in_force(_fold(LIFE[:2]), T0, GRACE) is PlanId.FREE  # incomplete
    assert plan_in_force(_fold(LIFE[:3]), T0, GRACE) is PlanId.PLUS


def test_past_due_keeps_the_plan_for_the_grace_period_then_drops_to_free() -> None:
    failed = merged(_fold(LIFE[:3]), _facts("evt_failed", 100, status=SubscriptionStatus.PAST_DUE))
    since = T0 + timedelta(seconds=100)
    assert plan_in_force(failed, since + GRACE - timedelta(seconds=1), GRACE) is PlanId.PLUS
    assert plan_in_force(failed, since + GRACE, GRACE) is PlanId.FREE


def test_cancel_at_period_end_keeps_the_plan_until_the_end() -> None:
    cancelled = merged(
        _fold(LIFE[:3]),
        _facts("evt_cancel", 100, status=SubscriptionStatus.ACTIVE, choice=PLUS, terms=(True, None), period_end=END),
    )
    assert plan_in_force(cancelled, END - timedelta(seconds=1), GRACE) is PlanId.PLUS
    assert plan_in_force(cancelled, END, GRACE) is PlanId.FREE


def test_unpaid_and_canceled_are_free() -> None:
    for status in (SubscriptionStatus.UNPAID, SubscriptionStatus.CANCELED):
        ended = merged(_fold(LIFE[:3]), _facts(f"evt_{status}", 100, status=status))
        assert plan_in_force(ended, T0 + timedelta(seconds=101), GRACE) is PlanId.FREE
