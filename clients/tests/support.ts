// What the client tests share: where the API runs (scripts/run-tests.mjs starts one), and accounts made the way a
// person makes them: register, read the real mail the local stack kept, verify, log in.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import type { TokensFragment } from "../src/__generated__/graphql.js";
import type { Session } from "../src/session.js";

export function apiUrl(): string {
  const url = process.env["MIGRATIO_API_URL"];
  if (!url) throw new Error("MIGRATIO_API_URL is not set: run the client tests with `npm test`");
  return url.replace(/\/$/, "");
}

/** How long past its expiry the API still accepts an access token (clock skew between servers). */
const CLOCK_SKEW_MS = 5_000;

/** Waits until the API refuses the session's current access token (it issues ones that live seconds). */
export async function untilExpired(session: Session): Promise<void> {
  await sleep(Math.max(0, (session.accessTokenExpiresAt?.getTime() ?? 0) - Date.now()) + CLOCK_SKEW_MS + 500);
}

export const graphqlUrl = (): string => `${apiUrl()}/graphql`;

/** From 198.18.0.0/15 (benchmarking): per-IP rate limits of one test never touch another. */
export function uniqueIp(): string {
  const byte = () => Math.floor(Math.random() * 254) + 1;
  return `198.${18 + Math.floor(Math.random() * 2)}.${byte()}.${byte()}`;
}

export function unique(tag: string): string {
  return `${tag}${Math.random().toString(16).slice(2, 12)}`;
}

interface GraphQLBody {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(graphqlUrl(), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody;
  if (body.errors?.length) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors)}`);
  return body.data ?? {};
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** The token in the verification link mailed to `email`, read from the local stack's mail sink. */
export async function verificationToken(email: string): Promise<string> {
  const stackDir = process.env["MIGRATIO_STACK_DIR"];
  if (!stackDir) throw new Error("MIGRATIO_STACK_DIR is not set: run the client tests with `npm test`");
  const mailDir = join(stackDir, "data", "mail");
  for (let attempt = 0; attempt < 200; attempt++) {
    for (const name of (await readdir(mailDir)).filter((file) => file.endsWith(".eml"))) {
      const raw = await readFile(join(mailDir, name), "utf8");
      if (!raw.includes(`X-Envelope-To: ${email}`) || !raw.includes("Subject: Confirm your email address")) continue;
      const token = /token=(\S+)/.exec(decodeQuotedPrintable(raw.split(/\r?\n\r?\n/).slice(1).join("\n\n")));
      if (token?.[1]) return decodeURIComponent(token[1]);
    }
    await sleep(50);
  }
  throw new Error(`no verification mail for ${email}`);
}

/** The local Twilio's test hooks (devstack/twilio_server.py); scripts/run-tests.mjs says where it runs. */
function twilioUrl(): string {
  const url = process.env["MIGRATIO_TWILIO_URL"];
  if (!url) throw new Error("MIGRATIO_TWILIO_URL is not set: run the client tests with `npm test`");
  return url.replace(/\/$/, "");
}

/** A valid US number (E.164) that no other test texts. */
export function uniquePhoneNumber(): string {
  return `+1415${Math.floor(2_000_000 + Math.random() * 7_999_999)}`;
}

/** The code in the `count`-th text the local Twilio accepted for `number` ("… code is 123456."). */
export async function textedCode(number: string, count = 1): Promise<string> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const response = await fetch(`${twilioUrl()}/_fake/messages?to=${encodeURIComponent(number)}`);
    const texts = (await response.json()) as Array<{ body: string }>;
    const code = /(\d{6})\.?$/.exec(texts[count - 1]?.body ?? "");
    if (code?.[1]) return code[1];
    await sleep(50);
  }
  throw new Error(`no text #${count} with a code to ${number}`);
}

export interface Account {
  email: string;
  accessToken: string;
  tokens: TokensFragment;
}

export async function signUp(): Promise<Account> {
  const email = `${unique("client-")}@example.com`;
  const password = "tangerine-lantern-42";
  const headers = { "x-forwarded-for": uniqueIp() };
  await post("mutation($input: RegisterInput!) { register(input: $input) { email } }",
    { input: { email, password, name: "Client Tester" } }, headers);
  await post("mutation($token: String!) { verifyEmail(token: $token) { email } }",
    { token: await verificationToken(email) }, headers);
  const data = await post(
    "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { ... on AuthTokens { " +
    "accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt } } }", { email, password }, headers);
  return { email, accessToken: data["login"].accessToken, tokens: data["login"] };
}
