"""Wires billing: Stripe (or stripe-mock, by STRIPE_API_BASE), its Mongo records and the account directory."""

from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

from datasources.mail import Mailer
from datasources.mongo.repos.billing import BillingPeople, BillingRepository, QuotaLedger
from datasources.mongo.repos.users import MongoUserRepository
from datasources.people import UserDirectory
from datasources.stripe_billing import StripePayments, stripe_client
from domain.billing.service import Billing
from migratio.settings import Settings
from migratio.wiring.identity import field_cipher


def _now() -> datetime:
    return datetime.now(UTC)


def build_billing(settings: Settings, db: AsyncDatabase, mailer: Mailer) -> Billing:
    client = stripe_client(
        settings.stripe_api_base, settings.stripe_secret_key.get_secret_value(), settings.dependency_timeout_s * 5
    )
    return Billing(
        repository=BillingRepository(db),
        provider=StripePayments(client),
        quota=QuotaLedger(db),
        people=BillingPeople(UserDirectory(MongoUserRepository(db, field_cipher(settings)))),
        mailer=mailer,
        clock=_now,
        grace=timedelta(days=settings.billing_grace_days),
        app_url=settings.app_url.rstrip("/"),
    )
