"""Billing use cases: the plan in force and its usage, checkout and plan changes at the provider, the
provider's events as the source of truth, and the figures admins read."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.analytics.model import ServerEvent
from domain.analytics.ports import NO_ANALYTICS, Analytics
from domain.billing.plans import (
    MB,
    PLANS,
    Entitlements,
    Interval,
    Plan,
    every_price,
    paid_price,
    plan,
    plan_lifting,
    price_key,
)
from domain.billing.ports import (
    BillingAccount,
    BillingEvent,
    BillingRepository,
    CheckoutRequest,
    Invoice,
    Mailer,
    PaymentNotices,
    PaymentProvider,
    People,
    PriceSpec,
    QuotaLedger,
    StoredBytes,
)
from domain.billing.subscription import Subscription, SubscriptionStatus, milestone, plan_in_force
from domain.errors import BadUserInput, Forbidden, NotFound

PAYMENT_FAILED = "invoice.payment_failed"
RENEWAL_COMING = "invoice.upcoming"  # Stripe sends it days before a renewal (the account's setting)
PAYING = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)
INVOICES_SHOWN = 24
ROADMAPS = "roadmaps"  # the quota ledger's period for roadmaps: one for the account's whole life
UNLIMITED = 2**31  # a count no one reaches: an unlimited plan still takes (counts) a unit


class PlanLimit(Forbidden):
    """A feature used beyond the plan's allowance: `reason` PLAN_LIMIT and the plan that lifts it."""

    def __init__(self, message: str, *, limit: int, lifted_by: Plan | None) -> None:
        super().__init__(message, reason="PLAN_LIMIT", limit=limit, liftedBy=lifted_by.id.value if lifted_by else None)


class NoSubscription(NotFound):
    def __init__(self) -> None:
        super().__init__("you have no paid subscription")


@dataclass(frozen=True, slots=True)
class Usage:
    period: str  # YYYY-MM
    reports: int  # this month's
    roadmaps: int  # ever made (counted since roadmaps took a unit)
    storage_bytes: int  # held now


@dataclass(frozen=True, slots=True)
class Standing:
    """The plan in force for a person, the subscription behind it (if any) and this month's usage."""

    plan: Plan
    subscription: Subscription | None
    usage: Usage


@dataclass(frozen=True, slots=True)
class Revenue:
    mrr: dict[str, int]  # minor units per currency; yearly prices count a twelfth
    active_subscribers: int
    trialing: int
    churn: list[tuple[str, int]]  # (YYYY-MM, subscriptions canceled that month), oldest first


def month_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


def _refusal(current: Plan, included: str, limit: int, enough: Callable[[Entitlements], bool]) -> PlanLimit:
    """PLAN_LIMIT naming the cheapest plan whose entitlements are `enough`."""
    lifting = plan_lifting(enough)
    return PlanLimit(
        f"{current.name} includes {included}" + (f"; {lifting.name} includes more" if lifting else ""),
        limit=limit,
        lifted_by=lifting,
    )


@dataclass
class Billing:
    repository: BillingRepository
    provider: PaymentProvider
    quota: QuotaLedger
    people: People
    mailer: Mailer
    notices: PaymentNotices
    storage: StoredBytes
    clock: Callable[[], datetime]
    grace: timedelta
    app_url: str
    analytics: Analytics = NO_ANALYTICS

    def plans(self) -> tuple[Plan, ...]:
        return PLANS

    async def subscription(self, owner_id: str) -> Subscription | None:
        account = await self.repository.account(owner_id)
        if account is None or account.subscription_id is None:
            return None
        return await self.repository.subscription(account.subscription_id)

    async def standing(self, owner_id: str) -> Standing:
        sub = await self.subscription(owner_id)
        now = self.clock()
        period = month_of(now)
        usage = Usage(
            period,
            await self.quota.used(owner_id, period),
            await self.quota.used(owner_id, ROADMAPS),
            await self.storage.stored_bytes(owner_id),
        )
        return Standing(plan(plan_in_force(sub, now, self.grace)), sub, usage)

    async def take_report(self, owner_id: str) -> None:
        """Counts one report against this month's allowance; FORBIDDEN (PLAN_LIMIT) beyond it."""
        now = self.clock()
        current = await self._plan_now(owner_id)
        limit = current.entitlements.reports_per_month
        if limit is None or await self.quota.take(owner_id, month_of(now), limit):
            return
        raise _refusal(
            current,
            f"{limit} reports a month",
            limit,
            lambda e: e.reports_per_month is None or e.reports_per_month > limit,
        )

    async def take_roadmap(self, owner_id: str) -> None:
        """Counts one roadmap against the plan's number; FORBIDDEN (PLAN_LIMIT) beyond it. Counted on unlimited
        plans too (roadmaps are never deleted), so a plan with a number sees every roadmap made before it."""
        current = await self._plan_now(owner_id)
        limit = current.entitlements.roadmaps
        if await self.quota.take(owner_id, ROADMAPS, UNLIMITED if limit is None else limit):
            return
        assert limit is not None  # an unlimited take always succeeds
        raise _refusal(current, f"{limit} roadmaps", limit, lambda e: e.roadmaps is None or e.roadmaps > limit)

    async def check_storage(self, owner_id: str, stored: int, adding: int) -> None:
        """FORBIDDEN (PLAN_LIMIT) when `adding` bytes to the `stored` ones would pass the plan's storage."""
        current = await self._plan_now(owner_id)
        limit = current.entitlements.storage_bytes
        if stored + adding > limit:
            raise _refusal(
                current, f"{limit // MB} MB of document storage", limit, lambda e: e.storage_bytes >= stored + adding
            )

    async def check_advisor_review(self, owner_id: str) -> None:
        """FORBIDDEN (PLAN_LIMIT) unless the owner's plan includes an advisor's review of their documents."""
        current = await self._plan_now(owner_id)
        if not current.entitlements.advisor_review:
            raise _refusal(current, "no advisor review", 0, lambda e: e.advisor_review)

    async def start_checkout(self, owner_id: str, plan_id: str, interval: str, currency: str) -> str:
        """A provider-hosted checkout page (subscription mode) for the plan; its URL for the app to open."""
        chosen, period, code = paid_price(plan_id, interval, currency)
        current = await self.subscription(owner_id)
        if current is not None and current.status not in (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE):
            raise BadUserInput("you have a subscription already: change its plan instead", field="planId")
        account = await self._account(owner_id)
        return await self.provider.checkout_url(
            CheckoutRequest(
                owner_id=owner_id,
                customer_id=account.customer_id,
                price_key=price_key(chosen.id, period, code),
                plan_id=chosen.id.value,
                interval=period.value,
                currency=code,
                trial_days=chosen.trial_days if current is None else 0,  # one trial per person
                success_url=f"{self.app_url}/billing/done?session={{CHECKOUT_SESSION_ID}}",
                cancel_url=f"{self.app_url}/billing",
            )
        )

    async def open_portal(self, owner_id: str) -> str:
        account = await self.repository.account(owner_id)
        if account is None:
            raise NoSubscription()
        return await self.provider.portal_url(account.customer_id, f"{self.app_url}/billing")

    async def change_plan(self, owner_id: str, plan_id: str, interval: str) -> Standing:
        """Moves the subscription to another paid plan with proration; the change shows once the provider's
        event confirms it."""
        sub = await self._live(owner_id)
        currency = sub.choice.currency if sub.choice else "eur"
        chosen, period, code = paid_price(plan_id, interval, currency)
        await self.provider.change_price(sub.id, price_key(chosen.id, period, code))
        return await self.standing(owner_id)

    async def cancel(self, owner_id: str) -> Standing:
        """Cancel at the period's end: the plan stays in force until then."""
        await self.provider.set_cancel_at_period_end((await self._live(owner_id)).id, True)
        return await self.standing(owner_id)

    async def resume(self, owner_id: str) -> Standing:
        """Undo a cancellation before the period ends."""
        sub = await self._live(owner_id)
        if sub.current_period_end is not None and self.clock() >= sub.current_period_end:
            raise BadUserInput("the period has ended: start a new subscription", field="subscription")
        await self.provider.set_cancel_at_period_end(sub.id, False)
        return await self.standing(owner_id)

    async def invoices(self, owner_id: str) -> list[Invoice]:
        account = await self.repository.account(owner_id)
        if account is None:
            return []
        return await self.provider.invoices(account.customer_id, INVOICES_SHOWN)

    async def receive(self, event: BillingEvent) -> bool:
        """Applies a verified provider event once; False for a repeat (nothing changes).

        Stored first, applied, then marked applied: a delivery that finds the event stored but not marked (a
        crash in between, or a racer still at it) applies it again, which the order-independent merge makes
        harmless; only the one caller that marks it sends its mails."""
        if not await self.repository.record_event(event) and await self.repository.applied(event.id):
            return False
        if event.facts is None:  # nothing to merge; marking it is still what tells the first delivery from a repeat
            return await self.repository.mark_applied(event.id)
        before = await self.repository.subscription(event.facts.subscription_id)
        sub = await self.repository.apply(event.facts)
        if sub.owner_id:
            current = await self.repository.account(sub.owner_id)
            if current is None and sub.customer_id:  # bought without our checkout (say, a payment link)
                current = await self.repository.open_account(sub.owner_id, sub.customer_id)
            if current is not None and current.subscription_id != sub.id:
                await self.repository.follow(sub.owner_id, sub.id)
        if not await self.repository.mark_applied(event.id):
            return False
        self._report(before, sub)
        if event.type == PAYMENT_FAILED and sub.owner_id:
            await self._notify_payment_failed(sub.owner_id, event.id)
        if event.type == RENEWAL_COMING and sub.owner_id and not sub.cancel_at_period_end:
            await self._mail_renewal_reminder(sub)
        return True

    def _report(self, before: Subscription | None, after: Subscription) -> None:
        """subscription_started/cancelled when this event crossed one; two events applied at the same moment may
        both report a start, which reports count once (they count people)."""
        name = milestone(before, after)
        if name is None or after.owner_id is None:
            return
        choice = after.choice
        props = {"plan": choice.plan_id.value, "interval": choice.interval.value} if choice else {}
        self.analytics.emit(ServerEvent(name, after.owner_id, props=props))

    async def subscriptions(self, status: SubscriptionStatus | None, limit: int) -> list[Subscription]:
        return await self.repository.subscriptions(status, limit)

    async def revenue(self) -> Revenue:
        mrr: dict[str, int] = defaultdict(int)
        churn: Counter[str] = Counter()
        active = trialing = 0
        for sub in await self.repository.subscriptions(None, 100_000):
            if sub.status is SubscriptionStatus.TRIALING:
                trialing += 1
            elif sub.status in PAYING and sub.choice is not None:
                active += 1
                amount = plan(sub.choice.plan_id).amount(sub.choice.interval, sub.choice.currency) or 0
                mrr[sub.choice.currency] += amount if sub.choice.interval is Interval.MONTH else round(amount / 12)
            elif sub.status is SubscriptionStatus.CANCELED and sub.status_since is not None:
                churn[month_of(sub.status_since)] += 1
        return Revenue(dict(mrr), active, trialing, sorted(churn.items()))

    async def sync_prices(self) -> list[str]:
        return await self.provider.sync_prices(
            [
                PriceSpec(price_key(p.id, interval, currency), f"Migratio {p.name}", amount, currency, interval.value)
                for p, interval, currency, amount in every_price()
            ]
        )

    async def export(self, owner_id: str) -> dict[str, object]:
        """The person's billing data for their data export."""
        account = await self.repository.account(owner_id)
        sub = await self.subscription(owner_id)
        return {
            "customerId": account.customer_id if account else None,
            "subscription": None
            if sub is None
            else {
                "id": sub.id,
                "plan": sub.choice.plan_id.value if sub.choice else None,
                "interval": sub.choice.interval.value if sub.choice else None,
                "currency": sub.choice.currency if sub.choice else None,
                "status": sub.status.value,
                "currentPeriodEnd": sub.current_period_end.isoformat() if sub.current_period_end else None,
                "cancelAtPeriodEnd": sub.cancel_at_period_end,
            },
        }

    async def close_account(self, owner_id: str) -> None:
        """On account deletion: end the subscription at the provider now, then forget the billing records."""
        sub = await self.subscription(owner_id)
        if sub is not None and sub.status is not SubscriptionStatus.CANCELED:
            await self.provider.cancel_now(sub.id)
        await self.repository.forget(owner_id)
        await self.quota.forget(owner_id)

    async def _plan_now(self, owner_id: str) -> Plan:
        return plan(plan_in_force(await self.subscription(owner_id), self.clock(), self.grace))

    async def _account(self, owner_id: str) -> BillingAccount:
        account = await self.repository.account(owner_id)
        if account is not None:
            return account
        person = await self.people.person(owner_id)
        if person is None:
            raise NotFound("no such account")
        customer_id = await self.provider.create_customer(owner_id, person.email, person.name)
        return await self.repository.open_account(owner_id, customer_id)

    async def _live(self, owner_id: str) -> Subscription:
        sub = await self.subscription(owner_id)
        if sub is None or sub.status is SubscriptionStatus.CANCELED:
            raise NoSubscription()
        return sub

    async def _mail_renewal_reminder(self, sub: Subscription) -> None:
        person = await self.people.person(sub.owner_id or "")
        if person is None or sub.choice is None:
            return
        chosen = plan(sub.choice.plan_id)
        amount = chosen.amount(sub.choice.interval, sub.choice.currency) or 0
        when = f" on {sub.current_period_end:%Y-%m-%d}" if sub.current_period_end else " soon"
        await self.mailer.send(
            person.email,
            "Your Migratio subscription renews soon",
            f"Hello {person.name},\n\nyour {chosen.name} subscription renews{when} for "
            f"{amount / 100:.2f} {sub.choice.currency.upper()} a {sub.choice.interval.value}. To change or cancel "
            f"it, go to {self.app_url}/billing.\n",
        )

    async def _notify_payment_failed(self, owner_id: str, event_id: str) -> None:
        await self.notices.payment_failed(
            owner_id,
            "Your Migratio payment failed",
            f"We could not take the payment for your subscription. Your plan stays in force for {self.grace.days} "
            f"days; update your card at {self.app_url}/billing to keep it.\n",
            key=event_id,
        )
