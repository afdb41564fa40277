#!/usr/bin/env node
// The page worker's process entry point (systemd, Kubernetes): `newsprint worker` with the same
// options, e.g. `node workers/page-worker.mjs --queue redis://redis:6379/0 --workers 2`.
// The logic is src/page-queue/worker.ts; this file only names the command.
process.argv.splice(2, 0, 'worker');
await import('../bin/newsprint.mjs');
