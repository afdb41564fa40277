/**
 * Adding work to a p-queue. p-queue 9 (the last release for Node 20) leaves up to 100 finished
 * tasks in its internal array until it compacts it, and a queue that never runs dry (the page
 * queue of a long run) keeps them that long, each with its task function and, through the
 * resolved promise, its result. A finished page task holds its page's images that way: a 100-page
 * run grew by 140 MB every 10 pages. Work added here lets go of both: the task as soon as it
 * starts, the result as soon as it is handed on. (p-queue 10 clears its slots but needs Node 22.)
 */
import type PQueue from 'p-queue';

export async function addTask<T>(queue: PQueue, task: () => Promise<T>, priority = 0): Promise<T> {
  const slot: { task?: () => Promise<T>; result?: T } = { task };
  await queue.add(
    async () => {
      const run = slot.task;
      slot.task = undefined;
      if (!run) throw new Error('a queued task ran twice');
      slot.result = await run();
    },
    { priority },
  );
  const result = slot.result as T;
  slot.result = undefined;
  return result;
}
