/**
 * The queue's benchmark (`newsprint bench --queue`): the same inputs through the in-process pool and
 * through the queue with 1 and with 2 local worker processes (the cores shared out between them),
 * in one run, so the overhead per page is a difference measured at the same time on the same machine.
 * Worker start-up is left out (workers are long-running); Redis commands are counted from Redis's
 * own statistics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../logger.js';
import { openRedis } from '../page-queue/connection.js';
import { runIngest } from '../pipeline/ingest.js';

export interface QueueBenchOptions {
  readonly inputs: readonly string[];
  /** Cores to use: the in-process pool's workers, shared out between the worker processes. */
  readonly workers: number;
  readonly queue: string;
  /** Rounds (each configuration once per round); the median wall time counts. Default 1. */
  readonly repeat?: number;
  /** Worker process counts to measure. Default [1, 2]. */
  readonly processes?: readonly number[];
  readonly onConfig?: (config: QueueBenchConfig) => void;
}

export interface QueueBenchConfig {
  /** `in-process`, or `queue, N processes × W workers`. */
  readonly name: string;
  readonly processes: number;
  readonly workersPerProcess: number;
  readonly pages: number;
  readonly ms: number;
  readonly pagesPerHour: number;
  /** Wall time per page minus the in-process one, ms (0 for the in-process run). */
  readonly overheadMsPerPage: number;
  /** overheadMsPerPage / in-process wall time per page. */
  readonly overheadRatio: number;
  /** Every run's wall time, ms. */
  readonly runsMs: readonly number[];
  /** Redis commands per page, counted by Redis, commands inside its scripts included (queue runs only). */
  readonly redisCommandsPerPage?: number;
}

export interface QueueBenchReport {
  readonly inputs: readonly string[];
  readonly workers: number;
  readonly configs: readonly QueueBenchConfig[];
}

const WORKER_ENTRY = fileURLToPath(new URL('../../workers/page-worker.mjs', import.meta.url));

export async function runQueueBench(options: QueueBenchOptions): Promise<QueueBenchReport> {
  const shapes = [{ processes: 0, workersPerProcess: options.workers }, ...(options.processes ?? [1, 2]).map((processes) => ({ processes, workersPerProcess: Math.max(1, Math.floor(options.workers / processes)) }))];
  const runs = shapes.map(() => [] as Array<{ pages: number; ms: number; commands: number }>);
  // Round after round, every configuration once per round: the machine's drift hits them alike.
  for (let round = 0; round < (options.repeat ?? 1); round++) {
    for (const [i, shape] of shapes.entries()) {
      const children = shape.processes > 0 ? await startWorkers(options.queue, shape.processes, shape.workersPerProcess) : [];
      try {
        const before = shape.processes > 0 ? await redisCommands(options.queue) : 0;
        const run = await oneIngest(options, shape.processes > 0 ? options.queue : undefined);
        const commands = shape.processes > 0 ? (await redisCommands(options.queue)) - before : 0;
        runs[i]?.push({ ...run, commands });
      } finally {
        await stopWorkers(children);
      }
    }
  }
  const medians = runs.map((r) => [...r].sort((x, y) => x.ms - y.ms)[Math.floor((r.length - 1) / 2)] ?? { pages: 0, ms: 0, commands: 0 });
  const local = medians[0] ?? { pages: 0, ms: 0, commands: 0 };
  const localPerPage = local.ms / Math.max(1, local.pages);
  const configs = shapes.map((shape, i): QueueBenchConfig => {
    const m = medians[i] ?? local;
    const perPage = m.ms / Math.max(1, m.pages) - localPerPage;
    const config: QueueBenchConfig = {
      name: shape.processes === 0 ? 'in-process' : `queue, ${shape.processes} process${shape.processes > 1 ? 'es' : ''} × ${shape.workersPerProcess} worker${shape.workersPerProcess > 1 ? 's' : ''}`,
      processes: shape.processes,
      workersPerProcess: shape.workersPerProcess,
      pages: m.pages,
      ms: m.ms,
      pagesPerHour: perHour(m.pages, m.ms),
      overheadMsPerPage: Math.round(perPage),
      overheadRatio: perPage / localPerPage,
      runsMs: (runs[i] ?? []).map((r) => r.ms),
      ...(shape.processes > 0 ? { redisCommandsPerPage: Math.round(m.commands / Math.max(1, m.pages)) } : {}),
    };
    options.onConfig?.(config);
    return config;
  });
  return { inputs: options.inputs, workers: options.workers, configs };
}

const perHour = (pages: number, ms: number): number => (pages * 3_600_000) / Math.max(1, ms);

async function oneIngest(options: QueueBenchOptions, queue: string | undefined): Promise<{ pages: number; ms: number }> {
  const out = await mkdtemp(path.join(tmpdir(), 'newsprint-queue-bench-'));
  try {
    const started = performance.now();
    const report = await runIngest({ inputs: options.inputs, out, workers: options.workers, logger: silentLogger, ...(queue ? { queue: { url: queue } } : {}) });
    return { pages: report.summary.pages, ms: Math.round(performance.now() - started) };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

async function startWorkers(queue: string, processes: number, workers: number): Promise<ChildProcess[]> {
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, [WORKER_ENTRY, '--queue', queue, '--workers', String(workers)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NEWSPRINT_LOG_LEVEL: 'info' } }),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          let seen = '';
          child.stderr?.on('data', (d: Buffer) => {
            seen += d.toString('utf8');
            if (seen.includes('"worker started"')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`a worker process exited (${code}) before it started: ${seen.slice(-500)}`)));
        }),
    ),
  );
  return children;
}

async function stopWorkers(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function redisCommands(url: string): Promise<number> {
  const redis = openRedis(url, silentLogger);
  try {
    const info = await redis.info('stats');
    return Number(/total_commands_processed:(\d+)/u.exec(info)?.[1] ?? 0);
  } finally {
    redis.disconnect();
  }
}
