// Upgrading from the app: Free's report allowance runs out (the API refuses with PLAN_LIMIT and names the plan
// that lifts it), the app opens Stripe Checkout (the API's request validated by the local stack's stripe-mock),
// Stripe's signed webhook events arrive, and the subscription is active with Plus's allowance.
import { createHmac, randomBytes } from "node:crypto";
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { CombinedGraphQLErrors } from "@apollo/client";

import { logIn, me, register, verifyEmail } from "../src/account.js";
import { answerAll, completeAssessment, startAssessment } from "../src/assessment.js";
import { mySubscription, plans, startCheckout } from "../src/billing.js";
import { createMigratioClient } from "../src/client.js";
import { createRoadmap, requestReport } from "../src/roadmap.js";
import { Session } from "../src/session.js";
import { answerAs, DEVELOPER_FROM_INDIA } from "./persona.js";
import { webBrowser } from "./platforms.js";
import { apiUrl, graphqlUrl, unique, verificationToken } from "./support.js";

/** The local stack's webhook secret (STRIPE_WEBHOOK_SECRETS' default). */
const WEBHOOK_SECRET = process.env["STRIPE_WEBHOOK_SECRET"] ?? "whsec_devstack_webhook_secret";

/** Delivers an event the way Stripe does: JSON signed as `t=<time>,v1=<HMAC-SHA256 of "<t>.<body>">`. */
async function deliver(type: string, object: Record<string, unknown>, created: number): Promise<void> {
  const body = JSON.stringify({
    id: `evt_${randomBytes(12).toString("hex")}`, object: "event", type, created, data: { object },
  });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", WEBHOOK_SECRET).update(`${t}.${body}`).digest("hex");
  const response = await fetch(`${apiUrl()}/webhooks/stripe`, {
    method: "POST", body, headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` },
  });
  assert.equal(response.status, 200, await response.text());
}

describe("plans", () => {
  test("the sixth report of the month is refused on Free; after upgrading through Checkout it is not", async () => {
    const platform = webBrowser();
    const session = new Session({ uri: graphqlUrl(), fetch: platform.fetch, headers: platform.headers });
    const client = createMigratioClient({
      uri: graphqlUrl(), session, fetch: platform.fetch, headers: platform.headers,
      webSocketImpl: platform.webSocketImpl, sha256: platform.sha256,
    });
    try {
      const email = `${unique("upgrade-")}@example.com`;
      const password = "copper-meadow-2077";
      await register(client.apollo, { email, password, name: "Ana Upgrader" });
      await verifyEmail(client.apollo, await verificationToken(email));
      await logIn(client.apollo, session, email, password);
      const started = await startAssessment(client.apollo);
      await answerAll(client.apollo, started, answerAs(DEVELOPER_FROM_INDIA));
      await completeAssessment(client.apollo, started.id);
      const roadmap = await createRoadmap(client.apollo, "ca-express-entry-fsw", new Date().toISOString().slice(0, 10));

      const free = await mySubscription(client.apollo);
      assert.equal(free.plan.id, "FREE");
      assert.equal(free.entitlements.reportsPerMonth, 5);
      for (let n = 0; n < 5; n++) await requestReport(client.apollo, roadmap.id);
      await assert.rejects(requestReport(client.apollo, roadmap.id), (error: unknown) => {
        assert.ok(CombinedGraphQLErrors.is(error));
        assert.deepEqual(error.errors.map((e) => e.extensions), [
          { code: "FORBIDDEN", reason: "PLAN_LIMIT", limit: 5, liftedBy: "plus" },
        ]);
        return true;
      });
      assert.equal((await mySubscription(client.apollo)).usage.reports, 5, "the refused request used nothing");

      const plus = (await plans(client.apollo)).find((plan) => plan.id === "PLUS");
      assert.ok(plus?.prices.some((price) => price.interval === "MONTH" && price.currency === "eur"));
      const checkoutUrl = await startCheckout(client.apollo, "PLUS", "MONTH", "eur");
      assert.match(checkoutUrl, /^https:\/\/checkout\.stripe\.com\//);

      // What Stripe sends once the person paid on the Checkout page.
      const ownerId = (await me(client.apollo)).id;
      const subscriptionId = `sub_${randomBytes(8).toString("hex")}`;
      const now = Math.floor(Date.now() / 1000);
      const periodEnd = now + 30 * 86_400;
      await deliver("checkout.session.completed", {
        object: "checkout.session", mode: "subscription", client_reference_id: ownerId, customer: "cus_node",
        subscription: subscriptionId, payment_status: "paid",
        metadata: { owner_id: ownerId, plan: "plus", interval: "month", currency: "eur" },
      }, now - 1);
      await deliver("invoice.paid", {
        object: "invoice", customer: "cus_node", amount_paid: 900, currency: "eur",
        parent: { subscription_details: { subscription: subscriptionId, metadata: { owner_id: ownerId } } },
        lines: { data: [{ period: { start: now, end: periodEnd } }] },
      }, now);

      const upgraded = await mySubscription(client.apollo);
      assert.equal(upgraded.plan.id, "PLUS");
      assert.equal(upgraded.status, "ACTIVE");
      assert.equal(upgraded.entitlements.reportsPerMonth, 50);
      assert.equal(new Date(upgraded.currentPeriodEnd ?? 0).getTime(), periodEnd * 1000);
      await requestReport(client.apollo, roadmap.id);
      assert.equal((await mySubscription(client.apollo)).usage.reports, 6);
    } finally {
      await client.stop();
    }
  });
});
