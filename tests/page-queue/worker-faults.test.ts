/**
 * What a queue worker does with a page whose store it cannot reach (FAULT_POLICY in src/errors.ts:
 * an infrastructure fault never counts as an attempt): the job goes back to the queue for later
 * (delayed) without using one of its attempts, again and again while the store stays away, and is
 * read once a worker can reach the store. The unreachable store is real: an S3 endpoint on a port
 * nothing listens on (connection refused, retried by the driver, then given up).
 * And what it does with an input that changed since it was queued: an input fault, failed at once.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { decodePageFailure } from '../../src/page-queue/failure.js';
import { openQueue, openRedis, pageJobOptions } from '../../src/page-queue/connection.js';
import { PAGE_JOB_SCHEMA, type QueuedPageJob } from '../../src/page-queue/job.js';
import { startPageWorker, type PageWorker } from '../../src/page-queue/worker.js';
import { pipelineInfo } from '../../src/pipeline/fingerprint.js';
import { FakeRecognizer } from '../support/fake-recognizer.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { putObject, useTestCredentials, waitFor } from '../support/run-helpers.js';
import { makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { scanPdf } from '../support/scans.js';

let redis: TestRedis;
let server: TestS3Server;
let client: S3Client;
let connection: Redis;
let queue: Queue;
let out: string;
const scan = scanPdf(11, 2);

/** An endpoint on a port that was free a moment ago and that nothing listens on. */
async function closedEndpoint(): Promise<string> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  useTestCredentials();
  [redis, server] = await Promise.all([startRedis(), startS3Server(['incoming'])]);
  client = makeTestS3Client(server.endpoint);
  connection = openRedis(redis.url, silentLogger);
  queue = openQueue(connection);
  out = await mkdtemp(path.join(tmpdir(), 'newsprint-worker-faults-'));
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await queue?.close();
  await connection?.quit();
  await Promise.all([redis?.stop(), server?.stop(), out ? rm(out, { recursive: true, force: true }) : undefined]);
});

/** The job of page `page` of `key` in the incoming bucket, as a submitter would queue it. */
async function jobOf(key: string, page: number): Promise<QueuedPageJob> {
  const head = await client.send(new HeadObjectCommand({ Bucket: 'incoming', Key: key }));
  return {
    schema: PAGE_JOB_SCHEMA,
    documentId: key.replace(/\.pdf$/u, '').replace(/\//gu, '__'),
    source: { uri: `s3://incoming/${key}`, sha256: createHash('sha256').update(scan).digest('hex'), etag: (head.ETag ?? '').replace(/"/gu, ''), bytes: scan.length },
    page,
    textSource: 'auto',
    engine: 'tesseract',
    fingerprint: pipelineInfo(new FakeRecognizer().engine, 1, 'auto').fingerprint,
    output: out,
    attempt: 1,
    deadline: null,
  };
}

function worker(s3Endpoint: string): Promise<PageWorker> {
  return startPageWorker({ queue: redis.url, workers: 1, logger: silentLogger, recognizer: new FakeRecognizer(), s3Endpoint, lockDurationMs: 10_000 });
}

describe('queue worker faults', () => {
  it('an unreachable store puts the page back for later without using an attempt; a worker that reaches the store reads it', async () => {
    await putObject(client, 'incoming', 'far/daily.pdf', scan);
    const job = await queue.add('page', await jobOf('far/daily.pdf', 2), { ...pageJobOptions(2, 100), jobId: 'far-daily-p2' });
    const cut = await worker(await closedEndpoint());
    try {
      // Two rounds: each put back (delayed), none counted, although the job allows only 2 attempts.
      await waitFor('the page to be put back twice', async () => {
        const now = await queue.getJob(job.id as string);
        return (now?.attemptsStarted ?? 0) >= 2 && (await now?.getState()) === 'delayed';
      }, 60_000, 50);
      const now = await queue.getJob(job.id as string);
      expect(now?.attemptsMade).toBe(0);
      expect(await now?.getState()).toBe('delayed');
      expect((await queue.getJobCounts('failed'))['failed']).toBe(0);
    } finally {
      await cut.close();
    }
    const reaching = await worker(server.endpoint);
    try {
      await waitFor('the page to be read', async () => (await (await queue.getJob(job.id as string))?.getState()) === 'completed', 30_000);
      const done = await queue.getJob(job.id as string);
      expect(done?.attemptsMade).toBe(1);
      expect(done?.returnvalue).toMatchObject({ resumed: false, fetched: { inParts: true } });
      expect(reaching.pagesDone()).toBe(1);
    } finally {
      await reaching.close();
    }
  }, 120_000);

  it('an input changed since its page was queued (another etag) fails the page at once as an input fault', async () => {
    await putObject(client, 'incoming', 'changed/daily.pdf', scan);
    const queued = await jobOf('changed/daily.pdf', 1);
    await putObject(client, 'incoming', 'changed/daily.pdf', scanPdf(12, 2));
    const job = await queue.add('page', queued, { ...pageJobOptions(3, 100), jobId: 'changed-daily-p1' });
    const w = await worker(server.endpoint);
    try {
      await waitFor('the page to fail', async () => (await (await queue.getJob(job.id as string))?.getState()) === 'failed', 30_000);
      const failed = await queue.getJob(job.id as string);
      expect(failed?.attemptsMade).toBe(1);
      const typed = decodePageFailure(failed?.failedReason, 1);
      expect(typed.fault).toBe('input');
      expect(typed.message).toMatch(/not the version asked for/);
    } finally {
      await w.close();
    }
  }, 60_000);
});
