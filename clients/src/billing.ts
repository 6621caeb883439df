// The plans screen: the catalog, your plan with its allowances and usage, and the upgrade through Stripe
// Checkout or the billing portal (hosted pages the app opens; Stripe's webhook then updates the subscription).
import type { ApolloClient } from "@apollo/client";

import {
  type BillingInterval,
  MySubscriptionDocument,
  type MySubscriptionQuery,
  OpenBillingPortalDocument,
  type PlanId,
  PlansDocument,
  type PlansQuery,
  StartCheckoutDocument,
} from "./__generated__/graphql.js";
import { required } from "./data.js";

export type Subscription = MySubscriptionQuery["me"]["subscription"];

export async function plans(client: ApolloClient): Promise<PlansQuery["plans"]> {
  const { data } = await client.query({ query: PlansDocument });
  return required(data, "Plans").plans;
}

/** Always read from the network: the subscription changes when Stripe's events arrive, not on a mutation. */
export async function mySubscription(client: ApolloClient): Promise<Subscription> {
  const { data } = await client.query({ query: MySubscriptionDocument, fetchPolicy: "network-only" });
  return required(data, "MySubscription").me.subscription;
}

/** The Stripe Checkout page to open for the plan. */
export async function startCheckout(
  client: ApolloClient, planId: PlanId, interval: BillingInterval, currency: string,
): Promise<string> {
  const { data } = await client.mutate({ mutation: StartCheckoutDocument, variables: { planId, interval, currency } });
  return required(data, "StartCheckout").startCheckout.url;
}

export async function openBillingPortal(client: ApolloClient): Promise<string> {
  const { data } = await client.mutate({ mutation: OpenBillingPortalDocument });
  return required(data, "OpenBillingPortal").openBillingPortal.url;
}
