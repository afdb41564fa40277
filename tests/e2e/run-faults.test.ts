/**
 * Transient S3 trouble: a fault-injecting proxy between the run and s3rver drops connections
 * (before and after the server acted), answers 500 and 503, answers slowly, or not at all, on every
 * 4th request (bounded). The run must complete with exactly the outputs of an undisturbed run.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../src/logger.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import type { RunReport } from '../../src/pipeline/run-report.js';
import { contractSnapshot, getText, listObjects, putObject, testRun, useTestCredentials } from '../support/run-helpers.js';
import { makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { scanSet } from '../support/scans.js';

let server: TestS3Server;
let proxy: FaultProxy;
let client: S3Client;

interface Line {
  readonly level: string;
  readonly msg: string;
  readonly fields: LogFields;
}

function collectingLogger(lines: Line[], base: LogFields = {}): Logger {
  const emit = (level: string) => (msg: string, fields: LogFields = {}) => void lines.push({ level, msg, fields: { ...base, ...fields } });
  return { debug: () => {}, info: emit('info'), warn: emit('warn'), error: emit('error'), child: (f) => collectingLogger(lines, { ...base, ...f }) };
}

beforeAll(async () => {
  useTestCredentials();
  server = await startS3Server(['incoming', 'processed']);
  client = makeTestS3Client(server.endpoint);
  proxy = await startFaultProxy({ target: server.endpoint, every: 4, maxFaults: 60, slowMs: 300, stallMs: 5000 });
});

afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await server?.stop();
});

describe('newsprint run through a faulty network', () => {
  it('does not count a store that keeps failing as an attempt: the document waits for a healthy night', async () => {
    const docs = scanSet(2, { prefix: 'store/', maxPages: 1, seed: 9 });
    for (const d of docs) await putObject(client, 'incoming', d.key, d.bytes);
    const [flaky, healthy] = docs.map((d) => d.key.replace(/^store\//, '').replace(/\.pdf$/, '')) as [string, string];
    const outage = await startFaultProxy({
      target: server.endpoint,
      every: 1,
      maxFaults: 1_000,
      kinds: ['http503'],
      match: ({ method, url }) => method === 'PUT' && url.includes(`/store-out/${flaky}/document.json`),
    });
    try {
      const nights: RunReport[] = [];
      for (let night = 0; night < 3; night++) {
        nights.push(await testRun({ input: 's3://incoming/store/', output: 's3://processed/store-out/', s3Endpoint: outage.endpoint, maxAttempts: 2 }));
      }
      for (const report of nights) {
        expect(report.failures).toEqual([expect.objectContaining({ documentId: flaky, fault: 'infrastructure', transient: true, attempts: 0, givenUp: false })]);
        expect(report.givenUp).toEqual([]);
      }
      expect(nights[0]!.documents.find((d) => d.documentId === healthy)).toMatchObject({ status: 'done' });
      expect(outage.stats.injected).toBeGreaterThan(3);
      expect(await getText(client, 'processed', `store-out/${flaky}/error.json`)).toBeNull();
      expect(await getText(client, 'processed', `store-out/_state/${flaky}.json`)).toBeNull();

      outage.setEnabled(false);
      const healed = await testRun({ input: 's3://incoming/store/', output: 's3://processed/store-out/', s3Endpoint: outage.endpoint, maxAttempts: 2 });
      expect(healed.documents).toEqual([expect.objectContaining({ documentId: flaky, status: 'done', attempt: 1 })]);
    } finally {
      await outage.stop();
    }
  }, 120_000);

  it('retries every injected fault and produces the same outputs as an undisturbed run', async () => {
    const scans = scanSet(12, { prefix: 'scans/', maxPages: 3, seed: 3 });
    const pages = scans.reduce((n, s) => n + s.pages, 0);
    for (const s of scans) await putObject(client, 'incoming', s.key, s.bytes);
    const input = 's3://incoming/scans/';

    proxy.setEnabled(false);
    const clean = await testRun({ input, output: 's3://processed/clean/', s3Endpoint: server.endpoint });
    expect(clean.counts).toMatchObject({ done: 12, pagesProcessed: pages });

    proxy.setEnabled(true);
    const requestsBefore = proxy.stats.requests;
    const lines: Line[] = [];
    const faulty = await testRun({ input, output: 's3://processed/faulty/', s3Endpoint: proxy.endpoint, s3TimeoutMs: 2000, logger: collectingLogger(lines) });
    const { byKind, injected } = proxy.stats;
    const retries = lines.filter((l) => l.msg === 's3 storage: retrying');
    // What happened, for the record (vitest prints it with --reporter=verbose).
    console.info(`${scans.length} documents, ${pages} pages; fault proxy: ${proxy.stats.requests - requestsBefore} requests, ${injected} faults ${JSON.stringify(byKind)}, ${retries.length} retries`);

    expect(faulty.status).toBe('completed');
    expect(faulty.counts).toMatchObject({ done: 12, failed: 0, pagesProcessed: pages });
    expect(faulty.failures).toEqual([]);
    for (const kind of ['reset', 'reset-after', 'http500', 'http503', 'slow', 'stall'] as const) expect(byKind[kind], kind).toBeGreaterThan(0);
    // Every fault but a slow answer failed one attempt, and every such attempt was retried once. A
    // slow answer (300 ms against a 2 s timeout) times out only on a machine busy enough to stall
    // the process for seconds; then it too is retried once, never more.
    expect(retries.length).toBeGreaterThanOrEqual(injected - byKind.slow);
    expect(retries.length).toBeLessThanOrEqual(injected);
    expect(new Set(retries.map((r) => r.fields['op'])).size).toBeGreaterThan(1); // reads and writes alike

    expect(await contractSnapshot(client, 'processed', 'faulty/')).toEqual(await contractSnapshot(client, 'processed', 'clean/'));
    expect([...(await listObjects(client, 'processed', 'faulty/_checkpoints/')).keys()]).toEqual([]);

    // And the next night, still through the faults, has nothing to do.
    const again = await testRun({ input, output: 's3://processed/faulty/', s3Endpoint: proxy.endpoint, s3TimeoutMs: 2000 });
    expect(again.counts).toMatchObject({ upToDate: 12, processed: 0 });
  }, 120_000);
});
