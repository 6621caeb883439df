// A schema change that breaks the front ends must fail CI, in one of two places: codegen refuses an operation
// that asks for a field the schema lost, and tsc refuses code that relies on a type that changed. Each is shown on
// a copy of the kit (sources, operations, config) generated from an edited copy of the API's schema.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const clients = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const schema = readFileSync(join(clients, "..", "graphql_schema.graphql"), "utf8");
const copies: string[] = [];

after(() => copies.forEach((copy) => rmSync(copy, { recursive: true, force: true })));

/** The kit copied beside an edited schema; returns codegen's and then tsc's result. */
function buildWith(edit: (sdl: string) => string) {
  const copy = mkdtempSync(join(tmpdir(), "migratio-clients-"));
  copies.push(copy);
  for (const part of ["src", "operations", "package.json"]) {
    cpSync(join(clients, part), join(copy, part), { recursive: true });
  }
  rmSync(join(copy, "src", "__generated__"), { recursive: true, force: true });
  symlinkSync(join(clients, "node_modules"), join(copy, "node_modules"));
  const edited = edit(schema);
  assert.notEqual(edited, schema, "the edit changed nothing");
  writeFileSync(join(copy, "schema.graphql"), edited);
  const config = readFileSync(join(clients, "codegen.ts"), "utf8").replace('"../graphql_schema.graphql"', '"schema.graphql"');
  writeFileSync(join(copy, "codegen.ts"), config);
  writeFileSync(join(copy, "tsconfig.json"), JSON.stringify({
    ...JSON.parse(readFileSync(join(clients, "tsconfig.json"), "utf8")), include: ["src/**/*.ts"] }));
  const run = (tool: string, args: string[]) => {
    const result = spawnSync(join(copy, "node_modules", ".bin", tool), args, { cwd: copy, encoding: "utf8" });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const codegen = run("graphql-codegen", ["--config", "codegen.ts"]);
  return { codegen, tsc: codegen.status === 0 ? run("tsc", ["--noEmit"]) : null };
}

test("the unedited schema builds: the failures below are the edits' doing", () => {
  const { codegen, tsc } = buildWith((sdl) => `${sdl}\n# unchanged\n`);
  assert.equal(codegen.status, 0, codegen.output);
  assert.equal(tsc?.status, 0, tsc?.output);
});

test("removing a field the results screen asks for fails codegen", () => {
  const { codegen } = buildWith((sdl) => sdl.replace(/^\s+matchScore: Int!.*\n/gm, ""));
  assert.notEqual(codegen.status, 0);
  assert.match(codegen.output, /matchScore/);
});

test("changing a type the code computes with fails tsc", () => {
  const { codegen, tsc } = buildWith((sdl) => sdl.replace(
    /(type ProcessingTime \{[^}]*?minDays: )Int!/s, "$1String!"));
  assert.equal(codegen.status, 0, codegen.output);
  assert.notEqual(tsc?.status, 0);
  assert.match(tsc?.output ?? "", /src\/catalog\.ts.*string.*number|src\/catalog\.ts.*number.*string/s);
});
