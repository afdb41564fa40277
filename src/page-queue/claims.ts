/**
 * One submitter per document at a time, and so exactly one publisher, however many submitters
 * (`ingest --queue`) are given the same inputs at once. The first to claim a document (its id, bytes,
 * pipeline and output) queues its pages and publishes it; the others wait for its outcome and
 * report it. A claim lives in Redis with an expiry its holder renews, so a submitter that dies lets
 * another take the document over (its pages already done stay checkpointed and dedup'd in the queue).
 *
 *   newsprint:claim:<hash>  {"owner":…,"status":"running"}          expires ttlMs after the last renewal
 *                           {"owner":…,"status":"done"|"failed",…}  kept SETTLED_TTL_S for late submitters
 */
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { QUEUE_PREFIX } from './connection.js';

const SETTLED_TTL_S = 3600;
/** Sets the value only while the key still holds this owner's claim. */
const IF_OWNER_SET = `local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).owner == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return false`;
const IF_OWNER_RENEW = `local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).owner == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
/** Deletes a settled claim whose output is gone, only if it is still the same value. */
const IF_SAME_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface ClaimSubject {
  readonly output: string;
  readonly documentId: string;
  readonly sha256: string;
  readonly fingerprint: string;
}

/** What the claim's holder tells the others. */
export interface SettledClaim<T> {
  readonly status: 'done' | 'failed';
  readonly outcome: T;
}

export type Claim<T> =
  | { readonly kind: 'mine'; settle(settled: SettledClaim<T>): Promise<void>; release(): Promise<void> }
  | { readonly kind: 'settled'; readonly settled: SettledClaim<T> };

export interface ClaimOptions {
  /** A claim not renewed this long is taken over. */
  readonly ttlMs: number;
  /** How often a waiting submitter looks again. */
  readonly pollMs: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export class DocumentClaims {
  private readonly owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly redis: Redis,
    private readonly options: ClaimOptions,
  ) {}

  /**
   * Claims the document, or waits until whoever holds it settled it. `outputExists` tells whether a
   * settled outcome is still in the output (else it was removed since, and the document is claimed
   * again).
   */
  async claim<T>(subject: ClaimSubject, outputExists: (settled: SettledClaim<T>) => Promise<boolean>): Promise<Claim<T>> {
    const key = claimKey(subject);
    const log = this.options.logger.child({ documentId: subject.documentId });
    let waited = false;
    for (;;) {
      this.options.signal?.throwIfAborted();
      const running = JSON.stringify({ owner: this.owner, status: 'running' });
      if ((await this.redis.set(key, running, 'PX', this.options.ttlMs, 'NX')) === 'OK') {
        if (waited) log.info('document taken over from a submitter that stopped');
        return this.mine<T>(key);
      }
      const value = await this.redis.get(key);
      const held = value === null ? null : (JSON.parse(value) as { owner: string; status: string; settled?: SettledClaim<T> });
      if (held?.settled && (held.status === 'done' || held.status === 'failed')) {
        if (await outputExists(held.settled)) return { kind: 'settled', settled: held.settled };
        await this.redis.eval(IF_SAME_DELETE, 1, key, value ?? '');
        continue;
      }
      if (!waited) log.info('another submitter has this document; waiting for its outcome', { holder: held?.owner });
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
    }
  }

  private mine<T>(key: string): Claim<T> {
    const { ttlMs, logger } = this.options;
    const timer = setInterval(() => {
      this.redis.eval(IF_OWNER_RENEW, 1, key, this.owner, ttlMs).catch((err: unknown) => logger.warn('could not renew a document claim', { error: err }));
    }, Math.max(100, Math.floor(ttlMs / 3)));
    timer.unref();
    return {
      kind: 'mine',
      settle: async (settled) => {
        clearInterval(timer);
        const value = JSON.stringify({ owner: this.owner, status: settled.status, settled });
        await this.redis.eval(IF_OWNER_SET, 1, key, this.owner, value, SETTLED_TTL_S * 1000);
      },
      release: async () => {
        clearInterval(timer);
        // Left unsettled (interrupted): the next submitter takes it at once.
        await this.redis.eval(IF_SAME_DELETE, 1, key, JSON.stringify({ owner: this.owner, status: 'running' }));
      },
    };
  }
}

function claimKey(s: ClaimSubject): string {
  const hash = createHash('sha256').update([s.output, s.documentId, s.sha256, s.fingerprint].join('\n')).digest('hex').slice(0, 32);
  return `${QUEUE_PREFIX}:claim:${hash}`;
}
