// Writes the API's allowlist (GRAPHQL_ALLOWLIST_FILE): every operation in operations/, as the apps send it.
// Apollo Client sends print() of the document after its cache's transform (which adds __typename), and
// PersistedQueryLink hashes that same text, so both are computed here by Apollo itself from the generated
// documents (run `npm run codegen` first; `npm run allowlist` does both).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InMemoryCache } from "@apollo/client";
import { print } from "graphql";

const clients = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const generated = readFileSync(resolve(clients, "src/__generated__/graphql.ts"), "utf8");
const cache = new InMemoryCache();
const entries = [];
for (const [, name, json] of generated.matchAll(/^export const (\w+)Document = (\{.*\}) as unknown as DocumentNode/gm)) {
  const document = print(cache.transformDocument(JSON.parse(json)));
  entries.push({ name, sha256: createHash("sha256").update(document).digest("hex"), document });
}
if (entries.length === 0) throw new Error("no documents in src/__generated__/graphql.ts: run `npm run codegen`");
const out = resolve(clients, process.argv[2] ?? "allowlist.json");
writeFileSync(out, JSON.stringify(entries, null, 2) + "\n");
console.log(`${entries.length} operations -> ${out}`);
