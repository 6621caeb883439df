// A visitor who has not signed up, in a browser: answers the assessment under its resume token (the progress
// subscription too), reads the results, then signs up and claims it — the same results are now theirs, and the
// resume token opens nothing any more.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CombinedGraphQLErrors } from "@apollo/client";

import { logIn, register, verifyEmail } from "../src/account.js";
import { answerAll, claimAssessment, completeAssessment, ProgressFeed, startAssessment } from "../src/assessment.js";
import { searchPrograms } from "../src/catalog.js";
import { createMigratioClient, errorCodes } from "../src/client.js";
import { allRecommendations, assessmentRecommendations } from "../src/results.js";
import { Session } from "../src/session.js";
import { answerAs, DEVELOPER_FROM_INDIA } from "./persona.js";
import { webBrowser } from "./platforms.js";
import { graphqlUrl, unique, verificationToken } from "./support.js";

test("a visitor sees results under the resume token, then signs up and claims them", async () => {
  const platform = webBrowser();
  const session = new Session({ uri: graphqlUrl(), fetch: platform.fetch });
  const client = createMigratioClient({ uri: graphqlUrl(), session, fetch: platform.fetch,
    webSocketImpl: platform.webSocketImpl });
  try {
    const started = await startAssessment(client.apollo);
    const resumeToken = started.resumeToken;
    assert.ok(resumeToken, "an anonymous assessment comes with a resume token");
    const feed = new ProgressFeed(client.apollo, started.id, resumeToken);
    const final = await answerAll(client.apollo, started, answerAs(DEVELOPER_FROM_INDIA), async (progress) => {
      await feed.until((update) => update.revision === progress.revision);
    });
    feed.stop();
    assert.equal(final.nextQuestion, null);
    await completeAssessment(client.apollo, started.id, resumeToken);

    const before = await assessmentRecommendations(client.apollo, started.id, resumeToken);
    const catalog = await searchPrograms(client.apollo, { filter: { countries: ["CA", "AU"] }, first: 1 });
    assert.equal(before.length, catalog.totalCount);
    const fsw = before.find((edge) => edge.programSlug === "ca-express-entry-fsw");
    assert.equal(fsw?.verdict, "ELIGIBLE");
    assert.ok(fsw?.points && fsw.points.factors.reduce((sum, factor) => sum + factor.points, 0) === fsw.points.total);

    const email = `${unique("visitor-")}@example.com`;
    await register(client.apollo, { email, password: "meadowlark-trail-77", name: "Visiting Person" });
    await verifyEmail(client.apollo, await verificationToken(email));
    await logIn(client.apollo, session, email, "meadowlark-trail-77");
    await claimAssessment(client.apollo, started.id, resumeToken);

    const mine = await allRecommendations(client.apollo);
    const summary = (edges: ReadonlyArray<{ programSlug: string; verdict: string; matchScore: number }>) =>
      edges.map(({ programSlug, verdict, matchScore }) => ({ programSlug, verdict, matchScore }));
    assert.deepEqual(summary(mine), summary(before));

    await session.signOut();
    await assert.rejects(assessmentRecommendations(client.apollo, started.id, resumeToken), (error: unknown) => {
      assert.ok(CombinedGraphQLErrors.is(error));
      assert.deepEqual(errorCodes(error.errors), ["NOT_FOUND"]);
      return true;
    });
  } finally {
    await client.stop();
  }
});
