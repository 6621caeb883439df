// The whole journey through the real Apollo Client, once as a web page and once as a React Native app: register,
// verify from the real mail, log in, answer the adaptive assessment while a GraphQLWsLink subscription shows
// progress, complete it, read recommendations with their points breakdowns (after the access token expired, so
// the client refreshes and retries), plan a roadmap, ask for its PDF, follow the job live and download the file.
// The mobile run also loses the network mid-assessment: the socket drops, an answer is given offline, and
// nothing is lost.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { logIn, me, register, verifyEmail } from "../src/account.js";
import {
  answerAll,
  answerQuestion,
  completeAssessment,
  type Progress,
  ProgressFeed,
  savedAnswers,
  startAssessment,
} from "../src/assessment.js";
import { searchPrograms } from "../src/catalog.js";
import { createMigratioClient } from "../src/client.js";
import { allRecommendations, pointsBreakdown } from "../src/results.js";
import { createRoadmap, followJob, report, requestReport } from "../src/roadmap.js";
import { Session } from "../src/session.js";
import { answerAs, DEVELOPER_FROM_INDIA } from "./persona.js";
import { type MobilePlatform, type Platform, reactNative, webBrowser } from "./platforms.js";
import { graphqlUrl, unique, untilExpired, verificationToken } from "./support.js";

const isMobile = (platform: Platform): platform is MobilePlatform => "goOffline" in platform;

/** Answers the rest of the quiz; on a phone, the network goes away after the fourth answer and comes back. */
async function answerQuiz(
  platform: Platform, client: ReturnType<typeof createMigratioClient>, started: Awaited<ReturnType<typeof startAssessment>>,
  feed: ProgressFeed,
): Promise<{ final: Progress; answered: string[] }> {
  const answerFor = answerAs(DEVELOPER_FROM_INDIA);
  const answered: string[] = [];
  const final = await answerAll(client.apollo, started, (question) => {
    answered.push(question.id);
    return answerFor(question);
  }, async (progress) => {
    // Progress reaches the subscriber for every saved answer, not only the one the app just made.
    await feed.until((update) => update.revision === progress.revision);
    if (!isMobile(platform) || answered.length !== 4 || !progress.nextQuestion) return;

    const socketsBefore = platform.sockets.length;
    platform.goOffline();
    const question = progress.nextQuestion;
    const saving = answerQuestion(client.apollo, started.id, question.id, answerFor(question), started.resumeToken);
    answered.push(question.id);
    await sleep(1_500); // a few failed fetches and reconnection attempts while offline
    platform.goOnline();
    const saved = await saving;
    assert.equal(saved.revision, progress.revision + 1, "the offline answer is saved exactly once");
    const caughtUp = await feed.until((update) => update.revision === saved.revision);
    assert.equal(caughtUp.answeredCount, saved.answeredCount);
    assert.ok(platform.sockets.length > socketsBefore + 1, "the socket reconnected (after failed attempts)");
    await answerAll(client.apollo, { ...started, progress: saved }, (next) => {
      answered.push(next.id);
      return answerFor(next);
    }, async (later) => {
      await feed.until((update) => update.revision === later.revision);
    });
  });
  return { final: isMobile(platform) ? (feed.latest ?? final) : final, answered };
}

// The two devices run side by side: most of each run is spent waiting for its access token to expire.
describe("the journey", { concurrency: true }, () => {
for (const makePlatform of [webBrowser, reactNative]) {
  test(`${makePlatform().name}: register, verify, assess with live progress, results, roadmap, PDF`, async () => {
    const platform = makePlatform();
    const session = new Session({ uri: graphqlUrl(), fetch: platform.fetch, headers: platform.headers });
    const client = createMigratioClient({
      uri: graphqlUrl(), session, fetch: platform.fetch, headers: platform.headers,
      webSocketImpl: platform.webSocketImpl, sha256: platform.sha256,
    });
    try {
      // Sign up, verify from the mail, sign in.
      const email = `${unique("journey-")}@example.com`;
      const password = "juniper-harbour-1984";
      await register(client.apollo, { email, password, name: "Priya Raman" });
      assert.equal(await verifyEmail(client.apollo, await verificationToken(email)), email);
      await logIn(client.apollo, session, email, password);
      const person = await me(client.apollo);
      assert.equal(person.email, email);
      assert.equal(person.emailVerified, true);

      // The assessment, with the progress bar fed by the subscription.
      const started = await startAssessment(client.apollo);
      assert.equal(started.resumeToken, null, "a signed-in person's assessment needs no resume token");
      const feed = new ProgressFeed(client.apollo, started.id);
      await feed.until((update) => update.revision === 0);
      const { final, answered } = await answerQuiz(platform, client, started, feed);
      assert.equal(final.nextQuestion, null);
      assert.equal(final.percentDone, 100);
      const saved = await savedAnswers(client.apollo, started.id);
      assert.deepEqual(saved.answers.map((answer) => answer.questionId).sort(), [...new Set(answered)].sort());
      assert.deepEqual(feed.errors, []);
      const revisions = feed.updates.map((update) => update.revision);
      assert.deepEqual(revisions, [...revisions].sort((a, b) => a - b), "progress never goes backwards");

      const completed = await completeAssessment(client.apollo, started.id);
      assert.equal(completed.assessment.status, "COMPLETED");
      assert.deepEqual([...completed.snapshot.destinations].sort(), ["AU", "CA"]);
      feed.stop();

      // The access token runs out (the API under test issues short-lived ones): the next read is refused,
      // the session refreshes once, and the read is retried.
      const refreshesBefore = session.refreshes;
      await untilExpired(session);
      const requestsBefore = platform.requests.length;
      const recommendations = await allRecommendations(client.apollo);
      assert.equal(session.refreshes, refreshesBefore + 1);
      const authorizations = platform.requests.slice(requestsBefore)
        .map((request) => request.headers.get("authorization")).filter(Boolean);
      assert.ok(new Set(authorizations).size >= 2, "the retried read carried the new token");

      // Results: every program in the chosen countries ranked, points explained factor by factor.
      const catalog = await searchPrograms(client.apollo, { filter: { countries: ["CA", "AU"] }, first: 1 });
      assert.equal(recommendations.length, catalog.totalCount);
      assert.ok(recommendations.every((edge) => ["CA", "AU"].includes(edge.node.countryCode)));
      assert.deepEqual(recommendations.map((edge) => edge.rank), recommendations.map((_, index) => index + 1));
      const crs = recommendations.find((edge) => edge.programSlug === "ca-express-entry-fsw")?.points;
      assert.ok(crs, "Express Entry (FSW) has a points breakdown");
      assert.equal(crs.factors.reduce((sum, factor) => sum + factor.points, 0), crs.total);
      assert.ok(crs.factors.every((factor) => factor.points <= factor.maximum && factor.explanation.length > 0));
      assert.match(crs.sourceUrl, /^https:\/\/www\.canada\.ca\//);
      assert.equal((await pointsBreakdown(client.apollo, "ca-express-entry-fsw")).total, crs.total);
      const best = recommendations.find((edge) => edge.verdict === "ELIGIBLE");
      assert.ok(best, "the developer qualifies for something");

      // A roadmap for the best match, then its PDF, followed live until the download link.
      const today = new Date().toISOString().slice(0, 10);
      const roadmap = await createRoadmap(client.apollo, best.programSlug, today);
      assert.equal(roadmap.programSlug, best.programSlug);
      assert.ok(roadmap.tasks.length > 0 && roadmap.checklist.length > 0 && roadmap.milestones.length > 0);
      assert.ok(roadmap.tasks.every((task) => task.targetStart >= today && task.targetEnd >= task.targetStart));

      const requested = await requestReport(client.apollo, roadmap.id);
      const states = await followJob(client.apollo, requested.job.id);
      assert.equal(states.at(-1)?.status, "SUCCEEDED", JSON.stringify(states));
      const progress = states.map((state) => state.progress);
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
      const ready = await report(client.apollo, requested.report.id);
      assert.equal(ready.status, "READY");
      assert.ok(ready.downloadUrl);
      const pdf = await fetch(ready.downloadUrl);
      assert.equal(pdf.status, 200);
      const bytes = Buffer.from(await pdf.arrayBuffer());
      assert.equal(bytes.subarray(0, 5).toString("latin1"), "%PDF-");
      assert.equal(bytes.length, ready.sizeBytes);

      // How the platform talked: the token went in the socket's connection_init, never in a cookie.
      assert.ok(platform.sockets.length >= 1);
      for (const { init } of platform.sockets.filter((entry) => entry.init !== null)) {
        assert.match(String(init?.["authorization"]), /^Bearer \S+$/);
      }
      assert.deepEqual(platform.setCookies, [], "the API sets no cookies: apps keep tokens themselves");
      if (isMobile(platform)) {
        assert.ok(platform.requests.every((request) => !request.headers.has("origin") && !request.headers.has("cookie")));
      } else {
        assert.ok(platform.requests.every((request) => request.headers.get("origin") === "http://localhost:3000"));
      }
    } finally {
      await client.stop();
    }
  });
}
});
