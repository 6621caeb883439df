"""Plans and subscriptions end to end: checkout requests validated by stripe-mock (the local stack's Stripe),
then Stripe's signed webhook events as the source of truth of the subscription and of what it entitles to."""

import asyncio
import secrets
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from pymongo import AsyncMongoClient

from datasources.mongo.repos.billing import BillingRepository
from datasources.stripe_billing import verified_event
from migratio.settings import Settings
from tests.builders.accounts import Account, admin, error_code, mails_to, mongo, signed_up, wait_for_mail
from tests.builders.notifications import MY_NOTIFICATIONS
from tests.builders.roadmaps import REQUEST_REPORT, applicant, create_roadmap
from tests.builders.stripe_events import (
    DEV_SECRET,
    PERIOD_END,
    checkout_completed,
    event,
    invoice,
    post_event,
    sign,
    subscribed,
    subscription,
)
from tests.server import LiveServer, start_server

ROTATED_SECRET = "whsec_rotated_in_" + "x" * 24
MINE = """query { me { subscription {
  plan { id } status interval currency currentPeriodEnd cancelAtPeriodEnd
  entitlements { reportsPerMonth roadmaps storageMegabytes advisorReview }
  usage { period reports roadmaps storageMegabytes }
} } }"""
START = """mutation($plan: PlanId!, $interval: BillingInterval!, $currency: String!) {
  startCheckout(planId: $plan, interval: $interval, currency: $currency) { url } }"""


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[LiveServer]:
    """The API with two webhook secrets, as during a rotation (the new one first)."""
    rotating = settings.model_copy(
        update={"stripe_webhook_secrets": [SecretStr(ROTATED_SECRET), SecretStr(DEV_SECRET)]}
    )
    live = start_server(rotating)
    yield live
    live.stop()


def _mine(account: Account) -> dict[str, Any]:
    found: dict[str, Any] = account.client.data(MINE)["me"]["subscription"]
    return found


def _subscription_id() -> str:
    return f"sub_{secrets.token_hex(8)}"


def _deliver(server: LiveServer, event_type: str, obj: dict, created: int, **kw: Any) -> dict[str, Any]:
    response = post_event(server.url, event(event_type, obj, created, **kw))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _paid_up(server: LiveServer, account: Account) -> str:
    return subscribed(server.url, account.id)


def test_everyone_starts_on_free_with_its_entitlements(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "free")
    mine = _mine(person)
    assert mine["plan"] == {"id": "FREE"} and mine["status"] is None and mine["cancelAtPeriodEnd"] is False
    assert mine["entitlements"] == {
        "reportsPerMonth": 5,
        "roadmaps": 3,
        "storageMegabytes": 100,
        "advisorReview": False,
    }
    assert mine["usage"] == {
        "period": datetime.now(UTC).strftime("%Y-%m"),
        "reports": 0,
        "roadmaps": 0,
        "storageMegabytes": 0.0,
    }


def test_the_catalog_lists_the_plans_with_prices_per_interval_and_currency(server: LiveServer) -> None:
    plans = server.gql("{ plans { id name trialDays prices { interval currency amount } } }")["data"]["plans"]
    assert [p["id"] for p in plans] == ["FREE", "PLUS", "ADVISOR"]
    plus = plans[1]
    assert plus["trialDays"] == 14 and len(plus["prices"]) == 8
    assert {"interval": "YEAR", "currency": "eur", "amount": 9000} in plus["prices"]


def test_start_checkout_returns_the_stripe_checkout_url_and_links_a_customer_once(
    server: LiveServer, settings: Settings
) -> None:
    person = signed_up(server, settings, "buyer")
    first = person.client.data(START, {"plan": "PLUS", "interval": "MONTH", "currency": "EUR"})["startCheckout"]
    assert first["url"].startswith("https://checkout.stripe.com/")
    second = person.client.data(START, {"plan": "ADVISOR", "interval": "YEAR", "currency": "usd"})["startCheckout"]
    assert second["url"].startswith("https://checkout.stripe.com/")
    [account] = list(mongo(settings)["billing_accounts"].find({"_id": person.id}))
    assert account["customer_id"].startswith("cus_") and account["subscription_id"] is None


@pytest.mark.parametrize(
    ("variables", "field"),
    [({"plan": "FREE", "interval": "MONTH", "currency": "eur"}, "planId"),
     ({"plan": "PLUS", "interval": "MONTH", "currency": "chf"}, "currency")],
)  # fmt: skip
def test_start_checkout_for_what_is_not_sold_is_bad_user_input_and_opens_no_account(
    server: LiveServer, settings: Settings, variables: dict[str, str], field: str
) -> None:
    person = signed_up(server, settings, "wrong")
    body = person.client.gql(START, variables)
    assert error_code(body) == "BAD_USER_INPUT" and body["errors"][0]["extensions"]["field"] == field
    assert mongo(settings)["billing_accounts"].count_documents({"_id": person.id}) == 0


def test_start_checkout_needs_a_signed_in_person(server: LiveServer) -> None:
    body = server.gql(START, {"plan": "PLUS", "interval": "MONTH", "currency": "eur"})
    assert error_code(body) == "UNAUTHENTICATED"


def test_checkout_completed_then_invoice_paid_make_the_subscription_active(
    server: LiveServer, settings: Settings
) -> None:
    person = signed_up(server, settings, "upgrader")
    sub_id = _subscription_id()
    now = int(time.time())
    _deliver(server, "checkout.session.completed", checkout_completed(person.id, sub_id), now - 2)
    incomplete = _mine(person)
    assert (incomplete["status"], incomplete["plan"]["id"]) == ("INCOMPLETE", "FREE")
    _deliver(server, "invoice.paid", invoice(sub_id, person.id, 900, PERIOD_END), now - 1)
    active = _mine(person)
    assert (active["status"], active["plan"]["id"], active["interval"], active["currency"]) == (
        "ACTIVE",
        "PLUS",
        "MONTH",
        "eur",
    )
    assert active["entitlements"]["reportsPerMonth"] == 50
    assert datetime.fromisoformat(active["currentPeriodEnd"]).timestamp() == PERIOD_END


def test_a_replayed_event_is_stored_once_and_changes_nothing(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "replayed")
    sub_id = _paid_up(server, person)
    db = mongo(settings)
    before = (
        _mine(person),
        db["billing_subscriptions"].find_one({"_id": sub_id}),
        db["billing_events"].count_documents({}),
    )
    failed = event("invoice.payment_failed", invoice(sub_id, person.id, 0, PERIOD_END, "open"), int(time.time()) - 100)
    assert post_event(server.url, failed).json() == {"received": True, "duplicate": False}  # older: status kept
    after_stale = (_mine(person), db["billing_subscriptions"].find_one({"_id": sub_id}))
    assert after_stale == before[:2]
    assert post_event(server.url, failed).json() == {"received": True, "duplicate": True}
    assert db["billing_events"].count_documents({}) == before[2] + 1
    assert (_mine(person), db["billing_subscriptions"].find_one({"_id": sub_id})) == before[:2]


def test_events_delivered_out_of_order_give_the_same_state_as_in_order(server: LiveServer, settings: Settings) -> None:
    in_order, reordered = signed_up(server, settings, "inorder"), signed_up(server, settings, "reordered")
    now = int(time.time())

    def life(person: Account) -> list[tuple[str, dict, int]]:
        sub_id = f"sub_{person.id}"
        return [
            ("checkout.session.completed", checkout_completed(person.id, sub_id), now - 5),
            ("customer.subscription.created", subscription(sub_id, person.id, "incomplete", PERIOD_END), now - 4),
            ("invoice.paid", invoice(sub_id, person.id, 900, PERIOD_END), now - 3),
            ("customer.subscription.updated", subscription(sub_id, person.id, "active", PERIOD_END, True), now - 2),
        ]

    for event_type, obj, created in life(in_order):
        _deliver(server, event_type, obj, created)
    for event_type, obj, created in reversed(life(reordered)):
        _deliver(server, event_type, obj, created)
    expected = _mine(in_order)
    assert (expected["status"], expected["plan"]["id"], expected["cancelAtPeriodEnd"]) == ("ACTIVE", "PLUS", True)
    assert _mine(reordered) == expected


def test_a_forged_stale_or_missing_signature_is_refused_and_stores_nothing(
    server: LiveServer, settings: Settings
) -> None:
    person = signed_up(server, settings, "forged")
    sub_id = _paid_up(server, person)
    db = mongo(settings)
    before = (_mine(person), db["billing_events"].count_documents({}))
    body = event(
        "customer.subscription.deleted", subscription(sub_id, person.id, "canceled", PERIOD_END), int(time.time())
    )
    refused = [
        post_event(server.url, body, sign(body, "whsec_someone_else")),
        post_event(server.url, body, sign(body, DEV_SECRET, at=int(time.time()) - 3600)),  # replayed an hour later
        post_event(server.url, body + b" ", sign(body)),  # the body changed after signing
        httpx.post(f"{server.url}/webhooks/stripe", content=body, timeout=10),  # no signature at all
    ]
    assert [r.status_code for r in refused] == [400, 400, 400, 400]
    assert (_mine(person), db["billing_events"].count_documents({})) == before


def test_both_secrets_verify_during_a_rotation(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "rotation")
    sub_id = _subscription_id()
    old = event("checkout.session.completed", checkout_completed(person.id, sub_id), int(time.time()) - 1)
    new = event("invoice.paid", invoice(sub_id, person.id, 900, PERIOD_END), int(time.time()))
    assert post_event(server.url, old, sign(old, DEV_SECRET)).status_code == 200
    assert post_event(server.url, new, sign(new, ROTATED_SECRET)).status_code == 200
    assert _mine(person)["status"] == "ACTIVE"


def test_cancel_at_period_end_keeps_the_plan_until_the_subscription_ends(
    server: LiveServer, settings: Settings
) -> None:
    person = signed_up(server, settings, "leaver")
    sub_id = _paid_up(server, person)
    asked = person.client.data("mutation { cancelSubscription { plan { id } status } }")["cancelSubscription"]
    assert asked == {"plan": {"id": "PLUS"}, "status": "ACTIVE"}  # stripe-mock took the request
    now = int(time.time())
    _deliver(server, "customer.subscription.updated", subscription(sub_id, person.id, "active", PERIOD_END, True), now)
    cancelled = _mine(person)
    assert (cancelled["cancelAtPeriodEnd"], cancelled["status"], cancelled["plan"]["id"]) == (True, "ACTIVE", "PLUS")
    assert cancelled["entitlements"]["reportsPerMonth"] == 50
    resumed = person.client.data("mutation { resumeSubscription { status } }")["resumeSubscription"]
    assert resumed == {"status": "ACTIVE"}
    _deliver(
        server, "customer.subscription.deleted", subscription(sub_id, person.id, "canceled", PERIOD_END, True), now + 1
    )
    ended = _mine(person)
    assert (ended["status"], ended["plan"]["id"], ended["entitlements"]["reportsPerMonth"]) == ("CANCELED", "FREE", 5)
    assert error_code(person.client.gql("mutation { cancelSubscription { status } }")) == "NOT_FOUND"


def test_change_plan_portal_and_invoices_go_to_stripe(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "changer")
    person.client.data(START, {"plan": "PLUS", "interval": "MONTH", "currency": "eur"})
    _paid_up(server, person)
    changed = person.client.data("mutation { changePlan(planId: ADVISOR, interval: YEAR) { plan { id } } }")
    assert changed["changePlan"]["plan"]["id"] == "PLUS"  # until Stripe's event confirms the change
    portal = person.client.data("mutation { openBillingPortal { url } }")["openBillingPortal"]["url"]
    assert portal.startswith("https://")
    invoices = person.client.data("{ myInvoices { id status currency amountDue } }")["myInvoices"]
    assert invoices and all(i["id"].startswith("in_") for i in invoices)


def _delivered_at_once(server: LiveServer, body: bytes, clients: int) -> list[tuple[int, bool]]:
    """(status, duplicate) answered to each of `clients` parallel posts of one signed event, released together."""
    signature, gate, answers = sign(body), threading.Barrier(clients), []

    def deliver() -> None:
        with httpx.Client(timeout=30) as client:
            gate.wait()
            response = client.post(
                f"{server.url}/webhooks/stripe",
                content=body,
                headers={"stripe-signature": signature, "content-type": "application/json"},
            )
            answers.append((response.status_code, response.json()["duplicate"]))

    threads = [threading.Thread(target=deliver) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(answers)


def test_the_same_event_from_eight_parallel_clients_is_applied_once(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "racer")
    sub_id = _paid_up(server, person)
    db = mongo(settings)
    first = db["billing_subscriptions"].find_one({"_id": sub_id})
    assert first is not None
    revision = first["revision"]
    body = event("invoice.payment_failed", invoice(sub_id, person.id, 0, PERIOD_END, "open"), int(time.time()) + 1)
    assert _delivered_at_once(server, body, 8) == [(200, False)] + [(200, True)] * 7
    stored = db["billing_subscriptions"].find_one({"_id": sub_id})
    assert stored is not None
    assert (stored["status"], stored["revision"]) == ("past_due", revision + 1)
    mine = _mine(person)
    assert (mine["status"], mine["plan"]["id"]) == ("PAST_DUE", "PLUS")  # the grace period
    time.sleep(0.5)
    mails = [m for m in mails_to(settings, person.email) if m == "Your Migratio payment failed"]
    assert mails == ["Your Migratio payment failed"]
    notices = person.client.data(MY_NOTIFICATIONS)["me"]["notifications"]  # through the notification use case
    failed = [(n["channel"], n["status"]) for n in notices if n["kind"] == "PAYMENT_FAILED"]
    assert failed == [("EMAIL", "SENT")]


def test_an_event_billing_does_not_follow_is_new_to_exactly_one_of_eight_parallel_deliveries(
    server: LiveServer, settings: Settings
) -> None:
    """No subscription facts to merge: marking it applied still decides which delivery was the first."""
    body = event("customer.created", {"id": f"cus_{secrets.token_hex(8)}", "object": "customer"}, int(time.time()))
    assert _delivered_at_once(server, body, 8) == [(200, False)] + [(200, True)] * 7
    assert post_event(server.url, body).json() == {"received": True, "duplicate": True}  # a later retry
    event_id = verified_event(body, sign(body), [DEV_SECRET], 300).id
    assert mongo(settings)["billing_events"].count_documents({"_id": event_id}) == 1


def test_an_event_stored_but_never_applied_is_applied_by_stripes_retry_and_mailed_once(
    server: LiveServer, settings: Settings
) -> None:
    """The crash window: the event stored (as the webhook stores it), then the process gone before applying."""
    person = signed_up(server, settings, "crashed")
    sub_id = _paid_up(server, person)
    body = event("invoice.payment_failed", invoice(sub_id, person.id, 0, PERIOD_END, "open"), int(time.time()) + 1)
    stored = verified_event(body, sign(body), [DEV_SECRET], 300)

    async def store_only() -> bool:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url)
        try:
            return await BillingRepository(client[settings.mongodb_db]).record_event(stored)
        finally:
            await client.close()

    assert asyncio.run(store_only()) is True
    assert _mine(person)["status"] == "ACTIVE"  # stored, not applied
    assert post_event(server.url, body).json() == {"received": True, "duplicate": False}  # Stripe's retry
    assert post_event(server.url, body).json() == {"received": True, "duplicate": True}
    assert _mine(person)["status"] == "PAST_DUE"
    assert mongo(settings)["billing_events"].count_documents({"_id": stored.id}) == 1
    wait_for_mail(settings, person.email, "Your Migratio payment failed")
    time.sleep(0.5)
    assert mails_to(settings, person.email).count("Your Migratio payment failed") == 1


def test_reports_beyond_the_free_quota_are_refused_naming_the_plan_that_lifts_it_until_upgraded(
    server: LiveServer, settings: Settings, seeded: Any
) -> None:
    person = applicant(server, settings, "quota")
    roadmap = create_roadmap(person, date.today())
    for _ in range(5):
        person.client.data(REQUEST_REPORT, {"id": roadmap["id"]})
    db = mongo(settings)
    reports_before = db["reports"].count_documents({"owner_id": person.id})
    refused = person.client.gql(REQUEST_REPORT, {"id": roadmap["id"]})
    [error] = refused["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN", "reason": "PLAN_LIMIT", "limit": 5, "liftedBy": "plus"}
    assert db["reports"].count_documents({"owner_id": person.id}) == reports_before == 5
    assert _mine(person)["usage"]["reports"] == 5
    _paid_up(server, person)
    person.client.data(REQUEST_REPORT, {"id": roadmap["id"]})
    mine = _mine(person)
    assert (mine["plan"]["id"], mine["entitlements"]["reportsPerMonth"], mine["usage"]["reports"]) == ("PLUS", 50, 6)


def test_admins_read_subscriptions_and_revenue_figures(server: LiveServer, settings: Settings) -> None:
    boss = admin(server, settings)
    person = signed_up(server, settings, "yearly")
    revenue = "{ revenue { mrr { currency amount } activeSubscribers trialing churn { month count } } }"

    def figures() -> dict[str, Any]:
        found: dict[str, Any] = boss.client.data(revenue)["revenue"]
        found["eur"] = next((m["amount"] for m in found["mrr"] if m["currency"] == "eur"), 0)
        found["churned"] = {c["month"]: c["count"] for c in found["churn"]}
        return found

    before = figures()
    sub_id = _subscription_id()
    now = int(time.time())
    _deliver(server, "checkout.session.completed", checkout_completed(person.id, sub_id, "advisor", "year"), now - 2)
    _deliver(server, "invoice.paid", invoice(sub_id, person.id, 49000, PERIOD_END), now - 1)
    during = figures()
    assert (during["eur"] - before["eur"], during["activeSubscribers"] - before["activeSubscribers"]) == (4083, 1)
    listed = boss.client.data("{ subscriptions(status: ACTIVE, first: 100) { id userId plan interval } }")
    assert {"id": sub_id, "userId": person.id, "plan": "ADVISOR", "interval": "YEAR"} in listed["subscriptions"]
    _deliver(server, "customer.subscription.deleted", subscription(sub_id, person.id, "canceled", PERIOD_END), now)
    after = figures()
    month = datetime.now(UTC).strftime("%Y-%m")
    assert after["churned"].get(month, 0) - before["churned"].get(month, 0) == 1
    assert after["activeSubscribers"] == before["activeSubscribers"]
    assert error_code(person.client.gql(revenue)) == "FORBIDDEN"


def test_stripes_upcoming_invoice_mails_one_renewal_reminder_unless_cancelled(
    server: LiveServer, settings: Settings
) -> None:
    person, leaving = signed_up(server, settings, "renewing"), signed_up(server, settings, "notrenewing")
    renewing_sub, leaving_sub = _paid_up(server, person), _paid_up(server, leaving)
    now = int(time.time())
    cancelled = subscription(leaving_sub, leaving.id, "active", PERIOD_END, cancel_at_period_end=True)
    _deliver(server, "customer.subscription.updated", cancelled, now)
    for sub_id, account in ((renewing_sub, person), (leaving_sub, leaving)):
        body = event("invoice.upcoming", invoice(sub_id, account.id, 0, PERIOD_END, "draft"), now)
        assert post_event(server.url, body).json()["duplicate"] is False
        assert post_event(server.url, body).json()["duplicate"] is True
    reminder = wait_for_mail(settings, person.email, "Your Migratio subscription renews soon")
    text = reminder.get_body(("plain",))
    assert text is not None
    day = datetime.fromtimestamp(PERIOD_END, UTC).strftime("%Y-%m-%d")
    assert f"your Plus subscription renews on {day} for 9.00 EUR a month" in " ".join(text.get_content().split())
    time.sleep(0.5)
    assert mails_to(settings, person.email).count("Your Migratio subscription renews soon") == 1
    assert "Your Migratio subscription renews soon" not in mails_to(settings, leaving.email)
