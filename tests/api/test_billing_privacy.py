"""Billing in the account's rights and in operations: the data export shows the subscription, the purge ends it
at Stripe (stripe-mock validates the call) and forgets its records; `migratio sync-prices` creates the catalog's
prices there."""

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from migratio.admin import tasks
from migratio.settings import Settings
from tests.builders.accounts import mongo, run_cli, signed_up
from tests.builders.stripe_events import checkout_completed, event, invoice, post_event
from tests.server import LiveServer, start_server

EXPORT = "mutation { exportMyData { url expiresAt } }"
DELETE = "mutation($password: String!) { deleteMyAccount(password: $password) { purgeAfter } }"
PERIOD_END = int(time.time()) + 30 * 86400


@pytest.fixture(scope="module")
def no_grace(settings: Settings) -> Iterator[tuple[LiveServer, Settings]]:
    immediate = settings.model_copy(update={"account_deletion_grace_s": 0})
    live = start_server(immediate)
    yield live, immediate
    live.stop()


def _subscribed(server: LiveServer, owner_id: str) -> str:
    sub_id = f"sub_{owner_id}"
    now = int(time.time())
    for body in (
        event("checkout.session.completed", checkout_completed(owner_id, sub_id), now - 2),
        event("invoice.paid", invoice(sub_id, owner_id, 900, PERIOD_END), now - 1),
    ):
        assert post_event(server.url, body).status_code == 200
    return sub_id


def test_the_data_export_holds_the_billing_account_and_subscription(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "exporter")
    sub_id = _subscribed(server, person.id)
    document: dict[str, Any] = httpx.get(person.client.data(EXPORT)["exportMyData"]["url"], timeout=30).json()
    assert document["billing"] == {
        "customerId": "cus_test",
        "subscription": {
            "id": sub_id,
            "plan": "plus",
            "interval": "month",
            "currency": "eur",
            "status": "active",
            "currentPeriodEnd": datetime.fromtimestamp(PERIOD_END, UTC).isoformat(),
            "cancelAtPeriodEnd": False,
        },
    }
    assert document["billing"]["subscription"]["currentPeriodEnd"].startswith(
        time.strftime("%Y", time.gmtime(PERIOD_END))
    )


def test_the_purge_cancels_the_subscription_at_stripe_and_forgets_the_billing_records(
    no_grace: tuple[LiveServer, Settings],
) -> None:
    server, settings = no_grace
    person = signed_up(server, settings, "leaving")
    sub_id = _subscribed(server, person.id)
    db = mongo(settings)
    assert db["billing_subscriptions"].count_documents({"_id": sub_id}) == 1
    assert db["billing_events"].count_documents({"subscription_id": sub_id}) == 2
    person.client.data(DELETE, {"password": person.password})

    purged = asyncio.run(tasks.purge_deleted_accounts(settings))

    assert person.id in purged
    assert db["billing_accounts"].count_documents({"_id": person.id}) == 0
    assert db["billing_subscriptions"].count_documents({"_id": sub_id}) == 0
    assert db["billing_subscriptions_revisions"].count_documents({"doc": sub_id}) == 0
    assert db["billing_events"].count_documents({"subscription_id": sub_id}) == 0


def test_sync_prices_creates_every_catalog_price_at_stripe(settings: Settings) -> None:
    output = run_cli(settings, "sync-prices").splitlines()
    assert output[0] == "created 16 price(s)"
    assert "migratio_plus_month_eur" in output and "migratio_advisor_year_gbp" in output
