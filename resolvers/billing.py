"""Root fields of plans and subscriptions: each reads args and context and makes one billing call."""

from typing import Annotated

import strawberry

from domain.billing.plans import Interval, PlanId
from domain.billing.subscription import SubscriptionStatus
from schema.billing import BillingSubscription, HostedPage, Invoice, Plan, RevenueFigures, SubscriptionRecord
from schema.context import Context
from schema.pagination import page_size
from schema.permissions import IsAdmin, IsAuthenticated, allow

Info = strawberry.Info[Context, None]
MAX_LISTED = 100


def _user(info: Info) -> str:
    return info.context.viewer.user_id or ""


@strawberry.type
class BillingQuery:
    @strawberry.field(description="The plan catalog with prices per interval and currency.")
    def plans(self, info: Info) -> list[Plan]:
        return [Plan.from_domain(plan) for plan in info.context.services.billing.plans()]

    @strawberry.field(extensions=allow(IsAuthenticated()), description="Your subscription's invoices, newest first.")
    async def my_invoices(self, info: Info) -> list[Invoice]:
        found = await info.context.services.billing.invoices(_user(info))
        return [Invoice.from_domain(_user(info), invoice) for invoice in found]

    @strawberry.field(extensions=allow(IsAdmin()), description="Subscriptions, optionally of one status.")
    async def subscriptions(
        self, info: Info, status: SubscriptionStatus | None = None, first: Annotated[int, page_size(MAX_LISTED)] = 50
    ) -> list[SubscriptionRecord]:
        found = await info.context.services.billing.subscriptions(status, max(0, min(first, MAX_LISTED)))
        return [SubscriptionRecord.from_domain(sub) for sub in found]

    @strawberry.field(extensions=allow(IsAdmin()), description="MRR, active subscribers and churn by month.")
    async def revenue(self, info: Info) -> RevenueFigures:
        return RevenueFigures.from_domain(await info.context.services.billing.revenue())


@strawberry.type
class BillingMutation:
    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="A checkout page for a paid plan (subscription, with the plan's trial the first time); "
        "open `url`. The subscription starts when the payment provider confirms it.",
    )
    async def start_checkout(self, info: Info, plan_id: PlanId, interval: Interval, currency: str) -> HostedPage:
        url = await info.context.services.billing.start_checkout(_user(info), plan_id, interval, currency)
        return HostedPage(url=url)

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()), description="The payment provider's portal: cards, invoices, billing data."
    )
    async def open_billing_portal(self, info: Info) -> HostedPage:
        return HostedPage(url=await info.context.services.billing.open_portal(_user(info)))

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Move to another paid plan now, prorated; shown once the payment provider confirms it.",
    )
    async def change_plan(self, info: Info, plan_id: PlanId, interval: Interval) -> BillingSubscription:
        standing = await info.context.services.billing.change_plan(_user(info), plan_id, interval)
        return BillingSubscription.from_domain(_user(info), standing)

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()), description="Cancel at the period's end; the plan stays until then."
    )
    async def cancel_subscription(self, info: Info) -> BillingSubscription:
        return BillingSubscription.from_domain(_user(info), await info.context.services.billing.cancel(_user(info)))

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Undo a cancellation before the period ends.")
    async def resume_subscription(self, info: Info) -> BillingSubscription:
        return BillingSubscription.from_domain(_user(info), await info.context.services.billing.resume(_user(info)))
