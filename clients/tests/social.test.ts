// Signing in through the local stack's OpenID Connect provider (mock-oauth2-server) from a web page and from a
// React Native app, then an authenticated query. The person's part at the provider is its login form, posted
// over HTTP as a browser would (user name = the provider's subject, claims = what the provider vouches for).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { me } from "../src/account.js";
import { createMigratioClient } from "../src/client.js";
import { Session } from "../src/session.js";
import { completeOAuthSignIn, oauthProviders, startOAuthSignIn } from "../src/social.js";
import { reactNative, webBrowser } from "./platforms.js";
import { graphqlUrl, unique } from "./support.js";

/** The provider's login form, filled in and sent; the URL it redirects the browser (or the app) to. */
async function signInAtProvider(authorizationUrl: string, subject: string, claims: Record<string, unknown>) {
  const response = await fetch(authorizationUrl, {
    method: "POST",
    body: new URLSearchParams({ username: subject, claims: JSON.stringify(claims) }),
    redirect: "manual",
  });
  assert.equal(response.status, 302);
  return response.headers.get("location") ?? "";
}

describe("social sign-in", { concurrency: true }, () => {
  for (const [makePlatform, redirectUri] of [
    [webBrowser, "http://localhost:3000/auth/callback"],
    [reactNative, "migratio://auth/callback"],
  ] as const) {
    test(`${makePlatform().name}: through the provider to an authenticated query`, async () => {
      const platform = makePlatform();
      const session = new Session({ uri: graphqlUrl(), fetch: platform.fetch, headers: platform.headers });
      const client = createMigratioClient({
        uri: graphqlUrl(), session, fetch: platform.fetch, headers: platform.headers,
        webSocketImpl: platform.webSocketImpl, sha256: platform.sha256,
      });
      try {
        const [provider] = await oauthProviders(client.apollo);
        assert.ok(provider, "the API offers a provider");
        const started = await startOAuthSignIn(client.apollo, provider.name, redirectUri);
        assert.equal(new URL(started.authorizationUrl).searchParams.get("code_challenge_method"), "S256");

        const email = `${unique("social-")}@example.com`;
        const redirectedTo = await signInAtProvider(
          started.authorizationUrl, unique("subject-"), { email, email_verified: true, name: "Grace Hopper" },
        );
        assert.ok(redirectedTo.startsWith(`${redirectUri}?`), redirectedTo);
        await completeOAuthSignIn(client.apollo, session, provider.name, redirectedTo);

        const person = await me(client.apollo);
        assert.equal(person.email, email);
        assert.equal(person.name, "Grace Hopper");
        assert.equal(person.emailVerified, true);
      } finally {
        await client.stop();
      }
    });
  }
});
