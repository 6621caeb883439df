"""Which analytics event a subscription's merge crosses: a start when it first becomes paid (active or trialing),
a cancellation when it first becomes canceled; nothing for renewals, plan changes, repeats or recoveries."""

from dataclasses import replace

from domain.analytics.model import EventName
from domain.billing.subscription import Subscription, SubscriptionStatus, merged, milestone
from tests.domain.billing.test_subscription_merge import LIFE, _facts


def _milestones(events: list) -> list[EventName | None]:
    state: Subscription | None = None
    found = []
    for facts in events:
        after = merged(state, facts)
        found.append(milestone(state, after))
        state = after
    return found


def test_a_checkout_paid_then_cancelled_starts_once_and_ends_once() -> None:
    cancelled = _facts("evt_deleted", 90, status=SubscriptionStatus.CANCELED)
    assert _milestones([*LIFE, cancelled, cancelled]) == [
        None,  # checkout: incomplete
        None,  # created: incomplete
        EventName.SUBSCRIPTION_STARTED,  # first paid
        None,  # updated, still active
        None,  # plan changed
        EventName.SUBSCRIPTION_CANCELLED,
        None,  # the same cancellation again
    ]


def test_a_trial_is_a_start_and_a_recovered_payment_is_not() -> None:
    trial = _facts("evt_trial", 0, owner_id="u1", status=SubscriptionStatus.TRIALING)
    assert milestone(None, merged(None, trial)) is EventName.SUBSCRIPTION_STARTED
    past_due = replace(merged(None, trial), status=SubscriptionStatus.PAST_DUE)
    recovered = merged(past_due, _facts("evt_recovered", 60, status=SubscriptionStatus.ACTIVE))
    assert recovered.status is SubscriptionStatus.ACTIVE
    assert milestone(past_due, recovered) is None
