/**
 * The queues every page of a run goes through, and the feed that opens documents just fast enough
 * to keep them full.
 */
import PQueue from 'p-queue';

/**
 * The queues of a run: pages in flight (one per worker plus one being prepared, so both cores stay
 * busy across pages) and the lane in which they prepare one at a time.
 */
export function pageLanes(workers: number): { readonly pageQueue: PQueue; readonly prepLane: PQueue } {
  return { pageQueue: new PQueue({ concurrency: workers + 1 }), prepLane: new PQueue({ concurrency: 1 }) };
}

export interface FeedOptions {
  /** Where the pages wait; absent when they are queued elsewhere (src/page-queue/). */
  readonly pageQueue?: PQueue;
  readonly workers: number;
  readonly signal?: AbortSignal;
}

/**
 * Starts `start(item)` for each item in order, keeping the page queue fed without opening more
 * documents than needed: a new one starts when fewer than `workers + 1` pages wait in the queue and
 * fewer than `workers + 2` documents are open (without a page queue: the pages are queued elsewhere,
 * only the second limit applies). Stops starting when `signal` aborts; items never
 * started are left out of the result (their index holds undefined).
 */
export async function feedDocuments<T, R>(
  items: readonly T[],
  options: FeedOptions,
  start: (item: T) => Promise<R>,
): Promise<Array<R | undefined>> {
  const running = new Set<Promise<unknown>>();
  const outcomes: Array<Promise<R> | undefined> = items.map(() => undefined);
  const maxOpen = options.workers + 2;
  let failed = false;
  for (const [i, item] of items.entries()) {
    while (running.size >= maxOpen && !failed) await Promise.race(running);
    if (!failed) await options.pageQueue?.onSizeLessThan(options.workers + 1);
    // A rejection (the run cannot go on) stops the feed as a signal does.
    if (failed || options.signal?.aborted) break;
    const p = start(item);
    outcomes[i] = p;
    const tracked: Promise<unknown> = p.then(
      () => running.delete(tracked),
      () => {
        failed = true;
        running.delete(tracked);
      },
    );
    running.add(tracked);
  }
  // Every started document settles before the first rejection is passed on.
  await Promise.allSettled(outcomes.filter((p) => p !== undefined));
  const results: Array<R | undefined> = [];
  for (const p of outcomes) results.push(p === undefined ? undefined : await p);
  return results;
}
