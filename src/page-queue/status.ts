/**
 * The queue as operators see it: how many pages wait, run, wait for a retry, failed, and which
 * workers are connected; pausing and resuming it (to drain: README, Operations).
 */
import { openQueue, openRedis, redactedUrl } from './connection.js';
import { decodePageFailure } from './failure.js';
import type { Logger } from '../logger.js';

export interface QueueStatus {
  readonly queue: string;
  readonly name: string;
  readonly paused: boolean;
  readonly waiting: number;
  readonly active: number;
  /** Waiting for a retry (backoff) or put back for infrastructure trouble. */
  readonly delayed: number;
  readonly failed: number;
  readonly completed: number;
  readonly workers: number;
  /** Age of the oldest waiting page, seconds (null: none waits). */
  readonly oldestWaitingS: number | null;
  /** The latest failures: job id and reason. */
  readonly recentFailures: ReadonlyArray<{ readonly jobId: string; readonly reason: string }>;
}

export async function withQueue<T>(url: string, logger: Logger, use: (queue: ReturnType<typeof openQueue>) => Promise<T>): Promise<T> {
  const redis = openRedis(url, logger);
  const queue = openQueue(redis);
  try {
    return await use(queue);
  } finally {
    await queue.close().catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
  }
}

export function queueStatus(url: string, logger: Logger): Promise<QueueStatus> {
  return withQueue(url, logger, async (queue) => {
    // A paused queue keeps its waiting pages in BullMQ's 'paused' list: they wait all the same.
    const counts = await queue.getJobCounts('waiting', 'paused', 'prioritized', 'active', 'delayed', 'failed', 'completed');
    const [oldest] = await queue.getJobs(['waiting', 'paused'], -1, -1, true);
    const failed = await queue.getJobs(['failed'], 0, 4, false);
    return {
      queue: redactedUrl(url),
      name: queue.name,
      paused: await queue.isPaused(),
      waiting: (counts['waiting'] ?? 0) + (counts['paused'] ?? 0) + (counts['prioritized'] ?? 0),
      active: counts['active'] ?? 0,
      delayed: counts['delayed'] ?? 0,
      failed: counts['failed'] ?? 0,
      completed: counts['completed'] ?? 0,
      workers: await queue.getWorkersCount(),
      oldestWaitingS: oldest ? Math.round((Date.now() - oldest.timestamp) / 1000) : null,
      recentFailures: failed.map((j) => {
        const typed = decodePageFailure(j.failedReason, Number((j.data as { page?: unknown }).page) || 0);
        return { jobId: j.id ?? '?', reason: `${typed.fault} fault at ${typed.stage ?? '?'}: ${typed.message}` };
      }),
    };
  });
}
