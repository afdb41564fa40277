/**
 * `newsprint run`: one nightly pass (src/pipeline/run.ts). Also the flags and the signal handling
 * that `newsprint schedule` shares.
 */
import { parseTextSource, TEXT_SOURCE_HELP } from './text-source.js';
import { ENGINE_HELP, parseEngine } from '../ocr/engines.js';
import os from 'node:os';
import { ConfigError, errorMessage, InterruptedError, isLeaseHeld } from '../errors.js';
import { createJsonLogger, type Logger } from '../logger.js';
import type { Recognizer } from '../ocr/types.js';
import { formatRunSummary, newRunId, RUN_DEFAULTS, runNightly, type RunOptions } from '../pipeline/run.js';
import type { RunReport } from '../pipeline/run-report.js';
import { parseCommandArgs, positiveInt } from './args.js';
import { createProgress } from './progress.js';
import type { Command } from './main.js';
import { EXPORT_FLAGS, EXPORT_FLAGS_HELP, exportOptionsFromFlags } from './export-flags.js';
import { QUEUE_FLAGS, QUEUE_FLAGS_HELP, queueOptionsFromFlags } from './queue-flags.js';

/** Exit status of a run that found another runner's live lease. */
export const EXIT_LEASE_HELD = 3;

export const RUN_FLAGS = {
  input: { type: 'string' },
  output: { type: 'string' },
  workers: { type: 'string' },
  'max-attempts': { type: 'string' },
  'page-timeout': { type: 'string' },
  'lease-ttl': { type: 'string' },
  retry: { type: 'string', multiple: true },
  's3-endpoint': { type: 'string' },
  'path-style': { type: 'boolean' },
  'text-source': { type: 'string' },
  engine: { type: 'string' },
  ...EXPORT_FLAGS,
  ...QUEUE_FLAGS,
} as const;

export const RUN_FLAGS_HELP = `  --input <dir | s3://bucket/prefix>    where scans arrive; every object under it is an input, never modified
  --output <dir | s3://bucket/prefix>   where outputs, state, checkpoints, run reports and the lease go
  --workers <n>                         OCR workers (default: number of cores, here ${os.availableParallelism()})
  --max-attempts <n>                    give a document up after it failed this often (default ${RUN_DEFAULTS.maxAttempts})
  --page-timeout <seconds>              a page taking longer fails its document (default ${RUN_DEFAULTS.pageTimeoutMs / 1000})
  --lease-ttl <seconds>                 how long the lease outlives a runner that died (default ${RUN_DEFAULTS.leaseTtlMs / 1000})
  --retry <documentId>                  try a given-up document once more (repeatable)
  --s3-endpoint <url>                   S3-compatible endpoint (default: AWS_ENDPOINT_URL, else AWS)
  --path-style                          path-style S3 addressing (default on when an endpoint is given)
${ENGINE_HELP}
${TEXT_SOURCE_HELP}
${EXPORT_FLAGS_HELP}
${QUEUE_FLAGS_HELP}`;

const HELP = `usage: newsprint run --input <dir | s3://…> --output <dir | s3://…> [options]

One nightly pass: lists every input, skips those already done for this pipeline version and the
same bytes, processes the rest (resuming pages checkpointed by a run that was stopped), records
failures (retried on later runs up to --max-attempts), and writes <output>/_runs/<runId>.json.
Only one run at a time per output (a lease under <output>/_lease/).

options:
${RUN_FLAGS_HELP}
  -h, --help                            this text

SIGTERM or SIGINT stop the run gracefully: no new page starts, pages in flight finish and are
checkpointed, the report is written (status "interrupted"). A second signal exits at once.

exit status: 0 when the run completed (also when documents failed: see the report) or was stopped
by a signal; 1 when it could not complete (no access to the input or output, lease lost);
2 on a usage error; ${EXIT_LEASE_HELD} when another run holds the lease.
`;

export interface RunCommandDeps {
  /** Makes the recogniser of a run (closed by the caller); default: a tesseract pool per run. */
  readonly makeRecognizer?: (workers: number) => Recognizer;
}

type RunFlagValues = {
  input?: string | undefined;
  output?: string | undefined;
  workers?: string | undefined;
  'max-attempts'?: string | undefined;
  'page-timeout'?: string | undefined;
  'lease-ttl'?: string | undefined;
  retry?: string[] | undefined;
  's3-endpoint'?: string | undefined;
  'path-style'?: boolean | undefined;
  'text-source'?: string | undefined;
  engine?: string | undefined;
  formats?: string | undefined;
  'iiif-base'?: string | undefined;
  queue?: string | undefined;
  'documents-in-flight'?: string | undefined;
};

function positiveSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${flag} expects a positive number of seconds, got "${value}"`);
  return Math.round(n * 1000);
}

/** RunOptions from the shared flags (without logger, signal, recogniser). */
export function runOptionsFromFlags(values: RunFlagValues): RunOptions {
  if (!values.input) throw new ConfigError('--input is required (a folder or s3://bucket/prefix)');
  if (!values.output) throw new ConfigError('--output is required (a folder or s3://bucket/prefix)');
  const workers = positiveInt(values.workers, '--workers');
  const maxAttempts = positiveInt(values['max-attempts'], '--max-attempts');
  const pageTimeoutMs = positiveSeconds(values['page-timeout'], '--page-timeout');
  const leaseTtlMs = positiveSeconds(values['lease-ttl'], '--lease-ttl');
  const textSource = parseTextSource(values['text-source']);
  const engine = parseEngine(values.engine);
  const exports = exportOptionsFromFlags(values);
  const queue = queueOptionsFromFlags(values);
  return {
    input: values.input,
    output: values.output,
    ...(workers !== undefined ? { workers } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    ...(pageTimeoutMs !== undefined ? { pageTimeoutMs } : {}),
    ...(leaseTtlMs !== undefined ? { leaseTtlMs } : {}),
    ...(values.retry && values.retry.length > 0 ? { retry: values.retry } : {}),
    ...(values['s3-endpoint'] ? { s3Endpoint: values['s3-endpoint'] } : {}),
    ...(values['path-style'] ? { forcePathStyle: true } : {}),
    ...(textSource ? { textSource } : {}),
    ...(engine ? { engine } : {}),
    ...(exports ? { exports } : {}),
    ...(queue ? { queue } : {}),
  };
}

/**
 * Calls `onStop` on the first SIGTERM/SIGINT; a second one exits at once (130). Returns the
 * function that removes the handlers.
 */
export function onStopSignals(logger: Logger, onStop: (signal: NodeJS.Signals) => void): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.error('second signal: exiting now; pages in flight are lost, finished pages stay checkpointed', { signal });
      process.exit(130);
    }
    stopping = true;
    logger.warn('stopping gracefully: no new pages, pages in flight finish (send the signal again to exit at once)', { signal });
    onStop(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}

/** Exit status for a finished run. */
export function exitStatusOf(report: RunReport): number {
  return report.status === 'completed' || report.status === 'interrupted' ? 0 : 1;
}

export function createRunCommand(deps: RunCommandDeps = {}): Command {
  return {
    name: 'run',
    summary: 'one nightly pass: ingest what is new under an input location, resumable',
    help: HELP,
    async run(argv) {
      const { values, positionals } = parseCommandArgs(argv, RUN_FLAGS);
      if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}": use --input and --output`);
      const options = runOptionsFromFlags(values);
      const logger = createJsonLogger();
      const controller = new AbortController();
      const removeHandlers = onStopSignals(logger, (signal) => controller.abort(new InterruptedError(`stopped by ${signal}`)));
      const workers = options.workers ?? Math.max(1, os.availableParallelism());
      // Through the queue the workers read the pages; a test recogniser only lends its description.
      const recognizer = deps.makeRecognizer?.(workers);
      try {
        // The run id is chosen here so that the progress events log under it like the run's own lines.
        const runId = options.runId ?? newRunId();
        const progress = createProgress({ logger: logger.child({ runId }) });
        const report = await runNightly({ ...options, runId, logger, progress, signal: controller.signal, ...(recognizer ? { recognizer } : {}) }).finally(() => progress.finish());
        process.stdout.write(formatRunSummary(report));
        return exitStatusOf(report);
      } catch (err) {
        if (isLeaseHeld(err)) {
          process.stderr.write(`newsprint run: ${errorMessage(err)}\n`);
          return EXIT_LEASE_HELD;
        }
        throw err;
      } finally {
        removeHandlers();
        await recognizer?.close();
      }
    },
  };
}

export const runCommand: Command = createRunCommand();
