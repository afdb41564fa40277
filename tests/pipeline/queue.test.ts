/** Work through addTask does not stay reachable from a p-queue that never runs dry. */
import v8 from 'node:v8';
import vm from 'node:vm';
import PQueue from 'p-queue';
import { describe, expect, it } from 'vitest';
import { addTask } from '../../src/queue.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Runs `count` tasks on a queue kept busy throughout; returns WeakRefs to what they held and returned. */
async function runBusyQueue(add: <T>(queue: PQueue, task: () => Promise<T>) => Promise<T>, count: number): Promise<Array<WeakRef<object>>> {
  // Two slots held by waiting tasks at both ends, and one more queued behind them: every task in
  // between has finished, but the queue has not run dry (p-queue resets its array when it does).
  const queue = new PQueue({ concurrency: 2 });
  const refs: Array<WeakRef<object>> = [];
  const releases: Array<() => void> = [];
  const waiting = (): Promise<void> => new Promise<void>((resolve) => releases.push(resolve));
  const first = add(queue, waiting);
  const done: Array<Promise<unknown>> = [];
  for (let i = 0; i < count; i++) {
    const held = { page: new Uint8Array(1024) };
    refs.push(new WeakRef(held));
    done.push(add(queue, async () => ({ held })).then(() => undefined));
  }
  const second = add(queue, waiting);
  const behind = add(queue, async () => undefined);
  await Promise.all(done);
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(queue.size).toBe(1);
  gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
  gc();
  for (const release of releases) release();
  await Promise.all([first, second, behind]);
  return refs;
}

describe('addTask', () => {
  it('returns what the task returns, and passes its failure on', async () => {
    const queue = new PQueue({ concurrency: 2 });
    await expect(addTask(queue, async () => 42)).resolves.toBe(42);
    await expect(addTask(queue, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  });

  it('lets finished tasks and their results go while the queue is still busy', async () => {
    const refs = await runBusyQueue(addTask, 20);
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });

  it('(p-queue 9 on its own keeps them: the reason addTask exists)', async () => {
    const plain = <T>(queue: PQueue, task: () => Promise<T>): Promise<T> => queue.add(task) as Promise<T>;
    const refs = await runBusyQueue(plain, 20);
    expect(refs.filter((r) => r.deref() !== undefined).length).toBeGreaterThan(0);
  });
});
