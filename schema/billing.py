"""Plans, a person's subscription with its entitlements and usage, invoices, and the admins' revenue figures."""

from datetime import datetime

import strawberry

from domain.billing import plans, subscription
from domain.billing.ports import Invoice as DomainInvoice
from domain.billing.service import Revenue as DomainRevenue
from domain.billing.service import Standing
from domain.billing.subscription import Subscription as DomainSubscription
from schema.permissions import CanSeePerson, IsAdmin, IsOwner, Private, guarded

PlanId = strawberry.enum(plans.PlanId, name="PlanId", description="Free, Plus or Advisor-assisted.")
BillingInterval = strawberry.enum(plans.Interval, name="BillingInterval")
SubscriptionStatus = strawberry.enum(
    subscription.SubscriptionStatus,
    name="SubscriptionStatus",
    description="As the payment provider's events last described the subscription.",
)
MB = 1024 * 1024


@strawberry.type(description="What a plan includes; null limits are unlimited.")
class Entitlements:
    reports_per_month: int | None
    roadmaps: int | None
    storage_megabytes: int
    advisor_review: bool

    @classmethod
    def from_domain(cls, entitlements: plans.Entitlements) -> "Entitlements":
        return cls(
            reports_per_month=entitlements.reports_per_month,
            roadmaps=entitlements.roadmaps,
            storage_megabytes=entitlements.storage_bytes // MB,
            advisor_review=entitlements.advisor_review,
        )


@strawberry.type(description="A plan's price for one interval in one currency, in minor units (cents).")
class PlanPrice:
    interval: BillingInterval  # type: ignore[valid-type]
    currency: str
    amount: int


@strawberry.type(description="A plan of the catalog. The questionnaire, points and ranking are free on all.")
class Plan:
    id: PlanId  # type: ignore[valid-type]
    name: str
    entitlements: Entitlements
    prices: list[PlanPrice]
    trial_days: int

    @classmethod
    def from_domain(cls, plan: plans.Plan) -> "Plan":
        return cls(
            id=plan.id,
            name=plan.name,
            entitlements=Entitlements.from_domain(plan.entitlements),
            prices=[
                PlanPrice(interval=interval, currency=currency, amount=amount)
                for interval, amounts in plan.prices.items()
                for currency, amount in amounts.items()
            ],
            trial_days=plan.trial_days,
        )


@strawberry.type(description="What you used of this month's allowances.", directives=[Private()])
class Usage:
    owner_id: strawberry.Private[str]
    period: str = guarded(IsOwner(), description="YYYY-MM (UTC)")
    reports: int = guarded(IsOwner(), description="Reports requested this month")
    roadmaps: int = guarded(IsOwner(), description="Roadmaps made (the plan's number counts all of them)")
    storage_megabytes: float = guarded(
        IsOwner(), description="Megabytes your documents hold now (the plan's storage counts them)"
    )


@strawberry.type(
    description="Your plan in force, the subscription behind it (status null on Free) and this month's usage.",
    directives=[Private()],
)
class BillingSubscription:
    owner_id: strawberry.Private[str]
    plan: Plan = guarded(IsOwner())
    status: SubscriptionStatus | None = guarded(IsOwner())  # type: ignore[valid-type]
    interval: BillingInterval | None = guarded(IsOwner())  # type: ignore[valid-type]
    currency: str | None = guarded(IsOwner())
    current_period_end: datetime | None = guarded(IsOwner())
    cancel_at_period_end: bool = guarded(IsOwner())
    trial_end: datetime | None = guarded(IsOwner())
    entitlements: Entitlements = guarded(IsOwner())
    usage: Usage = guarded(IsOwner())

    @classmethod
    def from_domain(cls, owner_id: str, standing: Standing) -> "BillingSubscription":
        sub = standing.subscription
        return cls(
            owner_id=owner_id,
            plan=Plan.from_domain(standing.plan),
            status=sub.status if sub else None,
            interval=sub.choice.interval if sub and sub.choice else None,
            currency=sub.choice.currency if sub and sub.choice else None,
            current_period_end=sub.current_period_end if sub else None,
            cancel_at_period_end=sub.cancel_at_period_end if sub else False,
            trial_end=sub.trial_end if sub else None,
            entitlements=Entitlements.from_domain(standing.plan.entitlements),
            usage=Usage(
                owner_id=owner_id,
                period=standing.usage.period,
                reports=standing.usage.reports,
                roadmaps=standing.usage.roadmaps,
                storage_megabytes=round(standing.usage.storage_bytes / MB, 2),
            ),
        )


@strawberry.type(
    description="An invoice of your subscription, as the payment provider keeps it.", directives=[Private()]
)
class Invoice:
    owner_id: strawberry.Private[str]
    id: strawberry.ID = guarded(IsOwner())
    number: str | None = guarded(IsOwner())
    status: str = guarded(IsOwner())
    amount_due: int = guarded(IsOwner())
    amount_paid: int = guarded(IsOwner())
    currency: str = guarded(IsOwner())
    created_at: datetime = guarded(IsOwner())
    url: str | None = guarded(IsOwner(), description="The provider's hosted page of the invoice.")

    @classmethod
    def from_domain(cls, owner_id: str, invoice: DomainInvoice) -> "Invoice":
        return cls(
            owner_id=owner_id,
            id=strawberry.ID(invoice.id),
            number=invoice.number,
            status=invoice.status,
            amount_due=invoice.amount_due,
            amount_paid=invoice.amount_paid,
            currency=invoice.currency,
            created_at=invoice.created,
            url=invoice.hosted_url,
        )


@strawberry.type(description="A URL for the web or mobile app to open (the provider's hosted page).")
class HostedPage:
    url: str


@strawberry.type(description="A subscription as admins list it.", directives=[Private()])
class SubscriptionRecord:
    owner_id: strawberry.Private[str]
    id: strawberry.ID = guarded(CanSeePerson())
    user_id: strawberry.ID | None = guarded(CanSeePerson())
    plan: PlanId | None = guarded(CanSeePerson())  # type: ignore[valid-type]
    interval: BillingInterval | None = guarded(CanSeePerson())  # type: ignore[valid-type]
    currency: str | None = guarded(CanSeePerson())
    status: SubscriptionStatus = guarded(CanSeePerson())  # type: ignore[valid-type]
    current_period_end: datetime | None = guarded(CanSeePerson())
    cancel_at_period_end: bool = guarded(CanSeePerson())

    @classmethod
    def from_domain(cls, sub: DomainSubscription) -> "SubscriptionRecord":
        return cls(
            owner_id=sub.owner_id or "",
            id=strawberry.ID(sub.id),
            user_id=strawberry.ID(sub.owner_id) if sub.owner_id else None,
            plan=sub.choice.plan_id if sub.choice else None,
            interval=sub.choice.interval if sub.choice else None,
            currency=sub.choice.currency if sub.choice else None,
            status=sub.status,
            current_period_end=sub.current_period_end,
            cancel_at_period_end=sub.cancel_at_period_end,
        )


@strawberry.type
class MoneyAmount:
    currency: str
    amount: int


@strawberry.type
class MonthCount:
    month: str
    count: int


@strawberry.type(description="Subscription figures for analytics: MRR, subscribers, churn by month.")
class RevenueFigures:
    mrr: list[MoneyAmount] = guarded(IsAdmin(), description="Monthly recurring revenue per currency, minor units.")
    active_subscribers: int = guarded(IsAdmin(), description="Active or past-due paid subscriptions.")
    trialing: int = guarded(IsAdmin())
    churn: list[MonthCount] = guarded(IsAdmin(), description="Subscriptions canceled per month (YYYY-MM).")

    @classmethod
    def from_domain(cls, revenue: DomainRevenue) -> "RevenueFigures":
        return cls(
            mrr=[MoneyAmount(currency=c, amount=a) for c, a in sorted(revenue.mrr.items())],
            active_subscribers=revenue.active_subscribers,
            trialing=revenue.trialing,
            churn=[MonthCount(month=m, count=n) for m, n in revenue.churn],
        )
