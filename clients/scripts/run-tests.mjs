// Runs the compiled client tests (build/tests) against a live API: the one at MIGRATIO_API_URL (with the local stack
// at MIGRATIO_STACK_DIR and its Twilio at MIGRATIO_TWILIO_URL), or else one started here by `python -m
// tests.live_api` (its own database, index, bucket and Redis prefix) and stopped after.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const clients = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(clients, "..");
const env = { ...process.env, MIGRATIO_STACK_DIR: process.env.MIGRATIO_STACK_DIR ?? join(repo, ".stack") };

let server;
if (!env.MIGRATIO_API_URL) {
  server = spawn(join(repo, ".venv", "bin", "python"), ["-m", "tests.live_api"], {
    cwd: repo,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGINT", stop).on("SIGTERM", stop);
  const started = new Promise((resolveLine, reject) => {
    createInterface({ input: server.stdout }).once("line", resolveLine);
    server.once("exit", (code) => reject(new Error(`the API exited (${code}) before it served`)));
    setTimeout(() => reject(new Error("the API did not start within 180 s")), 180_000).unref();
  });
  const { url, stackDir, twilioUrl } = JSON.parse(await started);
  Object.assign(env, { MIGRATIO_API_URL: url, MIGRATIO_STACK_DIR: stackDir, MIGRATIO_TWILIO_URL: twilioUrl });
  console.log(`# API under test: ${url}`);
}

const tests = spawn(process.execPath, ["--test", "--test-concurrency=4", "build/tests/"], {
  cwd: clients,
  env,
  stdio: "inherit",
});
const [code] = await once(tests, "exit");

if (server) {
  server.stdin.end(); // tests.live_api stops serving and cleans up when its input closes
  const timer = setTimeout(() => server.kill("SIGTERM"), 30_000);
  await once(server, "exit");
  clearTimeout(timer);
}
process.exit(code ?? 1);
