import { describe, expect, it, vi } from 'vitest';

import { ConfigError, InputError, RetryableError } from '../../src/errors.js';
import { withRetry, type RetryInfo } from '../../src/retry.js';

const transient = (): Error =>
  Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });

describe('withRetry', () => {
  it('retries a transient error twice, then returns the result', async () => {
    let calls = 0;
    const fn = vi.fn(async (attempt: number) => {
      calls++;
      if (calls <= 2) throw transient();
      return `ok on attempt ${attempt}`;
    });
    const retries: RetryInfo[] = [];
    const result = await withRetry(fn, { baseMs: 1, maxMs: 5, onRetry: (i) => retries.push(i) });
    expect(result).toBe('ok on attempt 3');
    expect(fn).toHaveBeenCalledTimes(3);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(retries.every((r) => r.delayMs >= 0 && r.delayMs <= 5)).toBe(true);
  });

  it('does not retry a non-transient error', async () => {
    const error = new Error('bad input');
    const fn = vi.fn(async () => {
      throw error;
    });
    const onRetry = vi.fn();
    await expect(withRetry(fn, { baseMs: 1, onRetry })).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('does not retry typed errors that say skip or stop, retries RetryableError', async () => {
    const skip = vi.fn(async () => {
      throw new InputError('corrupt');
    });
    await expect(withRetry(skip, { baseMs: 1 })).rejects.toBeInstanceOf(InputError);
    expect(skip).toHaveBeenCalledTimes(1);
    const again = vi.fn(async () => {
      throw new RetryableError('later');
    });
    await expect(withRetry(again, { attempts: 3, baseMs: 1 })).rejects.toBeInstanceOf(RetryableError);
    expect(again).toHaveBeenCalledTimes(3);
  });

  it('stops after 5 attempts by default and rethrows the last error unchanged', async () => {
    const errors: Error[] = [];
    const fn = vi.fn(async () => {
      const e = transient();
      errors.push(e);
      throw e;
    });
    const thrown = await withRetry(fn, { baseMs: 1, maxMs: 1 }).catch((e: unknown) => e);
    expect(fn).toHaveBeenCalledTimes(5);
    expect(thrown).toBe(errors[4]);
  });

  it('uses exponential backoff with full jitter, capped at maxMs', async () => {
    const delays: number[] = [];
    const fn = async (): Promise<never> => {
      throw transient();
    };
    vi.useFakeTimers();
    try {
      const done = withRetry(fn, {
        attempts: 6,
        baseMs: 100,
        maxMs: 1000,
        random: () => 0.999999,
        onRetry: (i) => delays.push(i.delayMs),
      }).catch((e: unknown) => e);
      await vi.runAllTimersAsync();
      await done;
    } finally {
      vi.useRealTimers();
    }
    expect(delays).toEqual([99, 199, 399, 799, 999]);
  });

  it('honours retryIf and an abort signal', async () => {
    const custom = vi.fn(async () => {
      throw new Error('409 conflict');
    });
    await expect(
      withRetry(custom, { attempts: 2, baseMs: 1, retryIf: (e) => (e as Error).message.startsWith('409') }),
    ).rejects.toThrow('409 conflict');
    expect(custom).toHaveBeenCalledTimes(2);

    const controller = new AbortController();
    const slow = withRetry(
      async () => {
        throw transient();
      },
      { baseMs: 60_000, maxMs: 60_000, random: () => 0.5, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('shutting down')), 10);
    await expect(slow).rejects.toThrow('shutting down');
  });

  it('rejects bad options with ConfigError', async () => {
    const fn = async () => 1;
    await expect(withRetry(fn, { attempts: 0 })).rejects.toBeInstanceOf(ConfigError);
    await expect(withRetry(fn, { attempts: 1.5 })).rejects.toBeInstanceOf(ConfigError);
    await expect(withRetry(fn, { baseMs: -1 })).rejects.toBeInstanceOf(ConfigError);
    await expect(withRetry(fn, { maxMs: Number.NaN })).rejects.toBeInstanceOf(ConfigError);
  });
});
