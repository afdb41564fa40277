/**
 * Retry with exponential backoff and full jitter (delay = random(0, min(maxMs, baseMs * 2^n))),
 * as in "Exponential Backoff And Jitter" (AWS Architecture Blog). Which errors are worth another
 * try is decided by `isTransient` in src/errors.ts unless the caller says otherwise.
 */
import { ConfigError, isTransient } from './errors.js';

export interface RetryInfo {
  /** The attempt that just failed, from 1. */
  readonly attempt: number;
  /** How long we wait before the next attempt. */
  readonly delayMs: number;
  readonly error: unknown;
}

export interface RetryOptions {
  /** Total attempts including the first. Default 5. */
  readonly attempts?: number;
  /** Backoff cap before the first retry, in ms. Default 100. */
  readonly baseMs?: number;
  /** Upper bound of any single delay, in ms. Default 5000. */
  readonly maxMs?: number;
  /** Whether an error is worth another attempt. Default `isTransient`. */
  readonly retryIf?: (error: unknown) => boolean;
  /** Called before each wait (e.g. to log). */
  readonly onRetry?: (info: RetryInfo) => void;
  /** Stops waiting: the pending wait rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Source of randomness in [0, 1). Default Math.random; tests may pin it. */
  readonly random?: () => number;
}

export interface Backoff {
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RETRY: Backoff = Object.freeze({ attempts: 5, baseMs: 100, maxMs: 5000 });

/** Fills in defaults and checks the numbers; throws ConfigError on a bad value (fail fast). */
export function resolveBackoff(options: Partial<Backoff> = {}): Backoff {
  const attempts = options.attempts ?? DEFAULT_RETRY.attempts;
  const baseMs = options.baseMs ?? DEFAULT_RETRY.baseMs;
  const maxMs = options.maxMs ?? DEFAULT_RETRY.maxMs;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new ConfigError(`retry attempts must be an integer >= 1, got ${String(attempts)}`);
  }
  if (!(Number.isFinite(baseMs) && baseMs >= 0)) {
    throw new ConfigError(`retry baseMs must be a finite number >= 0, got ${String(baseMs)}`);
  }
  if (!(Number.isFinite(maxMs) && maxMs >= 0)) {
    throw new ConfigError(`retry maxMs must be a finite number >= 0, got ${String(maxMs)}`);
  }
  return { attempts, baseMs, maxMs };
}

/**
 * Calls `fn` until it resolves, the error is not retryable, or `attempts` are used up. The last
 * error is rethrown unchanged: turning it into a typed error is the caller's business.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const { attempts, baseMs, maxMs } = resolveBackoff(options);
  const retryIf = options.retryIf ?? isTransient;
  const random = options.random ?? Math.random;

  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryIf(error)) throw error;
      const delayMs = Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1)));
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
