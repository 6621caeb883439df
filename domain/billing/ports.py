"""What billing needs from the outside: the payment provider, storage of accounts, subscriptions and events,
the report-quota ledger, mail and notices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.billing.subscription import Subscription, SubscriptionFacts, SubscriptionStatus


@dataclass(frozen=True, slots=True)
class BillingAccount:
    owner_id: str
    customer_id: str
    subscription_id: str | None = None


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    owner_id: str
    customer_id: str
    price_key: str
    plan_id: str
    interval: str
    currency: str
    trial_days: int
    success_url: str
    cancel_url: str


@dataclass(frozen=True, slots=True)
class PriceSpec:
    key: str
    product_name: str
    amount: int
    currency: str
    interval: str


@dataclass(frozen=True, slots=True)
class Invoice:
    id: str
    number: str | None
    status: str
    amount_due: int
    amount_paid: int
    currency: str
    created: datetime
    hosted_url: str | None


@dataclass(frozen=True, slots=True)
class BillingEvent:
    """A provider event whose signature was verified; `facts` is None for a type billing does not follow."""

    id: str
    type: str
    created: datetime
    facts: SubscriptionFacts | None
    payload: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Person:
    email: str
    name: str


class PaymentProvider(Protocol):
    async def create_customer(self, owner_id: str, email: str, name: str) -> str: ...

    async def checkout_url(self, request: CheckoutRequest) -> str: ...

    async def portal_url(self, customer_id: str, return_url: str) -> str: ...

    async def change_price(self, subscription_id: str, price_key: str) -> None:
        """Move the subscription to another price now, prorating the difference."""

    async def set_cancel_at_period_end(self, subscription_id: str, cancel: bool) -> None: ...

    async def cancel_now(self, subscription_id: str) -> None: ...

    async def invoices(self, customer_id: str, limit: int) -> list[Invoice]: ...

    async def sync_prices(self, prices: Sequence[PriceSpec]) -> list[str]:
        """Create the prices missing at the provider (by lookup key); the keys created."""


class BillingRepository(Protocol):
    async def account(self, owner_id: str) -> BillingAccount | None: ...

    async def open_account(self, owner_id: str, customer_id: str) -> BillingAccount:
        """Links the owner to a customer once; a racing second link gets the first one back."""

    async def follow(self, owner_id: str, subscription_id: str) -> None:
        """Makes `subscription_id` the owner's current subscription."""

    async def subscription(self, subscription_id: str) -> Subscription | None: ...

    async def apply(self, facts: SubscriptionFacts) -> Subscription:
        """Merge the facts into the stored subscription (compare-and-set, retried on a lost race)."""

    async def record_event(self, event: BillingEvent) -> bool:
        """Store the event; False when its id is stored already (decided by a unique-index insert)."""

    async def applied(self, event_id: str) -> bool:
        """Whether the event was marked applied: a stored event may not be (a crash right after storing it)."""

    async def mark_applied(self, event_id: str) -> bool:
        """True for exactly one caller per event (atomic): that caller finishes it (mails)."""

    async def subscriptions(self, status: SubscriptionStatus | None, limit: int) -> list[Subscription]: ...

    async def forget(self, owner_id: str) -> None: ...


class QuotaLedger(Protocol):
    async def take(self, owner_id: str, period: str, limit: int) -> bool:
        """One unit of the period's quota for the owner; False when `limit` are taken (atomic)."""

    async def used(self, owner_id: str, period: str) -> int: ...

    async def forget(self, owner_id: str) -> None: ...


class People(Protocol):
    async def person(self, owner_id: str) -> Person | None: ...


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


class PaymentNotices(Protocol):
    async def payment_failed(self, owner_id: str, subject: str, body: str, key: str) -> None:
        """Tell the person through the notification area (kind payment_failed, their channels); `key` names the
        notice, so it is recorded and sent once."""


class StoredBytes(Protocol):
    """The bytes a person's documents hold now (the documents area's count)."""

    async def stored_bytes(self, owner_id: str, excluding: str | None = None) -> int: ...
