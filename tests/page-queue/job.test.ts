/**
 * The queued page job: its schema survives a trip through JSON (as it does through Redis), malformed
 * jobs are refused, and identical jobs are one job in a real Redis (the id is the dedup key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, errorOfFault, InputError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { openQueue, openRedis, pageJobOptions, parseQueueUrl } from '../../src/page-queue/connection.js';
import { decodePageFailure, encodePageFailure } from '../../src/page-queue/failure.js';
import { PAGE_JOB_SCHEMA, pageJobId, parsePageJob, type QueuedPageJob } from '../../src/page-queue/job.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const job: QueuedPageJob = {
  schema: PAGE_JOB_SCHEMA,
  documentId: '2023__12__daily-p1',
  source: { uri: 's3://incoming/2023/12/daily-p1.pdf', sha256: 'a'.repeat(64), etag: '9b2cf535f27731c974343645a3985328', bytes: 123456 },
  page: 3,
  textSource: 'auto',
  engine: 'tesseract',
  fingerprint: 'b'.repeat(64),
  output: 's3://processed/nightly/',
  attempt: 1,
  pageTimeoutMs: 600_000,
  deadline: null,
};

describe('page job schema', () => {
  it('survives a round trip through JSON unchanged', () => {
    expect(parsePageJob(JSON.parse(JSON.stringify(job)))).toEqual(job);
  });

  it('fills the defaults of optional fields (engine tesseract) and drops unknown ones', () => {
    const { engine: _e, attempt: _a, pageTimeoutMs: _p, deadline: _d, ...minimal } = job;
    const parsed = parsePageJob({ ...minimal, extra: 'ignored' });
    expect(parsed).toEqual({ ...minimal, engine: 'tesseract', attempt: 1, deadline: null });
    expect(parsed).not.toHaveProperty('extra');
  });

  it('refuses another schema version and malformed fields, naming the field', () => {
    expect(() => parsePageJob({ ...job, schema: 'newsprint.page-job/2' })).toThrow(/schema/);
    expect(() => parsePageJob({ ...job, documentId: '../etc' })).toThrow(/documentId/);
    expect(() => parsePageJob({ ...job, source: { ...job.source, sha256: 'xyz' } })).toThrow(/source\.sha256/);
    expect(() => parsePageJob({ ...job, source: { ...job.source, uri: 'http://x/y' } })).toThrow(/source\.uri/);
    expect(() => parsePageJob({ ...job, page: 0 })).toThrow(/page/);
    expect(() => parsePageJob({ ...job, textSource: 'hocr' })).toThrow(/textSource/);
    expect(() => parsePageJob(null)).toThrow(/not an object/);
  });

  it('has one id per page of the same bytes, pipeline and output, and another when any of them differs', () => {
    const id = pageJobId(job);
    expect(id).toBe(pageJobId(JSON.parse(JSON.stringify(job)) as QueuedPageJob));
    expect(id).not.toContain(':'); // BullMQ refuses ':' in custom ids
    expect(id.startsWith(`${job.documentId}.`)).toBe(true);
    const others = [
      { ...job, page: 4 },
      { ...job, source: { ...job.source, sha256: 'c'.repeat(64) } },
      { ...job, fingerprint: 'd'.repeat(64) },
      { ...job, output: 's3://processed/other/' },
    ];
    for (const other of others) expect(pageJobId(other)).not.toBe(id);
    // What does not make the page another page does not change its id.
    expect(pageJobId({ ...job, attempt: 2 } as QueuedPageJob)).toBe(id);
  });

  it('carries a typed failure from the worker to the submitter, and types a reason the worker never wrote', () => {
    const back = decodePageFailure(encodePageFailure(new InputError('page 3 is blank garbage', { stage: 'rasterise' }), 'open'), 3);
    expect([back.fault, back.stage, back.message]).toEqual(['input', 'rasterise', 'page 3 is blank garbage']);
    expect(back.action).toBe(errorOfFault('input', 'x').action);
    const stalled = decodePageFailure('job stalled more than allowable limit', 3);
    expect(stalled).toBeInstanceOf(EngineError);
    expect(stalled.message).toMatch(/worker stopped/);
  });

  it('parses --queue URLs and refuses others', () => {
    expect(parseQueueUrl('redis://127.0.0.1:6379/2')).toBe('redis://127.0.0.1:6379/2');
    expect(() => parseQueueUrl('http://127.0.0.1:6379')).toThrow(/redis:\/\//);
    expect(() => parseQueueUrl('redis://host:6379/x')).toThrow(/database/);
    expect(() => parseQueueUrl(undefined)).toThrow(/needs a Redis URL/);
  });
});

describe('page jobs in a real Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('adds identical jobs once, whoever adds them', async () => {
    const a = openRedis(redis.url, silentLogger);
    const b = openRedis(redis.url, silentLogger);
    const qa = openQueue(a);
    const qb = openQueue(b);
    try {
      const id = pageJobId(job);
      const added = await Promise.all([
        qa.add('page', job, { ...pageJobOptions(3, 1000), jobId: id }),
        qb.add('page', job, { ...pageJobOptions(3, 1000), jobId: id }),
        qa.add('page', { ...job }, { ...pageJobOptions(3, 1000), jobId: id }),
      ]);
      expect(new Set(added.map((j) => j.id))).toEqual(new Set([id]));
      expect(await qa.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
      const stored = await qb.getJob(id);
      expect(parsePageJob(stored?.data)).toEqual(job);
      expect(stored?.opts.attempts).toBe(3);
      await qa.add('page', { ...job, page: 4 }, { jobId: pageJobId({ ...job, page: 4 }) });
      expect(await qa.getJobCounts('waiting')).toMatchObject({ waiting: 2 });
    } finally {
      await qa.close();
      await qb.close();
      a.disconnect();
      b.disconnect();
    }
  });
});
