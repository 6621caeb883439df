// Apollo Client's own PersistedQueryLink (useGETForHashedQueries) against the running API: the first request
// sends only the hash and learns PersistedQueryNotFound, the retry sends the query, and from then on the hash
// alone is enough, over GET.
import assert from "node:assert/strict";
import { test } from "node:test";

import { gql } from "@apollo/client";

import { createMigratioClient } from "../src/client.js";
import { Session } from "../src/session.js";
import { graphqlUrl, unique } from "./support.js";

interface Sent {
  method: string;
  hasQuery: boolean;
  hasHash: boolean;
  status: number;
  cacheControl: string | null;
  contentType: string | null;
}

/** A fetch that records what each request carried and how the server answered. */
function recordingFetch(sent: Sent[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? "GET";
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    const response = await fetch(input, init);
    sent.push({
      method,
      hasQuery: method === "GET" ? url.searchParams.has("query") : typeof body["query"] === "string",
      hasHash: (method === "GET" ? url.searchParams.get("extensions") ?? "" : JSON.stringify(body["extensions"] ?? {}))
        .includes("sha256Hash"),
      status: response.status,
      cacheControl: response.headers.get("cache-control"),
      contentType: response.headers.get("content-type"),
    });
    return response;
  };
}

/** An operation this server has never seen, so the first request cannot be served from the hash. */
const freshQuery = () => gql(`query ${unique("Apq")} { health { ok } }`);

for (const [label, accept, notFoundStatus, mediaType] of [
  ["Apollo Client 4's default Accept (application/graphql-response+json)", undefined, 404,
    "application/graphql-response+json"],
  ["Accept: application/json", "application/json", 200, "application/json"],
] as const) {
  test(`with ${label}: hash only, PersistedQueryNotFound, retry with the query, then the hash alone`, async () => {
    const sent: Sent[] = [];
    const options = { uri: graphqlUrl(), fetch: recordingFetch(sent), ...(accept ? { headers: { accept } } : {}) };
    const query = freshQuery();

    const first = await createMigratioClient(options).apollo.query({ query, fetchPolicy: "network-only" });
    assert.deepEqual(first.data, { health: { __typename: "Health", ok: true } });
    assert.deepEqual(sent.map(({ method, hasQuery, hasHash, status }) => ({ method, hasQuery, hasHash, status })), [
      { method: "GET", hasQuery: false, hasHash: true, status: notFoundStatus },
      { method: "POST", hasQuery: true, hasHash: true, status: 200 },
    ]);
    assert.ok(sent.every((request) => request.contentType?.startsWith(mediaType)));
    assert.equal(sent[0]?.cacheControl, "no-store");

    // Another client (another browser, say): its first request is served from the hash alone.
    const second = await createMigratioClient(options).apollo.query({ query, fetchPolicy: "network-only" });
    assert.deepEqual(second.data, first.data);
    assert.deepEqual(sent.slice(2), [{ method: "GET", hasQuery: false, hasHash: true, status: 200,
      cacheControl: "public, max-age=60", contentType: sent[1]?.contentType ?? null }]);
  });
}

test("a signed-in client's hashed GET is never stored by shared caches", async () => {
  const sent: Sent[] = [];
  const session = new Session({ uri: graphqlUrl() });
  await session.signIn({ accessToken: "not-a-real-token", accessTokenExpiresAt: "2999-01-01T00:00:00Z",
    refreshToken: "unused", refreshTokenExpiresAt: "2999-01-01T00:00:00Z" });
  const client = createMigratioClient({ uri: graphqlUrl(), fetch: recordingFetch(sent), session }).apollo;
  const query = freshQuery();
  await client.query({ query, fetchPolicy: "network-only" });
  await client.query({ query, fetchPolicy: "network-only" });
  assert.equal(sent.length, 3);
  assert.equal(sent[2]?.method, "GET");
  assert.equal(sent[2]?.cacheControl, "private, no-store");
});

test("mutations are never sent over GET, even hashed", async () => {
  const sent: Sent[] = [];
  const client = createMigratioClient({ uri: graphqlUrl(), fetch: recordingFetch(sent) }).apollo;
  const mutation = gql(`mutation ${unique("Apq")} { resendVerificationEmail(email: "nobody@example.com") }`);
  const first = await client.mutate({ mutation });
  const second = await client.mutate({ mutation });
  assert.deepEqual(first.data, { resendVerificationEmail: true });
  assert.deepEqual(second.data, { resendVerificationEmail: true });
  assert.deepEqual(sent.map(({ method, hasQuery }) => ({ method, hasQuery })), [
    { method: "POST", hasQuery: false },
    { method: "POST", hasQuery: true },
    { method: "POST", hasQuery: false },
  ]);
});
