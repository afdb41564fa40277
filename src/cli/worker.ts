/**
 * `newsprint worker`: a long-running page worker of the queue (src/page-queue/worker.ts). The
 * process entry point for deployments is workers/page-worker.mjs (the same command).
 */
import os from 'node:os';
import { ConfigError } from '../errors.js';
import { createJsonLogger } from '../logger.js';
import { ENGINE_HELP, parseEngine } from '../ocr/engines.js';
import type { Recognizer } from '../ocr/types.js';
import { parseQueueUrl } from '../page-queue/connection.js';
import { startPageWorker, WORKER_DEFAULTS } from '../page-queue/worker.js';
import { DEFAULT_CHUNK_BYTES } from '../stages/rasterise/partial-file.js';
import { parseCommandArgs, positiveInt } from './args.js';
import type { Command } from './main.js';
import { onStopSignals } from './run.js';

const HELP = `usage: newsprint worker --queue <redis://host:6379[/db]> [--workers N] [options]

Takes page jobs queued by \`newsprint ingest|run … --queue\` (any number of workers on any number of
machines), reads each page and writes it to its checkpoint in the job's output store; the
submitter publishes the document once all its pages are there.

options:
  --queue <redis://…>          the Redis of the queue (rediss:// for TLS)
  --workers <n>                OCR workers of this process (default: cores, here ${os.availableParallelism()}); it takes
                               one page more than that at once, so the next is prepared while these are read
  --lock-duration <seconds>    a page whose worker stopped (killed, machine lost) is taken again by another
                               worker after this long (default ${WORKER_DEFAULTS.lockDurationMs / 1000})
${ENGINE_HELP}
                                     (a worker serves the queue of its engine only)
  --range-chunk <KiB>          a PDF in a store that serves ranges is fetched in chunks of this size, only
                               those of the page read (default ${DEFAULT_CHUNK_BYTES / 1024}; larger: fewer requests)
  --s3-endpoint <url>          S3-compatible endpoint (default: AWS_ENDPOINT_URL, else AWS)
  --path-style                 path-style S3 addressing (default on when an endpoint is given)
  -h, --help                   this text

SIGTERM or SIGINT: takes no new page, finishes the pages in flight (their checkpoints are written),
then exits 0. A second signal exits at once (its pages are taken again by other workers after
--lock-duration).
`;

export interface WorkerCommandDeps {
  /** Makes the worker's recogniser (closed by the caller); default: a tesseract pool. */
  readonly makeRecognizer?: (workers: number) => Recognizer;
}

export function createWorkerCommand(deps: WorkerCommandDeps = {}): Command {
  return {
    name: 'worker',
    summary: 'read queued pages (ingest/run --queue) on this machine until stopped',
    help: HELP,
    async run(argv) {
      const { values, positionals } = parseCommandArgs(argv, {
        queue: { type: 'string' },
        workers: { type: 'string' },
        'lock-duration': { type: 'string' },
        'range-chunk': { type: 'string' },
        's3-endpoint': { type: 'string' },
        'path-style': { type: 'boolean' },
        engine: { type: 'string' },
      });
      if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}"`);
      const queue = parseQueueUrl(values.queue);
      const workers = positiveInt(values.workers, '--workers') ?? Math.max(1, os.availableParallelism());
      const lockSeconds = values['lock-duration'] === undefined ? undefined : Number(values['lock-duration']);
      if (lockSeconds !== undefined && !(lockSeconds >= 1)) throw new ConfigError(`--lock-duration expects at least 1 second, got "${values['lock-duration']}"`);
      const chunkKib = positiveInt(values['range-chunk'], '--range-chunk');
      const engine = parseEngine(values.engine);
      const logger = createJsonLogger();
      const recognizer = deps.makeRecognizer?.(workers);
      const worker = await startPageWorker({
        queue,
        workers,
        logger,
        ...(recognizer ? { recognizer } : {}),
        ...(engine ? { engine } : {}),
        ...(lockSeconds !== undefined ? { lockDurationMs: Math.round(lockSeconds * 1000) } : {}),
        ...(chunkKib !== undefined ? { rangeChunkBytes: chunkKib * 1024 } : {}),
        ...(values['s3-endpoint'] ? { s3Endpoint: values['s3-endpoint'] } : {}),
        ...(values['path-style'] ? { forcePathStyle: true } : {}),
      });
      let removeHandlers = (): void => undefined;
      await new Promise<void>((resolve) => {
        removeHandlers = onStopSignals(logger, () => resolve());
      });
      try {
        await worker.close();
        await recognizer?.close();
      } finally {
        removeHandlers();
      }
      return 0;
    },
  };
}

export const workerCommand: Command = createWorkerCommand();
