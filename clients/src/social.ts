// Signing in with an OpenID Connect provider, as the apps' sign-in screens do it: ask the API for the provider's
// authorization URL, send the person there (a browser tab, or the system browser from a phone), and hand the code
// and state the provider redirects back with to the API, which answers like `login`.
import type { ApolloClient } from "@apollo/client";

import {
  CompleteOAuthSignInDocument,
  OAuthProvidersDocument,
  type OAuthProvidersQuery,
  StartOAuthSignInDocument,
  type StartOAuthSignInMutation,
} from "./__generated__/graphql.js";
import { required } from "./data.js";
import type { Session } from "./session.js";

export async function oauthProviders(client: ApolloClient): Promise<OAuthProvidersQuery["oauthProviders"]> {
  const { data } = await client.query({ query: OAuthProvidersDocument, fetchPolicy: "network-only" });
  return required(data, "OAuthProviders").oauthProviders;
}

/** Where to send the person; `redirectUri` is a page of the web app or the mobile app's `migratio://` link. */
export async function startOAuthSignIn(
  client: ApolloClient, provider: string, redirectUri: string,
): Promise<StartOAuthSignInMutation["startOAuthSignIn"]> {
  const { data } = await client.mutate({ mutation: StartOAuthSignInDocument, variables: { provider, redirectUri } });
  return required(data, "StartOAuthSignIn").startOAuthSignIn;
}

/** The `code` and `state` of the URL the provider sent the person back to. */
export function fromRedirect(url: string): { code: string; state: string } {
  const query = new URL(url).searchParams;
  const code = query.get("code");
  const state = query.get("state");
  if (!code || !state) throw new Error(`the provider sent back no code: ${query.get("error") ?? url}`);
  return { code, state };
}

/** Signs the session in with what the provider sent back; an account with MFA answers with a challenge. */
export async function completeOAuthSignIn(
  client: ApolloClient, session: Session, provider: string, redirectedTo: string,
): Promise<void> {
  const { code, state } = fromRedirect(redirectedTo);
  const { data } = await client.mutate({ mutation: CompleteOAuthSignInDocument, variables: { provider, code, state } });
  const result = required(data, "CompleteOAuthSignIn").completeOAuthSignIn;
  if (result.__typename !== "AuthTokens") throw new Error("this account asks for a second factor");
  await session.signIn(result);
}
