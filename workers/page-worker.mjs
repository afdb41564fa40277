#!/usr/bin/env node
// The page worker's process entry point (systemd, Kubernetes): `newsprint worker` with the same
// options, e.g. `node workers/page-worker.mjs --queue redis://redis:6379/0 --workers 2`.
// The logic is src/page-queue/worker.ts; this file only starts it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('newsprint worker: not built yet; run `npm run build` (or `make setup`) first\n');
  process.exit(2);
}
const { main: run } = await import(main.href);
process.exitCode = await run(['worker', ...process.argv.slice(2)]);
