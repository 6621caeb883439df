"""A subscription as the provider's events describe it, and the merge that makes their order irrelevant.

Each event says some facts about one subscription at the moment it was created. Facts are grouped (status,
plan, renewal terms); each group keeps the value from the event with the highest stamp — the event's
`created`, then the status's place in the lifecycle, then the event id — so any arrival order, and any
repetition, ends in the same state. The period end only moves forward, so the latest one seen wins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from domain.analytics.model import EventName
from domain.billing.plans import Interval, PlanId


class SubscriptionStatus(StrEnum):
    INCOMPLETE = "incomplete"
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    UNPAID = "unpaid"
    CANCELED = "canceled"


# Ties of the same second go to the state later in the lifecycle (canceled is final).
_LIFECYCLE = {status: rank for rank, status in enumerate(SubscriptionStatus)}

Stamp = tuple[float, int, str]  # event created (epoch s), lifecycle rank, event id
NEVER: Stamp = (0.0, -1, "")


@dataclass(frozen=True, slots=True)
class PlanChoice:
    plan_id: PlanId
    interval: Interval
    currency: str


@dataclass(frozen=True, slots=True)
class SubscriptionFacts:
    """What one event says about one subscription; None for what it does not say."""

    event_id: str
    created: datetime
    subscription_id: str
    owner_id: str | None = None
    customer_id: str | None = None
    status: SubscriptionStatus | None = None
    choice: PlanChoice | None = None
    terms: tuple[bool, datetime | None] | None = None  # cancel_at_period_end, trial_end (subscription objects)
    period_end: datetime | None = None

    def stamp(self) -> Stamp:
        rank = _LIFECYCLE[self.status] if self.status is not None else -1
        return (self.created.timestamp(), rank, self.event_id)


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    owner_id: str | None
    customer_id: str | None
    status: SubscriptionStatus
    status_since: datetime | None
    choice: PlanChoice | None
    cancel_at_period_end: bool
    trial_end: datetime | None
    current_period_end: datetime | None
    status_stamp: Stamp = NEVER
    choice_stamp: Stamp = NEVER
    terms_stamp: Stamp = NEVER

    @classmethod
    def empty(cls, subscription_id: str) -> Subscription:
        return cls(subscription_id, None, None, SubscriptionStatus.INCOMPLETE, None, None, False, None, None)


def merged(current: Subscription | None, facts: SubscriptionFacts) -> Subscription:
    """`current` with what `facts` says that is newer than what it holds (commutative and idempotent)."""
    sub = current or Subscription.empty(facts.subscription_id)
    stamp = facts.stamp()
    if facts.owner_id and not sub.owner_id:
        sub = replace(sub, owner_id=facts.owner_id)
    if facts.customer_id and not sub.customer_id:
        sub = replace(sub, customer_id=facts.customer_id)
    if facts.status is not None and stamp > sub.status_stamp:
        sub = replace(sub, status=facts.status, status_since=facts.created, status_stamp=stamp)
    if facts.choice is not None and stamp > sub.choice_stamp:
        sub = replace(sub, choice=facts.choice, choice_stamp=stamp)
    if facts.terms is not None and stamp > sub.terms_stamp:
        cancel, trial_end = facts.terms
        sub = replace(sub, cancel_at_period_end=cancel, trial_end=trial_end, terms_stamp=stamp)
    if facts.period_end is not None and (sub.current_period_end is None or facts.period_end > sub.current_period_end):
        sub = replace(sub, current_period_end=facts.period_end)
    return sub


def plan_in_force(sub: Subscription | None, now: datetime, grace: timedelta) -> PlanId:
    """The plan whose entitlements apply now: paid while active or trialing, while past_due for `grace`, and
    until the period's end once cancelled at period end; Free otherwise."""
    if sub is None or sub.choice is None:
        return PlanId.FREE
    if sub.cancel_at_period_end and sub.current_period_end is not None and now >= sub.current_period_end:
        return PlanId.FREE
    if sub.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING):
        return sub.choice.plan_id
    if sub.status is SubscriptionStatus.PAST_DUE and sub.status_since is not None and now < sub.status_since + grace:
        return sub.choice.plan_id
    return PlanId.FREE


def milestone(before: Subscription | None, after: Subscription) -> EventName | None:
    """The analytics event a merge crossed: paid from incomplete (or nothing) is a start; canceled is the end."""
    was = before.status if before is not None else SubscriptionStatus.INCOMPLETE
    if (
        after.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING)
        and was is SubscriptionStatus.INCOMPLETE
    ):
        return EventName.SUBSCRIPTION_STARTED
    if after.status is SubscriptionStatus.CANCELED and was is not SubscriptionStatus.CANCELED:
        return EventName.SUBSCRIPTION_CANCELLED
    return None
