// GraphiQL at /graphql in a real (headless) Chromium: it loads from this server alone, sends the Authorization
// header typed into its headers editor, and shows the signed-in person. The screenshot lands in test-artifacts/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium, type BrowserContext } from "playwright-core";

import { apiUrl, graphqlUrl, signUp } from "./support.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const artifacts = join(repo, "test-artifacts");
const profile = mkdtempSync(join(tmpdir(), "migratio-chromium-"));
let browser: BrowserContext;

before(async () => {
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1400, height: 900 },
  });
});

after(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});

test("GraphiQL runs `me` with the bearer token typed into its headers editor and shows the email", async () => {
  const page = await browser.newPage();
  const offSite: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(apiUrl()) && !request.url().startsWith("data:")) offSite.push(request.url());
  });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));

  await page.goto(graphqlUrl());
  const queryEditor = page.locator(".graphiql-query-editor .CodeMirror");
  await queryEditor.waitFor();
  await queryEditor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText("query Me { me { email } }");

  // Signed up only now: the API under test issues access tokens that live seconds.
  const account = await signUp();
  await page.getByRole("button", { name: "Headers" }).click();
  const headersEditor = page.locator(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror");
  await headersEditor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${account.accessToken}` }, null, 2));

  const sent = page.waitForRequest((request) => request.method() === "POST" && /query Me/.test(request.postData() ?? ""));
  await page.locator(".graphiql-execute-button").click();
  const request = await sent;
  assert.equal(request.headers()["authorization"], `Bearer ${account.accessToken}`);
  const response = await request.response();
  assert.equal(response?.status(), 200);
  assert.deepEqual((await response?.json()).data, { me: { email: account.email } });

  const result = page.locator(".graphiql-response");
  await result.getByText(account.email).waitFor();
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, "graphiql-me.png") });

  assert.deepEqual(offSite, [], "GraphiQL must load everything from the API itself");
  assert.deepEqual(pageErrors, []);
});
