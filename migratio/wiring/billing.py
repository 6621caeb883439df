"""Wires billing: Stripe (or stripe-mock, by STRIPE_API_BASE), its Mongo records and the account directory."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from datasources.mail import Mailer
from datasources.mongo.repos.billing import BillingPeople, BillingRepository, QuotaLedger
from datasources.mongo.repos.documents import DocumentRepository
from datasources.mongo.repos.users import MongoUserRepository
from datasources.notification_people import PaymentNoticesSent
from datasources.people import UserDirectory
from datasources.stripe_billing import StripePayments, stripe_client
from domain.billing.service import Billing
from domain.notifications.service import Notifications
from domain.users.service import Identity
from migratio.settings import Settings
from migratio.wiring.identity import field_cipher


def _now() -> datetime:
    return datetime.now(UTC)


def build_billing(settings: Settings, db: AsyncDatabase, mailer: Mailer, notifications: Notifications) -> Billing:
    client = stripe_client(
        settings.stripe_api_base, settings.stripe_secret_key.get_secret_value(), settings.dependency_timeout_s * 5
    )
    return Billing(
        repository=BillingRepository(db),
        provider=StripePayments(client),
        quota=QuotaLedger(db),
        people=BillingPeople(UserDirectory(MongoUserRepository(db, field_cipher(settings)))),
        mailer=mailer,
        notices=PaymentNoticesSent(notifications),
        storage=DocumentRepository(db),
        clock=_now,
        grace=timedelta(days=settings.billing_grace_days),
        app_url=settings.app_url.rstrip("/"),
    )


class BillingRecords:
    """The account's export shows its billing data; its erasure ends the Stripe subscription and forgets it."""

    name = "billing"

    def __init__(self, billing: Billing) -> None:
        self.billing = billing

    async def export(self, user_id: str) -> Any:
        return await self.billing.export(user_id)

    async def erase(self, user_id: str) -> None:
        await self.billing.close_account(user_id)


def with_billing_records(identity: Identity, billing: Billing) -> Identity:
    return replace(identity, personal_data=(*identity.personal_data, BillingRecords(billing)))
