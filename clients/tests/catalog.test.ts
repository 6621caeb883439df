// The typed catalog calls against the running API: the generated types describe what the server really sends.
import assert from "node:assert/strict";
import { test } from "node:test";

import { cardTitle, health, processingRange, programDetail, searchPrograms } from "../src/catalog.js";
import { createMigratioClient } from "../src/client.js";
import { graphqlUrl } from "./support.js";

const client = () => createMigratioClient({ uri: graphqlUrl() }).apollo;

test("health reports every dependency of the API up", async () => {
  const report = await health(client());
  assert.equal(report.ok, true);
  assert.deepEqual(report.dependencies.map((dependency) => dependency.name).sort(),
    ["mongodb", "opensearch", "redis", "s3", "smtp"]);
});

test("a typo-tolerant search finds Express Entry first, with facets", async () => {
  const programs = await searchPrograms(client(), { search: "expres entri", first: 5 });
  const first = programs.edges[0]?.node;
  assert.ok(first, "no result");
  assert.match(first.slug, /^ca-express-entry/);
  assert.match(cardTitle(first), /Express Entry/);
  assert.ok(programs.totalCount >= 1);
  assert.ok(programs.facets.countries.some((facet) => facet.value === "CA"));
});

test("filters by country and category page through every match once", async () => {
  const seen: string[] = [];
  let after: string | null | undefined;
  let total = 0;
  do {
    const page = await searchPrograms(client(), {
      filter: { countries: ["AU"], categories: ["POINTS_BASED_SKILLED"] }, first: 2, after });
    total = page.totalCount;
    seen.push(...page.edges.map((edge) => edge.node.slug));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
  } while (after);
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total);
  assert.ok(seen.includes("au-skilled-independent-189"));
});

test("a program's page has its fees, documents, steps and sources", async () => {
  const program = await programDetail(client(), "ca-express-entry-fsw");
  assert.equal(program.country.code, "CA");
  assert.equal(program.pointsSystem, "FSW67");
  assert.ok(program.fees.length > 0 && program.documents.length > 0 && program.steps.length > 0);
  assert.ok(program.sources.every((source) => source.url.startsWith("https://")));
  const range = processingRange(program);
  assert.ok(range === null || range[0] <= range[1]);
});
