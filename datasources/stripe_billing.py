"""Stripe through its official library: the payment provider billing's use cases call, and the webhook side
(signature check with any of the configured secrets, then the event translated into subscription facts).

Tests point `api_base` at stripe-mock, which validates every request against Stripe's OpenAPI spec."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Mapping, Sequence
from datetime import UTC, datetime
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import stripe

from domain.billing.plans import Interval, PlanId, parse_price_key
from domain.billing.ports import BillingEvent, CheckoutRequest, Invoice, PriceSpec
from domain.billing.subscription import PlanChoice, SubscriptionFacts, SubscriptionStatus
from domain.errors import Unavailable

P = ParamSpec("P")
R = TypeVar("R")


class InvalidSignature(Exception):
    """The body was not signed by Stripe with any configured secret, or the signature is too old."""


def _unavailable(call: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, Coroutine[Any, Any, R]]:
    @wraps(call)
    async def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await call(*args, **kwargs)
        except (stripe.APIConnectionError, stripe.RateLimitError) as error:
            raise Unavailable("the payment provider did not answer", dependency="stripe") from error

    return guarded


def stripe_client(api_base: str, secret_key: str, timeout_s: float) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base.rstrip("/")},
        http_client=stripe.HTTPXClient(timeout=timeout_s),
        max_network_retries=1,
    )


class StripePayments:
    def __init__(self, client: stripe.StripeClient) -> None:
        self.client = client

    @_unavailable
    async def create_customer(self, owner_id: str, email: str, name: str) -> str:
        customer = await self.client.v1.customers.create_async(
            {"email": email, "name": name, "metadata": {"owner_id": owner_id}},
            {"idempotency_key": f"customer-{owner_id}"},
        )
        return str(customer.id)

    async def _price_id(self, key: str) -> str:
        prices = await self.client.v1.prices.list_async({"lookup_keys": [key], "active": True, "limit": 1})
        if not prices.data:
            raise Unavailable(f"no price {key} at Stripe: run `migratio sync-prices`", dependency="stripe")
        return str(prices.data[0].id)

    @_unavailable
    async def checkout_url(self, request: CheckoutRequest) -> str:
        metadata = {
            "owner_id": request.owner_id,
            "plan": request.plan_id,
            "interval": request.interval,
            "currency": request.currency,
        }
        subscription_data: dict[str, Any] = {"metadata": metadata}
        if request.trial_days:
            subscription_data["trial_period_days"] = request.trial_days
        params: Any = {
            "mode": "subscription",
            "customer": request.customer_id,
            "client_reference_id": request.owner_id,
            "line_items": [{"price": await self._price_id(request.price_key), "quantity": 1}],
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "metadata": metadata,
            "subscription_data": subscription_data,
            "allow_promotion_codes": True,
        }
        session = await self.client.v1.checkout.sessions.create_async(params)
        if not session.url:
            raise Unavailable("Stripe returned a checkout session without a URL", dependency="stripe")
        return str(session.url)

    @_unavailable
    async def portal_url(self, customer_id: str, return_url: str) -> str:
        session = await self.client.v1.billing_portal.sessions.create_async(
            {"customer": customer_id, "return_url": return_url}
        )
        return str(session.url)

    @_unavailable
    async def change_price(self, subscription_id: str, price_key: str) -> None:
        current = await self.client.v1.subscriptions.retrieve_async(subscription_id)
        item = current["items"].data[0]
        chosen = parse_price_key(price_key)
        metadata = {"plan": chosen[0].value, "interval": chosen[1].value} if chosen else {}
        await self.client.v1.subscriptions.update_async(
            subscription_id,
            {
                "items": [{"id": item.id, "price": await self._price_id(price_key)}],
                "proration_behavior": "create_prorations",
                "metadata": metadata,
            },
        )

    @_unavailable
    async def set_cancel_at_period_end(self, subscription_id: str, cancel: bool) -> None:
        await self.client.v1.subscriptions.update_async(subscription_id, {"cancel_at_period_end": cancel})

    @_unavailable
    async def cancel_now(self, subscription_id: str) -> None:
        await self.client.v1.subscriptions.cancel_async(subscription_id, {"prorate": True})

    @_unavailable
    async def invoices(self, customer_id: str, limit: int) -> list[Invoice]:
        found = await self.client.v1.invoices.list_async({"customer": customer_id, "limit": limit})
        return [
            Invoice(
                id=str(inv.id),
                number=inv.number,
                status=str(inv.status or "draft"),
                amount_due=int(inv.amount_due or 0),
                amount_paid=int(inv.amount_paid or 0),
                currency=str(inv.currency),
                created=datetime.fromtimestamp(inv.created, UTC),
                hosted_url=inv.hosted_invoice_url,
            )
            for inv in found.data
        ]

    @_unavailable
    async def sync_prices(self, prices: Sequence[PriceSpec]) -> list[str]:
        created = []
        for spec in prices:
            found = await self.client.v1.prices.list_async({"lookup_keys": [spec.key], "limit": 1})
            if any(price.lookup_key == spec.key for price in found.data):
                continue
            await self.client.v1.prices.create_async(
                {
                    "currency": spec.currency,
                    "unit_amount": spec.amount,
                    "recurring": {"interval": "month" if spec.interval == "month" else "year"},
                    "product_data": {"name": spec.product_name},
                    "lookup_key": spec.key,
                    "transfer_lookup_key": True,
                    "metadata": {"catalog": "migratio"},
                },
                {"idempotency_key": f"price-{spec.key}-{spec.amount}"},
            )
            created.append(spec.key)
        return created


def verified_event(payload: bytes, signature: str | None, secrets: Sequence[str], tolerance_s: int) -> BillingEvent:
    """The event in `payload` if `signature` verifies with one of `secrets` (rotation: old and new both
    listed) within the timestamp tolerance; InvalidSignature otherwise."""
    if not signature:
        raise InvalidSignature("no Stripe-Signature header")
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature, secret, tolerance_s)
        except (stripe.SignatureVerificationError, UnicodeDecodeError):
            continue
        break
    else:
        raise InvalidSignature("the signature matches no webhook secret")
    try:
        body = json.loads(payload)
        event_id, event_type, created = str(body["id"]), str(body["type"]), int(body["created"])
        obj = body["data"]["object"]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidSignature(f"a signed body that is not an event: {error}") from error
    moment = datetime.fromtimestamp(created, UTC)
    return BillingEvent(event_id, event_type, moment, subscription_facts(event_id, event_type, moment, obj), body)


def _id(value: Any) -> str | None:
    """A related object's id, whether Stripe sent it expanded or not."""
    if isinstance(value, Mapping):
        return str(value.get("id")) if value.get("id") else None
    return str(value) if value else None


def _moment(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


def _choice_from_metadata(metadata: Mapping[str, Any] | None) -> PlanChoice | None:
    metadata = metadata or {}
    try:
        return PlanChoice(PlanId(metadata["plan"]), Interval(metadata["interval"]), str(metadata["currency"]))
    except (KeyError, ValueError):
        return None


_SUBSCRIPTION_STATUS = {
    "incomplete": SubscriptionStatus.INCOMPLETE,
    "incomplete_expired": SubscriptionStatus.CANCELED,
    "trialing": SubscriptionStatus.TRIALING,
    "active": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.UNPAID,
    "paused": SubscriptionStatus.UNPAID,
    "canceled": SubscriptionStatus.CANCELED,
}


def subscription_facts(
    event_id: str, event_type: str, created: datetime, obj: Mapping[str, Any]
) -> SubscriptionFacts | None:
    """What an event of a type billing follows says about its subscription; None for other events."""
    if event_type == "checkout.session.completed":
        subscription_id = _id(obj.get("subscription"))
        if obj.get("mode") != "subscription" or subscription_id is None:
            return None
        paid_status = {"paid": SubscriptionStatus.ACTIVE, "no_payment_required": SubscriptionStatus.TRIALING}.get(
            str(obj.get("payment_status")), SubscriptionStatus.INCOMPLETE
        )
        metadata = obj.get("metadata") or {}
        return SubscriptionFacts(
            event_id,
            created,
            subscription_id,
            owner_id=obj.get("client_reference_id") or metadata.get("owner_id"),
            customer_id=_id(obj.get("customer")),
            status=paid_status,
            choice=_choice_from_metadata(metadata),
        )
    if event_type.startswith("customer.subscription."):
        items = (obj.get("items") or {}).get("data") or [{}]
        price = items[0].get("price") or {}
        parsed = parse_price_key(price.get("lookup_key"))
        choice = PlanChoice(*parsed) if parsed else _choice_from_metadata(obj.get("metadata"))
        own_status = (
            SubscriptionStatus.CANCELED
            if event_type == "customer.subscription.deleted"
            else _SUBSCRIPTION_STATUS.get(str(obj.get("status")))
        )
        return SubscriptionFacts(
            event_id,
            created,
            str(obj["id"]),
            owner_id=(obj.get("metadata") or {}).get("owner_id"),
            customer_id=_id(obj.get("customer")),
            status=own_status,
            choice=choice,
            terms=(bool(obj.get("cancel_at_period_end")), _moment(obj.get("trial_end"))),
            period_end=_moment(obj.get("current_period_end") or items[0].get("current_period_end")),
        )
    if event_type in ("invoice.paid", "invoice.payment_failed", "invoice.upcoming"):
        parent = (obj.get("parent") or {}).get("subscription_details") or {}
        details = obj.get("subscription_details") or parent
        subscription_id = _id(obj.get("subscription") or parent.get("subscription"))
        if subscription_id is None:
            return None
        lines = (obj.get("lines") or {}).get("data") or [{}]
        paid = event_type == "invoice.paid"
        invoice_status: SubscriptionStatus | None = SubscriptionStatus.PAST_DUE
        if paid:  # a trial's zero invoice is paid too, and says nothing about the trial ending
            invoice_status = SubscriptionStatus.ACTIVE if int(obj.get("amount_paid") or 0) > 0 else None
        elif event_type == "invoice.upcoming":  # only names the subscription about to renew
            invoice_status = None
        return SubscriptionFacts(
            event_id,
            created,
            subscription_id,
            owner_id=(details.get("metadata") or {}).get("owner_id"),
            customer_id=_id(obj.get("customer")),
            status=invoice_status,
            period_end=_moment((lines[0].get("period") or {}).get("end")) if paid else None,
        )
    return None
