// Access tokens live seconds on the API under test. The client must renew them the way the apps do: one refresh
// for any number of refused requests (refresh tokens rotate, and a reused one ends the session), the retried
// request succeeding, a socket reconnecting with a fresh token, and an ended session reported, not looped on.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { CombinedGraphQLErrors, gql } from "@apollo/client";

import { me } from "../src/account.js";
import { answerQuestion, ProgressFeed, startAssessment } from "../src/assessment.js";
import { createMigratioClient, errorCodes } from "../src/client.js";
import type { TokensFragment } from "../src/__generated__/graphql.js";
import { Session } from "../src/session.js";
import { reactNative } from "./platforms.js";
import { graphqlUrl, signUp, untilExpired } from "./support.js";

async function signedIn(platform = reactNative()) {
  const account = await signUp();
  const stored: Array<TokensFragment | null> = [];
  const session = new Session({ uri: graphqlUrl(), fetch: platform.fetch, headers: platform.headers,
    storage: { save: (tokens) => void stored.push(tokens) } });
  await session.signIn(account.tokens);
  const client = createMigratioClient({ uri: graphqlUrl(), session, fetch: platform.fetch, headers: platform.headers,
    webSocketImpl: platform.webSocketImpl, sha256: platform.sha256 });
  return { account, session, client, platform, stored };
}

// Side by side: each test mostly waits for its token to expire.
describe("expiring access tokens", { concurrency: true }, () => {
test("three requests refused together share one refresh, and each is retried once", async () => {
  const { account, session, client, platform, stored } = await signedIn();
  try {
    await untilExpired(session);
    const before = platform.requests.length;
    const [a, b, c] = await Promise.all([
      me(client.apollo),
      client.apollo.query({ query: gql`query MyEmail { me { email } }`, fetchPolicy: "network-only" }),
      client.apollo.query({ query: gql`query MyName { me { name } }`, fetchPolicy: "network-only" }),
    ]);
    assert.equal(session.refreshes, 1);
    assert.equal(stored.at(-1)?.accessToken, session.accessToken, "the app's storage holds the new tokens");
    assert.equal(a.email, account.email);
    assert.deepEqual(b.data, { me: { __typename: "User", email: account.email } });
    assert.deepEqual(c.data, { me: { __typename: "User", name: "Client Tester" } });
    const sent = platform.requests.slice(before).map((request) => request.headers.get("authorization"));
    assert.equal(sent.filter((header) => header === null).length, 1, "one refresh request (it needs no token)");
    // (Persisted queries new to the server take two requests each, so count tokens, not requests.)
    assert.deepEqual(new Set(sent.filter(Boolean)), new Set([`Bearer ${account.accessToken}`, `Bearer ${session.accessToken}`]));
    assert.ok(sent.filter((header) => header === `Bearer ${session.accessToken}`).length >= 3, "all three retried");
  } finally {
    await client.stop();
  }
});

test("a socket that drops after the token expired reconnects with a fresh one and the feed goes on", async () => {
  const { session, client, platform } = await signedIn();
  try {
    const started = await startAssessment(client.apollo);
    const feed = new ProgressFeed(client.apollo, started.id);
    await feed.until((update) => update.revision === 0);
    await untilExpired(session);
    platform.goOffline();
    platform.goOnline();
    const question = started.progress.nextQuestion;
    assert.ok(question);
    const saved = await answerQuestion(client.apollo, started.id, question.id, ["CA"]);
    await feed.until((update) => update.revision === saved.revision);
    feed.stop();
    assert.equal(session.refreshes, 1);
    const inits = platform.sockets.map((entry) => entry.init?.["authorization"]).filter(Boolean);
    assert.ok(inits.length >= 2, "connected twice");
    assert.notEqual(inits.at(-1), inits[0]);
    assert.equal(inits.at(-1), `Bearer ${session.accessToken}`);
  } finally {
    await client.stop();
  }
});

test("a new subscription on a socket whose token expired reconnects it with a fresh token; both feeds go on", async () => {
  const { session, client, platform } = await signedIn();
  try {
    const [one, two] = [await startAssessment(client.apollo), await startAssessment(client.apollo)];
    const first = new ProgressFeed(client.apollo, one.id);
    await first.until((update) => update.revision === 0);
    await untilExpired(session);
    const second = new ProgressFeed(client.apollo, two.id); // the API closes the socket (4403) at this subscribe
    await second.until((update) => update.revision === 0);
    for (const started of [one, two]) {
      const question = started.progress.nextQuestion;
      assert.ok(question);
      await answerQuestion(client.apollo, started.id, question.id, ["CA"]);
    }
    await Promise.all([first, second].map((feed) => feed.until((update) => update.revision === 1)));
    first.stop();
    second.stop();
    assert.equal(session.refreshes, 1);
    assert.equal(platform.sockets.length, 2);
    assert.equal(platform.sockets[1]?.init?.["authorization"], `Bearer ${session.accessToken}`);
  } finally {
    await client.stop();
  }
});

test("when the session was ended elsewhere, the app gets UNAUTHENTICATED and the session signs out", async () => {
  const { account, session, client, stored } = await signedIn();
  try {
    // A copy of these tokens (a restored backup, say) was refreshed first: presenting the spent one again is
    // refused, and ends the session everywhere.
    const copy = new Session({ uri: graphqlUrl() });
    await copy.signIn(account.tokens);
    await copy.refresh();
    await untilExpired(session);
    await assert.rejects(me(client.apollo), (error: unknown) => {
      assert.ok(CombinedGraphQLErrors.is(error));
      assert.deepEqual(errorCodes(error.errors), ["UNAUTHENTICATED"]);
      return true;
    });
    assert.equal(session.signedIn, false);
    assert.equal(session.refreshes, 0);
    assert.equal(stored.at(-1), null, "the app's storage forgot the tokens");
  } finally {
    await client.stop();
  }
});
});
