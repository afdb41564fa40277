/**
 * The output lease on a local folder (atomic link) and on a real S3-protocol server (s3rver, which
 * ignores If-None-Match: the settle-and-read-back step decides there).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseHeldError, LeaseLostError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { acquireLease, leaseHeartbeatKey, leaseRecordKey, readLease, type LeaseRecord } from '../../src/pipeline/lease.js';
import { createFsStorage } from '../../src/storage/fs.js';
import { createS3Storage } from '../../src/storage/s3.js';
import type { Storage } from '../../src/storage/types.js';
import { makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { sleep, waitFor } from '../support/run-helpers.js';

let server: TestS3Server;
let dir: string;

beforeAll(async () => {
  server = await startS3Server(['leases']);
  dir = await mkdtemp(path.join(tmpdir(), 'newsprint-lease-'));
});

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const base = { ttlMs: 3000, settleMs: 100, logger: silentLogger };
let n = 0;

const stores: Array<[string, () => Storage, boolean]> = [
  ['fs', () => createFsStorage({ root: path.join(dir, `out-${++n}`) }), true],
  ['s3', () => createS3Storage({ bucket: 'leases', prefix: `out-${++n}/`, client: makeTestS3Client(server.endpoint) }), false],
];

describe.each(stores)('lease on %s', (_name, open, atomic) => {
  it('is taken, refused to a second runner with a clear message, and taken again once released', async () => {
    const storage = open();
    const a = await acquireLease(storage, { ...base, runId: 'run-a' });
    expect(a.generation).toBe(1);
    const refused = acquireLease(storage, { ...base, runId: 'run-b' });
    await expect(refused).rejects.toBeInstanceOf(LeaseHeldError);
    await expect(refused).rejects.toThrow(/another run holds the lease .*run-a/);
    await a.release();
    expect((await readLease(storage))?.live).toBe(false);
    const b = await acquireLease(storage, { ...base, runId: 'run-b' });
    expect(b.generation).toBe(2);
    await b.release();
    // Old generations are tidied away.
    await waitFor('generation 1 removed', async () => (await storage.head(leaseRecordKey(1))) === null, 5000);
  });

  it('keeps a live lease alive with heartbeats past its ttl', async () => {
    const storage = open();
    const a = await acquireLease(storage, { ...base, ttlMs: 1500, runId: 'run-a' });
    const recordExpiry = Date.parse(a.record.expiresAt);
    // Let real time pass the record's own expiry while heartbeats run...
    await sleep(recordExpiry - Date.now() + 300);
    expect(a.lost.aborted).toBe(false);
    const state = await readLease(storage);
    expect(state?.heartbeat).not.toBeNull();
    expect(state!.expiresAt).toBeGreaterThan(recordExpiry);
    // ...then judge it at a moment past that expiry (a fixed clock, so a slow CI machine cannot
    // let the last heartbeat lapse before the second runner looks): the heartbeat keeps it held.
    const judgedAt = recordExpiry + 1;
    await expect(acquireLease(storage, { ...base, runId: 'run-b', now: () => judgedAt })).rejects.toBeInstanceOf(LeaseHeldError);
    await a.release();
  });

  it('takes over the lease of a runner that died once it has expired', async () => {
    const storage = open();
    const expiresAt = Date.now() + 1500;
    const dead: LeaseRecord = {
      generation: 7,
      owner: 'elsewhere:1',
      runId: 'dead-run',
      nonce: 'n0',
      acquiredAt: new Date(expiresAt - 11_500).toISOString(),
      ttlMs: 3000,
      expiresAt: new Date(expiresAt).toISOString(),
    };
    await storage.put(leaseRecordKey(7), JSON.stringify(dead));
    await expect(acquireLease(storage, { ...base, runId: 'run-b', now: () => expiresAt - 1 })).rejects.toThrow(/dead-run/);
    const b = await acquireLease(storage, { ...base, runId: 'run-b', now: () => Math.max(Date.now(), expiresAt + 1) });
    expect(b.generation).toBe(8);
    await b.release();
  });

  it('tells the runner when another one took the lease over (it must stop)', async () => {
    const storage = open();
    const a = await acquireLease(storage, { ...base, ttlMs: 1200, runId: 'run-a' });
    // Someone decided a's lease had expired and took the next generation.
    const thief: LeaseRecord = { ...a.record, generation: a.generation + 1, runId: 'thief', nonce: 'other' };
    await storage.put(leaseRecordKey(a.generation + 1), JSON.stringify(thief));
    await waitFor('lease lost', () => a.lost.aborted, 5000);
    expect(a.lost.reason).toBeInstanceOf(LeaseLostError);
    expect(String((a.lost.reason as Error).message)).toMatch(/thief/);
    await a.release();
    // A lost lease is not marked released: the thief's lease stays in force.
    expect(await storage.get(leaseHeartbeatKey(a.generation + 1))).toBeNull();
  });

  it('lets exactly one of several runners racing for it win', async () => {
    const storage = open();
    const racers = atomic ? 8 : 2;
    const results = await Promise.allSettled(
      Array.from({ length: racers }, (_, i) => acquireLease(storage, { ...base, settleMs: 300, runId: `racer-${i}` })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LeaseHeldError);
    if (won[0]?.status === 'fulfilled') await won[0].value.release();
  });
});
