/**
 * The nightly run against a real S3-protocol server (s3rver), in process, with the fast fake
 * recogniser: idempotence, new and changed scans, retries and giving up, the per-page timeout,
 * recovery of a document published by a run that stopped before recording it, no access.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriticalError } from '../../src/errors.js';
import type { DocumentJson, ErrorJson } from '../../src/output/types.js';
import { validateArticle, validateDocument, validateError } from '../../src/output/validate.js';
import type { RunReport } from '../../src/pipeline/run-report.js';
import type { RunOptions } from '../../src/pipeline/run.js';
import { FakeRecognizer } from '../support/fake-recognizer.js';
import { deleteObject, getJson, getText, listObjects, putObject, snapshot, testRun, useTestCredentials } from '../support/run-helpers.js';
import { makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { scanPdf, scanSet } from '../support/scans.js';

let server: TestS3Server;
let client: S3Client;

beforeAll(async () => {
  useTestCredentials();
  server = await startS3Server(['incoming', 'processed', 'other']);
  client = makeTestS3Client(server.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

function run(input: string, output: string, recognizer: FakeRecognizer, extra: Partial<RunOptions> = {}): Promise<RunReport> {
  return testRun({ input, output, s3Endpoint: server.endpoint, recognizer, ...extra });
}

describe('newsprint run on S3', () => {
  const scans = scanSet(5, { prefix: 'scans/', maxPages: 3 });
  const totalPages = scans.reduce((s, d) => s + d.pages, 0);

  it('processes every scan once; a second run right after processes nothing and writes only its report', async () => {
    for (const s of scans) await putObject(client, 'incoming', s.key, s.bytes);
    const inputBefore = await listObjects(client, 'incoming', '');

    const fake1 = new FakeRecognizer();
    // Two keys per listing request: the listing pages through continuation tokens.
    const first = await run('s3://incoming/scans/', 's3://processed/nightly/', fake1, { listPageSize: 2 });
    expect(first.status).toBe('completed');
    expect(first.counts).toMatchObject({ listed: 5, done: 5, failed: 0, upToDate: 0, pagesProcessed: totalPages, pagesResumed: 0 });
    expect(first.documents.map((d) => d.action)).toEqual(Array(5).fill('new'));
    expect(fake1.closed).toBe(false); // a recogniser handed in stays the caller's

    // Outputs: schema-valid, document.json records the input's bytes and ETag, no checkpoints left.
    for (const s of scans) {
      const id = s.key.slice('scans/'.length, -'.pdf'.length);
      const doc = await getJson<DocumentJson>(client, 'processed', `nightly/${id}/document.json`);
      expect(validateDocument(doc).errors).toEqual([]);
      expect(doc.pages).toHaveLength(s.pages);
      expect(doc.source).toMatchObject({ uri: `s3://incoming/${s.key}`, bytes: s.bytes.length, etag: inputBefore.get(s.key)?.replace(/"/g, '') });
      const article = await getJson<unknown>(client, 'processed', `nightly/${id}/articles/${doc.articles[0]!.id}.json`);
      expect(validateArticle(article).errors).toEqual([]);
    }
    expect([...(await listObjects(client, 'processed', 'nightly/_checkpoints/')).keys()]).toEqual([]);
    const report = await getJson<RunReport>(client, 'processed', `nightly/_runs/${first.runId}.json`);
    expect(report.counts).toEqual(first.counts);
    expect(report.documents[0]).toMatchObject({ status: 'done', attempt: 1 });
    expect(report.documents[0]!.ms).toBeGreaterThan(0);

    const before = await snapshot(client, 'processed', 'nightly/', (k) => !k.startsWith('_lease/'));
    const fake2 = new FakeRecognizer();
    const second = await run('s3://incoming/scans/', 's3://processed/nightly/', fake2);
    expect(second.counts).toMatchObject({ listed: 5, upToDate: 5, processed: 0, done: 0, pagesProcessed: 0 });
    expect(second.documents).toEqual([]);
    expect(fake2.calls).toBe(0);
    const after = await snapshot(client, 'processed', 'nightly/', (k) => !k.startsWith('_lease/'));
    const added = [...after.keys()].filter((k) => !before.has(k));
    const changed = [...before.keys()].filter((k) => after.get(k) !== before.get(k));
    expect(added).toEqual([`_runs/${second.runId}.json`]);
    expect(changed).toEqual([]);
    // Inputs are never touched.
    expect(await listObjects(client, 'incoming', '')).toEqual(inputBefore);
  });

  it('picks up new scans dropped between runs and reprocesses a changed scan (same key, new bytes)', async () => {
    const before = await snapshot(client, 'processed', 'nightly/', (k) => !k.startsWith('_'));
    const fresh = [
      { key: 'scans/late-1.pdf', bytes: scanPdf(901, 2) },
      { key: 'scans/2023/12/late 2 晚报.pdf', bytes: scanPdf(902, 1) },
    ];
    for (const s of fresh) await putObject(client, 'incoming', s.key, s.bytes);
    const changedScan = scans[1]!;
    const newBytes = scanPdf(777, 2);
    await putObject(client, 'incoming', changedScan.key, newBytes);

    const fake = new FakeRecognizer();
    const report = await run('s3://incoming/scans/', 's3://processed/nightly/', fake);
    expect(report.counts).toMatchObject({ listed: 7, upToDate: 4, done: 3, failed: 0, pagesProcessed: 5 });
    const actions = Object.fromEntries(report.documents.map((d) => [d.key, d.action]));
    expect(actions).toEqual({ 'late-1.pdf': 'new', '2023/12/late 2 晚报.pdf': 'new', [changedScan.key.slice(6)]: 'changed' });

    const changedId = changedScan.key.slice('scans/'.length, -'.pdf'.length);
    const doc = await getJson<DocumentJson>(client, 'processed', `nightly/${changedId}/document.json`);
    expect(doc.source.bytes).toBe(newBytes.length);
    expect(doc.pages).toHaveLength(2);
    // The id of a key with spaces and Chinese is readable plus a hash, and its document is there.
    const oddId = report.documents.find((d) => d.key.startsWith('2023/'))!.documentId;
    expect(oddId).toMatch(/^2023__12__late-2-[0-9a-f]{8}$/);
    expect(await getText(client, 'processed', `nightly/${oddId}/document.json`)).not.toBeNull();
    // The other documents were not rewritten.
    const after = await snapshot(client, 'processed', 'nightly/', (k) => !k.startsWith('_'));
    for (const [key, hash] of before) if (!key.startsWith(`${changedId}/`)) expect(after.get(key), key).toBe(hash);
    // Stale article files of the old version are gone.
    expect([...after.keys()].filter((k) => k.startsWith(`${changedId}/articles/`))).toHaveLength(doc.articles.length);
  });

  it('retries a document that crashes the engine on later runs up to --max-attempts, then leaves it alone and lists it as given up', async () => {
    await putObject(client, 'incoming', 'retry/good.pdf', scanPdf(5, 1));
    await putObject(client, 'incoming', 'retry/broken.pdf', scanPdf(7, 1));
    const crashing = (): FakeRecognizer => new FakeRecognizer({ crash: (pageKey) => pageKey.startsWith('broken#') });
    const reports: RunReport[] = [];
    for (let i = 0; i < 4; i++) reports.push(await run('s3://incoming/retry/', 's3://processed/retry/', crashing(), { maxAttempts: 3 }));
    const [r1, r2, r3, r4] = reports as [RunReport, RunReport, RunReport, RunReport];
    expect(r1.failures).toEqual([expect.objectContaining({ documentId: 'broken', fault: 'engine', attempts: 1, givenUp: false, transient: false })]);
    expect(r2.failures).toEqual([expect.objectContaining({ documentId: 'broken', attempts: 2, givenUp: false })]);
    expect(r3.failures).toEqual([expect.objectContaining({ documentId: 'broken', attempts: 3, givenUp: true })]);
    expect(r3.givenUp).toEqual([expect.objectContaining({ documentId: 'broken', attempts: 3, now: true })]);
    // Fourth night: not tried, but still listed as given up with its reason.
    expect(r4.documents).toEqual([]);
    expect(r4.failures).toEqual([]);
    expect(r4.givenUp).toEqual([expect.objectContaining({ documentId: 'broken', attempts: 3, now: false, stage: 'recognise' })]);
    expect(r4.givenUp[0]!.reason).toMatch(/^OCR failed: /);
    const error = await getJson<ErrorJson>(client, 'processed', 'retry/broken/error.json');
    expect(validateError(error).errors).toEqual([]);
    expect(error).toMatchObject({ attempts: 3, stage: 'recognise', fault: 'engine' });
    expect(r1.counts.done + r2.counts.done + r3.counts.done + r4.counts.done).toBe(1);

    // --retry gives it one more try; failing again, it is given up again.
    const r5 = await run('s3://incoming/retry/', 's3://processed/retry/', crashing(), { maxAttempts: 3, retry: ['broken'] });
    expect(r5.documents).toEqual([expect.objectContaining({ documentId: 'broken', action: 'forced', status: 'failed', attempt: 4 })]);
    // Fixed bytes under the same key: processed (a change resets the count).
    await putObject(client, 'incoming', 'retry/broken.pdf', scanPdf(6, 1));
    const r6 = await run('s3://incoming/retry/', 's3://processed/retry/', new FakeRecognizer(), { maxAttempts: 3 });
    expect(r6.documents).toEqual([expect.objectContaining({ documentId: 'broken', action: 'changed', status: 'done' })]);
    expect(r6.givenUp).toEqual([]);
    expect(await getText(client, 'processed', 'retry/broken/error.json')).toBeNull();
  });

  it('fails a document whose page takes longer than --page-timeout, and goes on with the others', { timeout: 60_000 }, async () => {
    await putObject(client, 'incoming', 'slow/ok.pdf', scanPdf(11, 2));
    await putObject(client, 'incoming', 'slow/stuck.pdf', scanPdf(12, 3));
    const fake = new FakeRecognizer({ hang: (pageKey) => pageKey === 'stuck#2' });
    const started = Date.now();
    // Generous for a page that takes ~0.3 s: CI shares two cores between test files.
    const report = await run('s3://incoming/slow/', 's3://processed/slow/', fake, { pageTimeoutMs: 6000 });
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(report.status).toBe('completed');
    expect(report.counts).toMatchObject({ done: 1, failed: 1 });
    const failure = report.failures[0]!;
    expect(failure).toMatchObject({ documentId: 'stuck', stage: 'recognise', attempts: 1 });
    expect(failure.reason).toMatch(/page 2 took longer than 6 s \(stopped in recognise\)/);
    expect((await getJson<ErrorJson>(client, 'processed', 'slow/stuck/error.json')).reason).toMatch(/took longer/);
    // Pages 1 and 3 finished and are kept for the retry; page 2 is not.
    const checkpoints = [...(await listObjects(client, 'processed', 'slow/_checkpoints/stuck/')).keys()].map((k) => k.replace(/.*\//, ''));
    expect(checkpoints.sort()).toEqual(['page-1.json', 'page-3.json']);
    // The retry resumes them and recognises only page 2.
    const again = new FakeRecognizer();
    const retry = await run('s3://incoming/slow/', 's3://processed/slow/', again, { pageTimeoutMs: 6000 });
    expect(retry.documents).toEqual([expect.objectContaining({ documentId: 'stuck', action: 'retry', status: 'done', pagesResumed: 2, pagesProcessed: 1, attempt: 2 })]);
    expect([...again.pageKeys]).toEqual(['stuck#2']);
    expect([...(await listObjects(client, 'processed', 'slow/_checkpoints/')).keys()]).toEqual([]);
  });

  it('records a document published by a run that stopped before recording it, without processing it again', async () => {
    await putObject(client, 'incoming', 'recover/a.pdf', scanPdf(21, 2));
    await putObject(client, 'incoming', 'recover/b.pdf', scanPdf(22, 1));
    await run('s3://incoming/recover/', 's3://processed/recover/', new FakeRecognizer());
    // As if the run had died right after writing a's document.json: no state, a stale error.json.
    await deleteObject(client, 'processed', 'recover/_state/a.json');
    await putObject(client, 'processed', 'recover/a/error.json', '{}');
    const fake = new FakeRecognizer();
    const report = await run('s3://incoming/recover/', 's3://processed/recover/', fake);
    expect(report.documents).toEqual([expect.objectContaining({ documentId: 'a', status: 'done', recovered: true })]);
    expect(fake.calls).toBe(0);
    expect(await getText(client, 'processed', 'recover/a/error.json')).toBeNull();
    // A deleted output is noticed and made again.
    await deleteObject(client, 'processed', 'recover/b/document.json');
    const again = await run('s3://incoming/recover/', 's3://processed/recover/', new FakeRecognizer());
    expect(again.documents).toEqual([expect.objectContaining({ documentId: 'b', action: 'output-missing', status: 'done' })]);
  });

  it('cannot start without access to the output; reports an input it cannot list as aborted', async () => {
    await expect(run('s3://incoming/scans/', 's3://no-such-bucket/out/', new FakeRecognizer())).rejects.toBeInstanceOf(CriticalError);
    const report = await run('s3://no-such-bucket/in/', 's3://other/out/', new FakeRecognizer());
    expect(report.status).toBe('aborted');
    expect(report.stopReason).toMatch(/NoSuchBucket/);
    expect(await getText(client, 'other', `out/_runs/${report.runId}.json`)).not.toBeNull();
  });
});
