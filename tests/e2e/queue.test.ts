/**
 * Pages through the queue: a real Redis (AOF on), a real S3-protocol server, worker processes of the
 * CLI (`newsprint worker`, with the fast fake recogniser and a 2 s lock so a dead worker's page comes
 * back quickly) and submitters (`runIngest` with `queue`) in this process. Every queued output is
 * compared with an in-process run of the same inputs: the published contract (document.json,
 * articles, ALTO, METS) byte for byte; nothing legitimately differs (pipeline.parameters.workers is
 * the submitter's --workers, 2 in both).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import type { PipelineEvents } from '../../src/pipeline/events.js';
import { runIngest, type IngestReport } from '../../src/pipeline/ingest.js';
import { FakeRecognizer } from '../support/fake-recognizer.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { contractSnapshot, getJson, getText, listObjects, putObject, startCli, testRun, useTestCredentials, waitFor, type Child } from '../support/run-helpers.js';
import type { ErrorJson } from '../../src/output/types.js';
import { queueStatus, withQueue } from '../../src/page-queue/status.js';
import { makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { scanSet } from '../support/scans.js';

/** Short, so a killed worker's page comes back soon; long enough for a page's main-thread work under tsx. */
const LOCK_S = 10;
let redis: TestRedis;
let server: TestS3Server;
let client: S3Client;
let logs: string;
let reference: Map<string, string>;

const scans = scanSet(3, { prefix: 'scans/', maxPages: 3 });
const pageKeys = scans.flatMap((s) => Array.from({ length: s.pages }, (_, i) => `${s.key.slice('scans/'.length, -'.pdf'.length)}#${i + 1}`)).sort();

beforeAll(async () => {
  useTestCredentials();
  [redis, server] = await Promise.all([startRedis(), startS3Server(['incoming', 'processed'])]);
  client = makeTestS3Client(server.endpoint);
  logs = await mkdtemp(path.join(tmpdir(), 'newsprint-queue-logs-'));
  for (const s of scans) await putObject(client, 'incoming', s.key, s.bytes);
  // The in-process run every queued output must equal.
  const local = await ingest('local/');
  expect(local.ok).toBe(true);
  reference = await contractSnapshot(client, 'processed', 'local/');
  expect(reference.size).toBeGreaterThan(scans.length);
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await Promise.all([redis?.stop(), server?.stop(), logs ? rm(logs, { recursive: true, force: true }) : undefined]);
});

/** Documents published (documentDone) as the submitter tells its events. */
function publications(): { events: PipelineEvents; done: string[] } {
  const done: string[] = [];
  const noop = (): void => undefined;
  return { done, events: { documentStarted: noop, pageStarted: noop, pageDone: noop, pageFailed: noop, documentFailed: noop, documentDone: (id) => void done.push(id) } };
}

function ingest(prefix: string, options: { queue?: boolean; progress?: PipelineEvents } = {}): Promise<IngestReport> {
  return runIngest({
    inputs: ['s3://incoming/scans/'],
    out: `s3://processed/${prefix}`,
    workers: 2,
    s3Endpoint: server.endpoint,
    // Through the queue only its description counts: the pipeline fingerprint the workers must share.
    recognizer: new FakeRecognizer(),
    logger: silentLogger,
    ...(options.queue ? { queue: { url: redis.url, pollMs: 200, backoffMs: 200 } } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
}

interface TestWorker {
  readonly child: Child;
  /** Pages this worker started reading (`documentId#page`), in order. */
  pages(): Promise<string[]>;
}

async function startWorker(name: string, delayMs = 0, crash: readonly string[] = [], extraArgs: readonly string[] = []): Promise<TestWorker> {
  const log = path.join(logs, `${name}-${Date.now()}.log`);
  const child = startCli(['worker', '--queue', redis.url, '--workers', '1', '--lock-duration', String(LOCK_S), '--s3-endpoint', server.endpoint, ...extraArgs], {
    NEWSPRINT_TEST_RECOGNIZER_LOG: log,
    NEWSPRINT_TEST_RECOGNIZER_DELAY_MS: String(delayMs),
    NEWSPRINT_TEST_RECOGNIZER_CRASH: crash.join(','),
  });
  await waitFor(`worker ${name} to start`, () => child.stderr().includes('"worker started"'), 30_000);
  const pages = async (): Promise<string[]> => ((await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean));
  return { child, pages };
}

/** The worker's "page fetched" log records: what each page fetched from the input's store. */
function fetchLines(stderr: string): Array<{ bytes: number; requests: number; of: number; inParts: boolean }> {
  return stderr
    .split('\n')
    .filter((line) => line.includes('"page fetched"'))
    .map((line) => JSON.parse(line) as { bytes: number; requests: number; of: number; inParts: boolean });
}

async function stopGracefully(worker: TestWorker): Promise<void> {
  worker.child.process.kill('SIGTERM');
  const result = await worker.child.result;
  expect(result.code, result.stderr.slice(-2000)).toBe(0);
}

describe('pages through the queue (BullMQ on Redis) over S3', () => {
  it('2 worker processes and 1 submitter: outputs byte-identical to an in-process run, each page read once, no checkpoints left', async () => {
    // 1 KiB chunks: the test scans are a few KiB a page, so each page is fetched in many ranges.
    const workers = [await startWorker('a', 0, [], ['--range-chunk', '1']), await startWorker('b', 0, [], ['--range-chunk', '1'])];
    try {
      const published = publications();
      const report = await ingest('queued/', { queue: true, progress: published.events });
      expect(report.ok).toBe(true);
      expect(report.summary, JSON.stringify(report.documents)).toMatchObject({ documents: scans.length, pages: pageKeys.length });
      expect(await contractSnapshot(client, 'processed', 'queued/')).toEqual(reference);
      expect(published.done.sort()).toEqual(scans.map((s) => s.key.slice('scans/'.length, -'.pdf'.length)).sort());
      const read = [...(await workers[0]!.pages()), ...(await workers[1]!.pages())].sort();
      expect(read).toEqual(pageKeys);
      expect([...(await listObjects(client, 'processed', 'queued/_checkpoints/')).keys()]).toEqual([]);
      // Every page was fetched in parts (pages/partial-file.test.ts shows a page fetching its own part).
      const fetched = workers.flatMap((w) => fetchLines(w.child.stderr()));
      expect(fetched.length).toBe(pageKeys.length);
      expect(fetched.filter((f) => !f.inParts)).toEqual([]);
      expect(fetched.reduce((n, f) => n + f.requests, 0)).toBeGreaterThan(2 * pageKeys.length);
    } finally {
      // SIGTERM: a worker finishes what it has and exits 0.
      await Promise.all(workers.map(stopGracefully));
    }
  }, 120_000);

  it('a worker killed with -9 mid-page: its pages are read again by the other, each document published once, outputs identical', async () => {
    // Slow pages (each region 150 ms), so the kill lands inside one.
    const a = await startWorker('killed', 150);
    const b = await startWorker('survivor', 150);
    try {
      const published = publications();
      const run = ingest('killed/', { queue: true, progress: published.events });
      await waitFor('the first worker to be inside a page', async () => (await a.pages()).length > 0, 60_000, 20);
      a.child.process.kill('SIGKILL');
      const inFlight = await a.pages();
      const report = await run;
      expect(report.ok).toBe(true);
      expect((await a.child.result).signal).toBe('SIGKILL');
      const survivorRead = await b.pages();
      // Every page the killed worker was reading was read again, after its lock expired, by the other.
      for (const page of inFlight) expect(survivorRead).toContain(page);
      expect(published.done).toHaveLength(scans.length);
      expect(new Set(published.done).size).toBe(scans.length);
      expect(await contractSnapshot(client, 'processed', 'killed/')).toEqual(reference);
    } finally {
      a.child.process.kill('SIGKILL');
      await stopGracefully(b);
    }
  }, 120_000);

  it('Redis restarted mid-run (AOF on): the run completes with the same outputs', async () => {
    const workers = [await startWorker('r1', 100), await startWorker('r2', 100)];
    try {
      const run = ingest('restart/', { queue: true });
      await waitFor('a page to be read', async () => (await workers[0]!.pages()).length + (await workers[1]!.pages()).length > 0, 60_000, 20);
      await redis.restart({ downMs: 1500 });
      const report = await run;
      expect(report.ok).toBe(true);
      expect(await contractSnapshot(client, 'processed', 'restart/')).toEqual(reference);
    } finally {
      await Promise.all(workers.map(stopGracefully));
    }
  }, 120_000);

  it('two submitters of the same inputs at once: each page read once, each document published once', async () => {
    const workers = [await startWorker('t1'), await startWorker('t2')];
    try {
      const first = publications();
      const second = publications();
      const [r1, r2] = await Promise.all([ingest('twice/', { queue: true, progress: first.events }), ingest('twice/', { queue: true, progress: second.events })]);
      expect(r1.ok && r2.ok).toBe(true);
      expect(r1.summary.documents + r1.summary.documentsFailed).toBe(scans.length);
      expect(r2.summary.documents).toBe(scans.length);
      const all = [...first.done, ...second.done].sort();
      expect(all).toEqual(scans.map((s) => s.key.slice('scans/'.length, -'.pdf'.length)).sort());
      const read = [...(await workers[0]!.pages()), ...(await workers[1]!.pages())].sort();
      expect(read).toEqual(pageKeys);
      expect(await contractSnapshot(client, 'processed', 'twice/')).toEqual(reference);
    } finally {
      await Promise.all(workers.map(stopGracefully));
    }
  }, 120_000);

  it('the nightly run through the queue: a page that always crashes the engine fails its document after --max-attempts tries, the others are not held up', async () => {
    const poison = 'issue-03#2';
    const workers = [await startWorker('p1', 0, [poison]), await startWorker('p2', 0, [poison])];
    try {
      const report = await testRun({
        input: 's3://incoming/scans/',
        output: 's3://processed/nightly/',
        s3Endpoint: server.endpoint,
        maxAttempts: 2,
        queue: { url: redis.url, pollMs: 200, backoffMs: 200 },
      });
      expect(report.status).toBe('completed');
      expect(report.counts).toMatchObject({ done: 2, failed: 1 });
      const error = await getJson<ErrorJson>(client, 'processed', 'nightly/issue-03/error.json');
      expect(error).toMatchObject({ stage: 'recognise', fault: 'engine', attempts: 1 });
      expect(error.reason).toMatch(/OCR failed/);
      const read = [...(await workers[0]!.pages()), ...(await workers[1]!.pages())];
      expect(read).toContain(poison);
      for (const doc of ['issue-01', 'issue-02']) {
        expect(await getText(client, 'processed', `nightly/${doc}/document.json`)).toBe(await getText(client, 'processed', `local/${doc}/document.json`));
      }
      // In the queue: the poison page failed after its 2 tries, with its reason for `queue status`.
      const failed = (await queueStatus(redis.url, silentLogger)).recentFailures.find((f) => f.jobId.startsWith('issue-03.') && f.jobId.endsWith('.p2'));
      expect(failed?.reason).toMatch(/engine fault at recognise: OCR failed/);
      const job = await withQueue(redis.url, silentLogger, (q) => q.getJob(failed?.jobId ?? ''));
      expect(job?.attemptsMade).toBe(2);
    } finally {
      await Promise.all(workers.map(stopGracefully));
    }
  }, 120_000);
});
