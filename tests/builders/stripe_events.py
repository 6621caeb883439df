"""Stripe events as Stripe sends them: JSON bodies signed with a webhook secret in `Stripe-Signature`
(`t=<unix time>,v1=<HMAC-SHA256 of "<t>.<body>">`), and the shapes of the objects billing reads."""

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import httpx

DEV_SECRET = "whsec_devstack_webhook_secret"


def sign(body: bytes, secret: str = DEV_SECRET, at: int | None = None) -> str:
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_type: str, obj: dict[str, Any], created: int, event_id: str | None = None) -> bytes:
    body = {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": created,
        "livemode": False,
        "pending_webhooks": 1,
        "type": event_type,
        "data": {"object": obj},
    }
    return json.dumps(body).encode()


def checkout_completed(owner_id: str, subscription_id: str, plan: str = "plus", interval: str = "month") -> dict:
    return {
        "id": f"cs_test_{secrets.token_hex(8)}",
        "object": "checkout.session",
        "mode": "subscription",
        "client_reference_id": owner_id,
        "customer": "cus_test",
        "subscription": subscription_id,
        "payment_status": "unpaid",
        "status": "complete",
        "metadata": {"owner_id": owner_id, "plan": plan, "interval": interval, "currency": "eur"},
    }


def invoice(subscription_id: str, owner_id: str, amount_paid: int, period_end: int, status: str = "paid") -> dict:
    return {
        "id": f"in_{secrets.token_hex(8)}",
        "object": "invoice",
        "customer": "cus_test",
        "status": status,
        "amount_paid": amount_paid,
        "currency": "eur",
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription_id, "metadata": {"owner_id": owner_id}},
        },
        "lines": {"object": "list", "data": [{"period": {"start": period_end - 30 * 86400, "end": period_end}}]},
    }


def subscription(
    subscription_id: str,
    owner_id: str,
    status: str,
    period_end: int,
    cancel_at_period_end: bool = False,
    price_key: str = "migratio_plus_month_eur",
) -> dict:
    return {
        "id": subscription_id,
        "object": "subscription",
        "customer": "cus_test",
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "trial_end": None,
        "metadata": {"owner_id": owner_id},
        "items": {
            "object": "list",
            "data": [{"id": "si_test", "current_period_end": period_end, "price": {"lookup_key": price_key}}],
        },
    }


def post_event(base_url: str, body: bytes, signature: str | None = None) -> httpx.Response:
    headers = {"content-type": "application/json", "stripe-signature": signature or sign(body)}
    return httpx.post(f"{base_url}/webhooks/stripe", content=body, headers=headers, timeout=30)


PERIOD_END = int(time.time()) + 30 * 86400


def subscribed(base_url: str, owner_id: str, plan: str = "plus") -> str:
    """A subscription bought through checkout, as Stripe reports it: the session completed, then its first
    invoice paid (ACTIVE until PERIOD_END); its id."""
    sub_id = f"sub_{secrets.token_hex(8)}"
    now = int(time.time())
    for body in (
        event("checkout.session.completed", checkout_completed(owner_id, sub_id, plan), now - 2),
        event("invoice.paid", invoice(sub_id, owner_id, 900, PERIOD_END), now - 1),
    ):
        response = post_event(base_url, body)
        assert response.status_code == 200, response.text
    return sub_id
