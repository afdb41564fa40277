/**
 * The Redis side of the page queue: the URL, one ioredis connection per user, and the queue's name
 * and job options. Every connection waits for Redis instead of failing a command while it is away
 * (`maxRetriesPerRequest: null`, as BullMQ's workers require), so a Redis restart pauses the queue's
 * users and they carry on when it is back.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { ConfigError, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { DEFAULT_ENGINE } from './job.js';

/** Keys of every newsprint queue start with this (BullMQ's `prefix`). */
export const QUEUE_PREFIX = 'newsprint';

/** One queue per engine, so a worker only ever takes pages it can read the way they were asked for. */
export const queueName = (engine: string = DEFAULT_ENGINE): string => `pages-${engine}`;

/** Checks a `--queue` value: redis://[user:password@]host[:port][/db] or rediss:// (TLS). */
export function parseQueueUrl(url: string | undefined, flag = '--queue'): string {
  if (url === undefined || url === '') throw new ConfigError(`${flag} needs a Redis URL, e.g. redis://127.0.0.1:6379/0`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${flag} expects a Redis URL (redis://host:port[/db]), got "${url}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError(`${flag} expects redis:// or rediss://, got "${url}"`);
  const db = parsed.pathname.replace(/^\//u, '');
  if (db !== '' && !/^\d+$/u.test(db)) throw new ConfigError(`${flag}: the database after the host must be a number, got "${db}"`);
  return url;
}

/** Where a URL points, without its password, for logs and reports. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * A connection that waits for Redis while it is away (retrying every 0.2-2 s) and logs that once
 * per outage rather than on every retry.
 */
export function openRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(200 * times, 2000) });
  let down = false;
  redis.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    logger.warn('Redis unreachable; waiting for it', { queue: redactedUrl(url), error: errorMessage(err) });
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis reachable again', { queue: redactedUrl(url) });
  });
  return redis;
}

/** How long jobs stay in Redis once settled: long enough for a late submitter to find them. */
const KEEP_COMPLETED = { age: 24 * 3600, count: 200_000 } as const;
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 200_000 } as const;

/**
 * Job options of a page: `maxAttempts` tries of the engine and bug faults with exponential backoff
 * (input faults fail at once; infrastructure trouble waits without using a try: ./worker.ts).
 */
export function pageJobOptions(maxAttempts: number, backoffMs: number): JobsOptions {
  return { attempts: maxAttempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED };
}

export function openQueue(redis: Redis, engine?: string): Queue {
  return new Queue(queueName(engine), { connection: redis, prefix: QUEUE_PREFIX });
}
