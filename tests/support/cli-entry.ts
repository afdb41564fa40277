/**
 * The newsprint CLI for tests run as a child process (`node --import tsx tests/support/cli-entry.ts
 * run …`). With NEWSPRINT_TEST_RECOGNIZER=fake, `run`, `schedule` and `worker` use the fast fake recogniser
 * (tests/support/fake-recognizer.ts) instead of tesseract; NEWSPRINT_TEST_RECOGNIZER_DELAY_MS slows
 * each region down, and NEWSPRINT_TEST_RECOGNIZER_LOG names a file that gets one line per page
 * recognised (`documentId#page`), and NEWSPRINT_TEST_RECOGNIZER_CRASH (pageKeys, comma-separated) makes
 * those pages crash the engine every time. The product CLI (src/cli/main.ts, bin/newsprint.mjs) never reads
 * these variables.
 */
import { appendFileSync } from 'node:fs';
import { COMMANDS, main } from '../../src/cli/main.js';
import { createRunCommand } from '../../src/cli/run.js';
import { createScheduleCommand } from '../../src/cli/schedule.js';
import { createWorkerCommand } from '../../src/cli/worker.js';
import { FakeRecognizer } from './fake-recognizer.js';

const env = process.env;
let commands = COMMANDS;
if (env['NEWSPRINT_TEST_RECOGNIZER'] === 'fake') {
  const delayMs = Number(env['NEWSPRINT_TEST_RECOGNIZER_DELAY_MS'] ?? '0');
  const logFile = env['NEWSPRINT_TEST_RECOGNIZER_LOG'];
  const crashing = new Set((env['NEWSPRINT_TEST_RECOGNIZER_CRASH'] ?? '').split(',').filter(Boolean));
  const makeRecognizer = () => {
    const seen = new Set<string>();
    return new FakeRecognizer({
      delayMs,
      crash: (pageKey) => crashing.has(pageKey),
      onRecognize: (pageKey) => {
        if (logFile && !seen.has(pageKey)) {
          seen.add(pageKey);
          appendFileSync(logFile, `${pageKey}\n`);
        }
      },
    });
  };
  const deps = { makeRecognizer };
  const replaced: Record<string, () => (typeof COMMANDS)[number]> = {
    run: () => createRunCommand(deps),
    schedule: () => createScheduleCommand(deps),
    worker: () => createWorkerCommand(deps),
  };
  commands = COMMANDS.map((c) => replaced[c.name]?.() ?? c);
}
process.exitCode = await main(process.argv.slice(2), commands);
