/**
 * `newsprint queue status` as an operator reads it (the text, not --json), from the CLI process,
 * against a real Redis whose queue holds pages waiting, paused, and a failed one; and the queue's
 * users over `rediss://` against a real Redis that listens on TLS only (Debian's redis-server has
 * TLS), trusting the test's throwaway CA through NODE_EXTRA_CA_CERTS as a user would trust theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { openQueue, openRedis, pageJobOptions } from '../../src/page-queue/connection.js';
import { PAGE_JOB_SCHEMA } from '../../src/page-queue/job.js';
import { startPageWorker } from '../../src/page-queue/worker.js';
import { FakeRecognizer } from '../support/fake-recognizer.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { startCli, waitFor, type Child } from '../support/run-helpers.js';

let plain: TestRedis;
let tls: TestRedis;

beforeAll(async () => {
  [plain, tls] = await Promise.all([startRedis(), startRedis({ tls: true })]);
}, 60_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), tls?.stop()]);
});

/** A page job with every field right but the input, which no worker here reads. */
const goodJob = (page: number): Record<string, unknown> => ({
  schema: PAGE_JOB_SCHEMA,
  documentId: 'daily-p1',
  source: { uri: 's3://incoming/daily-p1.pdf', sha256: 'a'.repeat(64), bytes: 100 },
  page,
  textSource: 'auto',
  engine: 'tesseract',
  fingerprint: 'b'.repeat(64),
  output: 's3://processed/',
  attempt: 1,
  deadline: null,
});

async function cliOutput(child: Child): Promise<string> {
  const result = await child.result;
  expect(result.code, result.stderr.slice(-2000)).toBe(0);
  return result.stdout;
}

describe('newsprint queue status (text)', () => {
  it('prints waiting (with the oldest page\'s age), active, delayed, failed, completed, workers, paused and the latest failure', async () => {
    const redis = openRedis(plain.url, silentLogger);
    const queue = openQueue(redis);
    try {
      // A malformed job, failed by a real worker (not a page job: a bug fault, not retried).
      await queue.add('page', { schema: 'something/else' }, { ...pageJobOptions(3, 100), jobId: 'malformed' });
      const worker = await startPageWorker({ queue: plain.url, workers: 1, logger: silentLogger, recognizer: new FakeRecognizer() });
      try {
        await waitFor('the malformed job to fail', async () => (await queue.getJobCounts('failed'))['failed'] === 1, 20_000);
      } finally {
        await worker.close();
      }
      await queue.pause();
      for (const page of [1, 2]) await queue.add('page', goodJob(page), { ...pageJobOptions(3, 100), jobId: `daily-p1.p${page}` });
      const text = await cliOutput(startCli(['queue', 'status', '--queue', plain.url]));
      const lines = text.trimEnd().split('\n');
      expect(lines[0]).toBe(`queue pages-tesseract on ${plain.url} (PAUSED)`);
      expect(lines[1]).toMatch(/^ {2}waiting {4}2 \(oldest \d+ s\)$/);
      expect(lines.slice(2, 6)).toEqual(['  active     0', '  delayed    0', '  failed     1', '  completed  0']);
      expect(lines[6]).toMatch(/^ {2}workers {4}\d+$/);
      expect(lines[7]).toBe('latest failures:');
      expect(lines[8]).toMatch(/^ {2}malformed: bug fault at config: not a newsprint\.page-job\/1 job: schema "something\/else"$/);
      expect(lines).toHaveLength(9);
      // --json says the same.
      const json = JSON.parse(await cliOutput(startCli(['queue', 'status', '--queue', plain.url, '--json']))) as Record<string, unknown>;
      expect(json).toMatchObject({ name: 'pages-tesseract', paused: true, waiting: 2, active: 0, failed: 1 });
    } finally {
      await queue.close();
      await redis.quit();
    }
  }, 60_000);
});

describe('rediss:// (Redis over TLS)', () => {
  it('a worker and `queue status` reach a TLS-only Redis through a rediss:// URL, trusting its CA', async () => {
    expect(tls.url).toMatch(/^rediss:\/\//);
    const trust = { NODE_EXTRA_CA_CERTS: tls.caFile as string };
    const worker = startCli(['worker', '--queue', tls.url, '--workers', '1'], trust);
    try {
      await waitFor('the worker to start over TLS', () => worker.stderr().includes('"worker started"'), 30_000);
      await waitFor('the worker to be connected', async () => /workers {4}[1-9]/.test(await cliOutput(startCli(['queue', 'status', '--queue', tls.url], trust))), 20_000);
      const text = await cliOutput(startCli(['queue', 'status', '--queue', tls.url], trust));
      expect(text.split('\n')[0]).toBe(`queue pages-tesseract on ${tls.url}`);
      expect(worker.stderr()).not.toMatch(/Redis unreachable/);
    } finally {
      worker.process.kill('SIGTERM');
      const result = await worker.result;
      expect(result.code, result.stderr.slice(-2000)).toBe(0);
    }
  }, 90_000);

  it('a client that does not trust the CA is refused by TLS: the URL really is spoken over TLS', async () => {
    // Without the CA the connection never gets ready; the CLI says why once and keeps waiting.
    const status = startCli(['queue', 'status', '--queue', tls.url]);
    try {
      await waitFor('the certificate refusal', () => /Redis unreachable[^\n]*(certificate|self[- ]signed)/i.test(status.stderr()), 20_000);
    } finally {
      status.process.kill('SIGKILL');
      await status.result;
    }
  }, 30_000);
});
