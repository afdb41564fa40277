/**
 * `newsprint schedule`: a long-running process that starts the same pass as `newsprint run` on a
 * cron schedule (croner). Runs never overlap: a tick that comes while a run is still going is
 * skipped. SIGTERM/SIGINT stop it gracefully: the run in progress (if any) stops taking new pages,
 * finishes those in flight, writes its report; then the process exits 0.
 */
import os from 'node:os';
import { Cron } from 'croner';
import { classifyError, ConfigError, errorMessage, InterruptedError, isLeaseHeld } from '../errors.js';
import { createJsonLogger, type Logger } from '../logger.js';
import { formatRunSummary, runNightly, type RunOptions } from '../pipeline/run.js';
import { parseCommandArgs } from './args.js';
import { createProgress } from './progress.js';
import type { Command } from './main.js';
import { onStopSignals, RUN_FLAGS, RUN_FLAGS_HELP, runOptionsFromFlags, type RunCommandDeps } from './run.js';

const HELP = `usage: newsprint schedule --cron "<pattern>" [--tz <zone>] --input <…> --output <…> [run options]

Stays running and starts \`newsprint run\`'s pass on a cron schedule. A run never overlaps the
previous one (a tick during a run is skipped). A run that finds another runner's lease is skipped
until the next tick; one that cannot reach the store is logged and tried again at the next tick.

options:
  --cron "<pattern>"                    5 fields (minute hour day month weekday), or 6 with seconds first,
                                        e.g. "0 2 * * *" = every day at 02:00
  --tz <zone>                           IANA time zone of the pattern, e.g. Asia/Shanghai (default: the
                                        machine's, here ${Intl.DateTimeFormat().resolvedOptions().timeZone})
${RUN_FLAGS_HELP}
  -h, --help                            this text

SIGTERM or SIGINT: the run in progress stops gracefully (pages in flight finish and are checkpointed,
its report is written), then the scheduler exits 0. A second signal exits at once.
`;

export interface Schedule {
  /** Resolves when the scheduler has stopped (after the run in progress, if any, ended). */
  readonly done: Promise<void>;
  /** Stops scheduling and the run in progress, gracefully. */
  stop(reason?: string): void;
  nextRun(): Date | null;
}

export interface ScheduleOptions {
  readonly cron: string;
  readonly timezone?: string;
  readonly run: RunOptions;
  readonly logger: Logger;
  /** Called with each run's summary text. Default: stdout. */
  readonly print?: (text: string) => void;
  readonly deps?: RunCommandDeps;
}

/** Starts the scheduler; throws ConfigError for a bad pattern or time zone. */
export function startSchedule(options: ScheduleOptions): Schedule {
  const { logger } = options;
  const print = options.print ?? ((text: string) => void process.stdout.write(text));
  let current: { controller: AbortController; done: Promise<void> } | undefined;
  let stopped = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const runOnce = async (): Promise<void> => {
    if (stopped || current) return;
    const controller = new AbortController();
    const workers = options.run.workers ?? Math.max(1, os.availableParallelism());
    const recognizer = options.deps?.makeRecognizer?.(workers);
    const work = (async () => {
      try {
        const progress = createProgress({ logger });
        const report = await runNightly({ ...options.run, logger, progress, signal: controller.signal, ...(recognizer ? { recognizer } : {}) }).finally(() => progress.finish());
        print(formatRunSummary(report));
      } catch (err) {
        if (isLeaseHeld(err)) logger.warn('run skipped: another run holds the lease', { reason: errorMessage(err) });
        else if (classifyError(err).action === 'stop-run') logger.error('run could not start; trying again at the next tick', { error: err });
        else logger.error('run failed unexpectedly; trying again at the next tick', { error: err });
      } finally {
        await recognizer?.close().catch(() => undefined);
      }
    })();
    current = { controller, done: work };
    try {
      await work;
    } finally {
      current = undefined;
      if (!stopped) logger.info('waiting for the next run', { nextRun: job.nextRun()?.toISOString() ?? null });
    }
  };

  let job: Cron;
  try {
    job = new Cron(
      options.cron,
      {
        ...(options.timezone ? { timezone: options.timezone } : {}),
        protect: () => logger.warn('tick skipped: the previous run is still going'),
        catch: (err: unknown) => logger.error('scheduled run failed', { error: errorMessage(err) }),
      },
      runOnce,
    );
    job.nextRun();
  } catch (err) {
    throw new ConfigError(`invalid --cron "${options.cron}"${options.timezone ? ` or --tz "${options.timezone}"` : ''}: ${errorMessage(err)}`);
  }

  return {
    done,
    nextRun: () => job.nextRun(),
    stop(reason = 'stopped') {
      if (stopped) return;
      stopped = true;
      job.stop();
      const running = current;
      if (running) {
        logger.info('stopping the run in progress', { reason });
        running.controller.abort(new InterruptedError(reason));
        void running.done.finally(() => resolveDone());
      } else {
        resolveDone();
      }
    },
  };
}

export function createScheduleCommand(deps: RunCommandDeps = {}): Command {
  return {
    name: 'schedule',
    summary: 'stay running and start `run` on a cron schedule (no overlapping runs)',
    help: HELP,
    async run(argv) {
      const { values, positionals } = parseCommandArgs(argv, { ...RUN_FLAGS, cron: { type: 'string' }, tz: { type: 'string' } });
      if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}"`);
      if (!values.cron) throw new ConfigError('--cron is required, e.g. --cron "0 2 * * *"');
      const run = runOptionsFromFlags(values);
      const logger = createJsonLogger();
      const schedule = startSchedule({ cron: values.cron, ...(values.tz ? { timezone: values.tz } : {}), run, logger, deps });
      logger.info('scheduler started', { cron: values.cron, tz: values.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone, nextRun: schedule.nextRun()?.toISOString() ?? null });
      const removeHandlers = onStopSignals(logger, (signal) => schedule.stop(`stopped by ${signal}`));
      try {
        await schedule.done;
      } finally {
        removeHandlers();
      }
      logger.info('scheduler stopped');
      return 0;
    },
  };
}

export const scheduleCommand: Command = createScheduleCommand();
