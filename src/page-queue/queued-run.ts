/**
 * What `ingest` and `run` need to send their pages through the queue instead of a local pool: the
 * submitter's PageRunner and checkpoints (the pages come back in them), and for `ingest`, which has
 * no lease, the document claims that make one submitter the publisher of each document.
 */
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EngineChoice } from '../ocr/engines.js';
import type { PipelineJson } from '../output/types.js';
import { createCheckpoints, type PageCheckpoints } from '../pipeline/checkpoints.js';
import type { PageRunner } from '../pipeline/document-pages.js';
import type { TextSourceChoice } from '../pipeline/page-job.js';
import type { Storage } from '../storage/types.js';
import { DocumentClaims } from './claims.js';
import { parseQueueUrl } from './connection.js';
import { PageSubmitter, SUBMIT_DEFAULTS } from './submit.js';

export interface QueueOptions {
  /** redis://host:port[/db] */
  readonly url: string;
  /** Documents whose pages are queued at once. Default 16. */
  readonly documentsInFlight?: number;
  /** Tries of a page before its document fails. Default 3. */
  readonly maxAttempts?: number;
  /** First backoff between a page's tries, ms. Default 5 s. */
  readonly backoffMs?: number;
  /** Each waiting page's state is read at least this often, ms (events wake it sooner). Default 10 s. */
  readonly pollMs?: number;
  /** A claim on a document not renewed this long is taken over. Default 30 s. */
  readonly claimTtlMs?: number;
}

export const QUEUE_DEFAULTS = Object.freeze({ documentsInFlight: 16, maxAttempts: 3, claimTtlMs: 30_000 });

export interface QueuedPages {
  readonly runPages: PageRunner;
  readonly checkpoints: PageCheckpoints;
  readonly claims: DocumentClaims;
  readonly documentsInFlight: number;
  close(): Promise<void>;
}

export async function openQueuedPages(
  queue: QueueOptions,
  run: { readonly engine: EngineChoice; readonly output: Storage; readonly outputLocation: string; readonly pipeline: PipelineJson; readonly textSource: TextSourceChoice; readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<QueuedPages> {
  const url = parseQueueUrl(queue.url);
  const documentsInFlight = queue.documentsInFlight ?? QUEUE_DEFAULTS.documentsInFlight;
  const maxAttempts = queue.maxAttempts ?? QUEUE_DEFAULTS.maxAttempts;
  if (!Number.isInteger(documentsInFlight) || documentsInFlight < 1) throw new ConfigError(`documents in flight must be a positive integer, got ${documentsInFlight}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new ConfigError(`--max-attempts must be a positive integer, got ${maxAttempts}`);
  const submitter = await PageSubmitter.open({
    queue: url,
    engine: run.engine,
    // The workers resolve the location as given; a relative folder would be theirs, not ours.
    output: run.outputLocation,
    fingerprint: run.pipeline.fingerprint,
    textSource: run.textSource,
    maxAttempts,
    logger: run.logger,
    ...(queue.backoffMs !== undefined ? { backoffMs: queue.backoffMs } : {}),
    ...(queue.pollMs !== undefined ? { pollMs: queue.pollMs } : {}),
  });
  const claims = new DocumentClaims(submitter.redis, {
    ttlMs: queue.claimTtlMs ?? QUEUE_DEFAULTS.claimTtlMs,
    pollMs: queue.pollMs ?? SUBMIT_DEFAULTS.pollMs,
    logger: run.logger,
    ...(run.signal ? { signal: run.signal } : {}),
  });
  return {
    runPages: submitter.runner(),
    checkpoints: createCheckpoints(run.output, run.pipeline, run.logger),
    claims,
    documentsInFlight,
    close: () => submitter.close(),
  };
}

