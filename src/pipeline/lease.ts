/**
 * One runner at a time per output: a lease under the output prefix.
 *
 *   _lease/<generation>.json            written once, with putIfAbsent, by the runner that takes it
 *   _lease/<generation>.heartbeat.json  rewritten by that runner every ttl/3: a later expiry, or `released`
 *
 * Generations are 10-digit numbers, so they list in order. The lease in force is the highest one;
 * it is live while it is not released and its expiry (the later of the record's and the heartbeat's)
 * is in the future. To take the lease, a runner lists `_lease/`; if the highest generation is live
 * it stops with LeaseHeldError; otherwise (none, released, or expired: its runner died) it creates
 * the next generation with putIfAbsent, so of several runners racing for it exactly one succeeds on a
 * store that honours `If-None-Match: *` (S3, MinIO, R2) or on a local folder (link). It then waits
 * `settleMs` and reads its record back: on a store that ignores the condition (s3rver, some
 * S3-compatibles) the last writer wins and every other racer sees someone else's nonce and stops.
 *
 * The runner never rewrites its record, only its heartbeat object, and each heartbeat first checks
 * that the record is still its own and that no later generation exists; when either fails, or no
 * heartbeat got through before the expiry, `lost` aborts and the run stops.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { CriticalError, errorMessage, LeaseHeldError, LeaseLostError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/types.js';

export const LEASE_PREFIX = '_lease/';
const GENERATION_DIGITS = 10;
const RECORD = /^_lease\/(\d{10})\.json$/u;

export const leaseRecordKey = (generation: number): string => `${LEASE_PREFIX}${String(generation).padStart(GENERATION_DIGITS, '0')}.json`;
export const leaseHeartbeatKey = (generation: number): string =>
  `${LEASE_PREFIX}${String(generation).padStart(GENERATION_DIGITS, '0')}.heartbeat.json`;

export interface LeaseRecord {
  readonly generation: number;
  /** `host:pid`, for people. */
  readonly owner: string;
  readonly runId: string;
  /** Random; tells this runner's record from another's. */
  readonly nonce: string;
  readonly acquiredAt: string;
  readonly ttlMs: number;
  readonly expiresAt: string;
}

export interface LeaseHeartbeat {
  readonly generation: number;
  readonly nonce: string;
  readonly heartbeatAt: string;
  readonly expiresAt: string;
  readonly released?: boolean;
}

export interface LeaseOptions {
  readonly runId: string;
  /** How long the lease lasts without a heartbeat. */
  readonly ttlMs: number;
  /** Wait before reading the record back. Default 1000 ms. */
  readonly settleMs?: number;
  readonly logger: Logger;
  /** Clock, for tests. Default Date.now. */
  readonly now?: () => number;
}

export interface Lease {
  readonly generation: number;
  readonly record: LeaseRecord;
  /** Aborts (reason: LeaseLostError) when the lease was lost. */
  readonly lost: AbortSignal;
  /** Stops the heartbeat and marks the lease released. Safe to call twice. */
  release(): Promise<void>;
}

/** The lease in force, as found in the store. */
export interface LeaseState {
  readonly record: LeaseRecord;
  readonly heartbeat: LeaseHeartbeat | null;
  readonly expiresAt: number;
  readonly live: boolean;
}

/** The highest generation under `_lease/`, or 0. */
async function highestGeneration(storage: Storage): Promise<number> {
  let top = 0;
  let cursor: string | undefined;
  do {
    const page = await storage.list(LEASE_PREFIX, cursor === undefined ? {} : { cursor });
    for (const item of page.items) {
      const g = RECORD.exec(item.key)?.[1];
      if (g !== undefined) top = Math.max(top, Number(g));
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return top;
}

async function readJson<T>(storage: Storage, key: string): Promise<T | null> {
  const bytes = await storage.get(key);
  if (bytes === null) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    return null;
  }
}

/** The lease in force and whether it is live, or null when no runner ever took one. */
export async function readLease(storage: Storage, now: number = Date.now()): Promise<LeaseState | null> {
  const generation = await highestGeneration(storage);
  if (generation === 0) return null;
  const record = await readJson<LeaseRecord>(storage, leaseRecordKey(generation));
  if (record === null || typeof record.nonce !== 'string') {
    // Unreadable (or just deleted): a record is written whole, so treat it as expired.
    return {
      record: { generation, owner: 'unknown', runId: 'unknown', nonce: '', acquiredAt: '', ttlMs: 0, expiresAt: new Date(0).toISOString() },
      heartbeat: null,
      expiresAt: 0,
      live: false,
    };
  }
  const hb = await readJson<LeaseHeartbeat>(storage, leaseHeartbeatKey(generation));
  const heartbeat = hb !== null && hb.nonce === record.nonce ? hb : null;
  const expiresAt = Math.max(Date.parse(record.expiresAt) || 0, heartbeat ? Date.parse(heartbeat.expiresAt) || 0 : 0);
  const live = heartbeat?.released !== true && now < expiresAt;
  return { record, heartbeat, expiresAt, live };
}

function heldMessage(location: string, state: LeaseState): string {
  const beat = state.heartbeat ? `, last heartbeat ${state.heartbeat.heartbeatAt}` : '';
  return (
    `another run holds the lease on ${location}: run ${state.record.runId} by ${state.record.owner}, ` +
    `until ${new Date(state.expiresAt).toISOString()}${beat}. Try again after it finishes ` +
    `(a runner that died loses the lease when it expires).`
  );
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the lease of `storage` or throws LeaseHeldError (CriticalError) when another runner has it. */
export async function acquireLease(storage: Storage, options: LeaseOptions): Promise<Lease> {
  const now = options.now ?? Date.now;
  const settleMs = options.settleMs ?? 1000;
  if (!Number.isFinite(options.ttlMs) || options.ttlMs < 1000) {
    throw new CriticalError(`lease ttl must be at least 1 s, got ${options.ttlMs} ms`, { stage: 'config' });
  }
  const log = options.logger;
  const nonce = randomBytes(12).toString('hex');

  for (let tries = 0; ; tries++) {
    const current = await readLease(storage, now());
    if (current?.live) throw new LeaseHeldError(heldMessage(storage.location, current), { stage: 'storage' });
    const generation = (current?.record.generation ?? 0) + 1;
    if (current) {
      const released = current.heartbeat?.released === true;
      log[released ? 'debug' : 'warn'](released ? 'taking the lease after the previous run released it' : 'taking over an expired lease (its runner stopped without releasing it)', {
        generation,
        previousRunId: current.record.runId,
        previousOwner: current.record.owner,
        expiredAt: new Date(current.expiresAt).toISOString(),
      });
    }
    const t = now();
    const record: LeaseRecord = {
      generation,
      owner: `${os.hostname()}:${process.pid}`,
      runId: options.runId,
      nonce,
      acquiredAt: new Date(t).toISOString(),
      ttlMs: options.ttlMs,
      expiresAt: new Date(t + options.ttlMs).toISOString(),
    };
    let created = await storage.putIfAbsent(leaseRecordKey(generation), JSON.stringify(record, null, 2) + '\n', { contentType: 'application/json' });
    if (!created) {
      // A retried write whose first try landed answers false: look whose record it is.
      created = (await readJson<LeaseRecord>(storage, leaseRecordKey(generation)))?.nonce === nonce;
    }
    if (!created) {
      if (tries < 2) continue; // another runner took this generation: look again (it is live now)
      throw new LeaseHeldError(`another run took the lease on ${storage.location} at the same moment (generation ${generation})`, { stage: 'storage' });
    }
    await sleep(settleMs);
    const confirmed = await readJson<LeaseRecord>(storage, leaseRecordKey(generation));
    if (confirmed?.nonce !== nonce) {
      throw new LeaseHeldError(
        `another run took the lease on ${storage.location} at the same moment: run ${confirmed?.runId ?? 'unknown'} by ${confirmed?.owner ?? 'unknown'} (generation ${generation})`,
        { stage: 'storage' },
      );
    }
    log.info('lease taken', { generation, ttlMs: options.ttlMs });
    return startLease(storage, record, options, now);
  }
}

function startLease(storage: Storage, record: LeaseRecord, options: LeaseOptions, now: () => number): Lease {
  const log = options.logger;
  const lostController = new AbortController();
  let expiresAt = Date.parse(record.expiresAt);
  let released = false;
  let pending: Promise<void> = Promise.resolve();

  const lose = (why: string): void => {
    if (lostController.signal.aborted) return;
    log.error('lease lost; stopping the run', { generation: record.generation, why });
    lostController.abort(new LeaseLostError(`lost the lease on ${storage.location}: ${why}`, { stage: 'storage' }));
  };

  const beat = async (release: boolean): Promise<void> => {
    try {
      const mine = await readJson<LeaseRecord>(storage, leaseRecordKey(record.generation));
      if (mine?.nonce !== record.nonce) return lose(`generation ${record.generation} now belongs to run ${mine?.runId ?? 'unknown'}`);
      const next = await readJson<LeaseRecord>(storage, leaseRecordKey(record.generation + 1));
      if (next !== null) return lose(`run ${next.runId} took over (generation ${next.generation}) after this lease expired`);
      const t = now();
      const heartbeat: LeaseHeartbeat = {
        generation: record.generation,
        nonce: record.nonce,
        heartbeatAt: new Date(t).toISOString(),
        expiresAt: new Date(release ? t : t + options.ttlMs).toISOString(),
        ...(release ? { released: true } : {}),
      };
      await storage.put(leaseHeartbeatKey(record.generation), JSON.stringify(heartbeat, null, 2) + '\n', { contentType: 'application/json' });
      if (!release) expiresAt = t + options.ttlMs;
    } catch (err) {
      log.warn('lease heartbeat failed', { generation: record.generation, error: errorMessage(err) });
      if (now() >= expiresAt) lose(`no heartbeat got through before the lease expired (${errorMessage(err)})`);
    }
  };

  const interval = Math.max(200, Math.floor(options.ttlMs / 3));
  const timer = setInterval(() => {
    if (released || lostController.signal.aborted) return;
    if (now() >= expiresAt) {
      // The event loop was blocked past the expiry: someone may have taken over already.
      pending = pending.then(() => beat(false)).then(() => {
        if (now() >= expiresAt) lose('the lease expired before a heartbeat could renew it');
      });
      return;
    }
    pending = pending.then(() => beat(false));
  }, interval);
  timer.unref();

  // Tidy: older generations are history once this one is taken.
  void (async () => {
    for (let g = record.generation - 1; g >= 1; g--) {
      const existed = (await storage.head(leaseRecordKey(g)).catch(() => null)) !== null;
      await storage.delete(leaseHeartbeatKey(g)).catch(() => undefined);
      await storage.delete(leaseRecordKey(g)).catch(() => undefined);
      if (!existed) break;
    }
  })();
  pending = pending.then(() => beat(false));

  return {
    generation: record.generation,
    record,
    lost: lostController.signal,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await pending;
      if (lostController.signal.aborted) return;
      await beat(true);
      log.info('lease released', { generation: record.generation });
    },
  };
}
