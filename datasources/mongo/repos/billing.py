"""Billing records in Mongo: accounts (owner -> provider customer), subscriptions merged from provider events,
the events themselves (stored once), and report-quota units.

Every race is decided by a unique `_id` insert (atomic.py): the first link of an owner to a customer, the
first copy of an event, each quota unit; a subscription changes only by compare-and-set (`Versioned`)."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from datasources.mongo.atomic import SpentKeys, Versioned
from domain.billing.plans import Interval, PlanId
from domain.billing.ports import BillingAccount, BillingEvent, Person
from domain.billing.subscription import PlanChoice, Stamp, Subscription, SubscriptionFacts, SubscriptionStatus, merged
from domain.roadmaps.ports import Contacts

APPLIED = "billing_event_applied"  # spent key: the event's state is in; whoever spends it sends its mails


def _stamp(value: Any) -> Stamp:
    created, rank, event_id = value
    return (float(created), int(rank), str(event_id))


def _subscription(doc: Mapping[str, Any]) -> Subscription:
    choice = doc.get("choice")
    return Subscription(
        id=doc["_id"],
        owner_id=doc.get("owner_id"),
        customer_id=doc.get("customer_id"),
        status=SubscriptionStatus(doc["status"]),
        status_since=doc.get("status_since"),
        choice=None
        if choice is None
        else PlanChoice(PlanId(choice["plan"]), Interval(choice["interval"]), choice["currency"]),
        cancel_at_period_end=bool(doc.get("cancel_at_period_end")),
        trial_end=doc.get("trial_end"),
        current_period_end=doc.get("current_period_end"),
        status_stamp=_stamp(doc["status_stamp"]),
        choice_stamp=_stamp(doc["choice_stamp"]),
        terms_stamp=_stamp(doc["terms_stamp"]),
    )


def _fields(sub: Subscription) -> dict[str, Any]:
    choice = sub.choice
    return {
        "owner_id": sub.owner_id,
        "customer_id": sub.customer_id,
        "status": sub.status.value,
        "status_since": sub.status_since,
        "choice": None
        if choice is None
        else {"plan": choice.plan_id.value, "interval": choice.interval.value, "currency": choice.currency},
        "cancel_at_period_end": sub.cancel_at_period_end,
        "trial_end": sub.trial_end,
        "current_period_end": sub.current_period_end,
        "status_stamp": list(sub.status_stamp),
        "choice_stamp": list(sub.choice_stamp),
        "terms_stamp": list(sub.terms_stamp),
    }


class BillingRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.accounts = db["billing_accounts"]
        self.subscriptions_collection = db["billing_subscriptions"]
        self.versioned = Versioned(self.subscriptions_collection)
        self.versioned_accounts = Versioned(self.accounts)
        self.events = db["billing_events"]
        self.spent = SpentKeys(db)

    async def account(self, owner_id: str) -> BillingAccount | None:
        doc = await self.versioned_accounts.read(owner_id)
        if doc is None:
            return None
        return BillingAccount(doc["_id"], doc["customer_id"], doc.get("subscription_id"))

    async def open_account(self, owner_id: str, customer_id: str) -> BillingAccount:
        try:
            await self.accounts.insert_one(
                {"_id": owner_id, "customer_id": customer_id, "subscription_id": None, "revision": 0}
            )
        except DuplicateKeyError:
            existing = await self.account(owner_id)
            assert existing is not None
            return existing
        return BillingAccount(owner_id, customer_id, None)

    async def follow(self, owner_id: str, subscription_id: str) -> None:
        await self.versioned_accounts.update(
            owner_id,
            {"subscription_id": subscription_id},
            where=lambda doc: doc.get("subscription_id") != subscription_id,
        )

    async def subscription(self, subscription_id: str) -> Subscription | None:
        doc = await self.versioned.read(subscription_id)
        return None if doc is None else _subscription(doc)

    async def apply(self, facts: SubscriptionFacts) -> Subscription:
        first = merged(None, facts)
        try:
            await self.subscriptions_collection.insert_one({"_id": first.id, **_fields(first), "revision": 0})
            return first
        except DuplicateKeyError:
            pass

        def changes(doc: dict[str, Any]) -> dict[str, Any]:
            return _fields(merged(_subscription(doc), facts))

        def changed(doc: dict[str, Any]) -> bool:
            current = _subscription(doc)
            return merged(current, facts) != current

        moved = await self.versioned.update(facts.subscription_id, changes, where=changed)
        if moved is not None:
            return _subscription(moved)
        found = await self.subscription(facts.subscription_id)
        assert found is not None
        return found

    async def record_event(self, event: BillingEvent) -> bool:
        try:
            await self.events.insert_one(
                {
                    "_id": event.id,
                    "type": event.type,
                    "created": event.created,
                    "received_at": datetime.now(UTC),
                    "subscription_id": event.facts.subscription_id if event.facts else None,
                    "payload": dict(event.payload),
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def applied(self, event_id: str) -> bool:
        return await self.spent.spent_at(APPLIED, event_id) is not None

    async def mark_applied(self, event_id: str) -> bool:
        return await self.spent.spend(APPLIED, event_id)

    async def subscriptions(self, status: SubscriptionStatus | None, limit: int) -> list[Subscription]:
        query = {} if status is None else {"status": status.value}
        docs = await self.subscriptions_collection.find(query).limit(limit).to_list()
        return [_subscription(await self.versioned.catch_up(doc)) for doc in docs]

    async def forget(self, owner_id: str) -> None:
        account = await self.account(owner_id)
        subscription_ids = (
            [doc["_id"] async for doc in self.subscriptions_collection.find({"owner_id": owner_id}, {"_id": 1})]
            if account is not None
            else []
        )
        if subscription_ids:
            await self.events.delete_many({"subscription_id": {"$in": subscription_ids}})
            await self.subscriptions_collection.delete_many({"_id": {"$in": subscription_ids}})
            await self.versioned.forget(subscription_ids)
        await self.accounts.delete_one({"_id": owner_id})
        await self.versioned_accounts.forget([owner_id])


class QuotaLedger:
    """Quota units `<owner>:<period>:<n>`, n = 1..limit: taking one is inserting the first free n."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["billing_quota"]

    async def take(self, owner_id: str, period: str, limit: int) -> bool:
        start = await self.used(owner_id, period)
        for n in range(start + 1, limit + 1):
            try:
                await self.collection.insert_one(
                    {"_id": f"{owner_id}:{period}:{n}", "owner_id": owner_id, "at": datetime.now(UTC)}
                )
            except DuplicateKeyError:
                continue
            return True
        return False

    async def used(self, owner_id: str, period: str) -> int:
        """Units are taken in order, so the count is the first n whose `_id` is free, minus one."""
        n = 0
        while await self.collection.find_one({"_id": f"{owner_id}:{period}:{n + 1}"}, {"_id": 1}) is not None:
            n += 1
        return n

    async def forget(self, owner_id: str) -> None:
        await self.collection.delete_many({"owner_id": owner_id})


class BillingPeople:
    """The account holder's address and name, as billing mails and customers need them."""

    def __init__(self, contacts: Contacts) -> None:
        self.contacts = contacts

    async def person(self, owner_id: str) -> Person | None:
        contact = await self.contacts.contact(owner_id)
        return None if contact is None else Person(contact.email, contact.name)
