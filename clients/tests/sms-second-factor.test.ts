// SMS codes as the second factor, end to end through the real Apollo Client on a phone: register and verify from
// the real mail, add a phone number and prove it with the texted code (read from the local Twilio), turn SMS codes
// on, then sign in on a fresh device: the password alone gets a challenge, the texted code completes it, and the
// session runs an authenticated query.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CombinedGraphQLErrors } from "@apollo/client";

import { logIn, me, register, verifyEmail } from "../src/account.js";
import { createMigratioClient, errorCodes } from "../src/client.js";
import {
  addPhoneNumber,
  completeSignIn,
  sendSignInCode,
  setSmsSecondFactor,
  startSignIn,
  verifyPhoneNumber,
} from "../src/second-factor.js";
import { Session } from "../src/session.js";
import { reactNative } from "./platforms.js";
import { graphqlUrl, textedCode, unique, uniquePhoneNumber, verificationToken } from "./support.js";

function device() {
  const platform = reactNative();
  const session = new Session({ uri: graphqlUrl(), fetch: platform.fetch, headers: platform.headers });
  const client = createMigratioClient({ uri: graphqlUrl(), session, fetch: platform.fetch, headers: platform.headers,
    webSocketImpl: platform.webSocketImpl, sha256: platform.sha256 });
  return { session, client };
}

test("a texted code completes a sign-in that SMS codes guard", async () => {
  const email = `${unique("sms-")}@example.com`;
  const password = "marigold-lighthouse-77";
  const number = uniquePhoneNumber();
  const phone = device();
  try {
    await register(phone.client.apollo, { email, password, name: "Amara Okafor" });
    await verifyEmail(phone.client.apollo, await verificationToken(email));
    await logIn(phone.client.apollo, phone.session, email, password);

    assert.equal(await addPhoneNumber(phone.client.apollo, number), number);
    assert.equal(await verifyPhoneNumber(phone.client.apollo, await textedCode(number, 1)), number);
    assert.equal(await setSmsSecondFactor(phone.client.apollo, password, true), true);
  } finally {
    await phone.client.stop();
  }

  const other = device();
  try {
    const first = await startSignIn(other.client.apollo, other.session, email, password);
    assert.ok(!first.signedIn, "the password alone does not sign in");
    assert.equal(other.session.signedIn, false);
    assert.equal(await sendSignInCode(other.client.apollo, first.mfaToken), true);
    const code = await textedCode(number, 2);

    const wrong = code === "000000" ? "111111" : "000000";
    const refused = await completeSignIn(other.client.apollo, other.session, first.mfaToken, wrong).catch((e) => e);
    assert.ok(CombinedGraphQLErrors.is(refused), String(refused));
    assert.deepEqual(errorCodes(refused.errors), ["UNAUTHENTICATED"]);
    assert.equal(other.session.signedIn, false);

    await completeSignIn(other.client.apollo, other.session, first.mfaToken, code);
    assert.equal(other.session.signedIn, true);
    const person = await me(other.client.apollo);
    assert.equal(person.email, email);
  } finally {
    await other.client.stop();
  }
});
