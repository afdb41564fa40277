/** The nightly run's options, their defaults and their checks. */
import type { ExportOptions } from '../stages/publish/exports.js';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EngineChoice } from '../ocr/engines.js';
import type { Recognizer } from '../ocr/types.js';
import type { QueueOptions } from '../page-queue/queued-run.js';
import type { PipelineEvents } from './events.js';
import type { TextSourceChoice } from './page-job.js';

export interface RunOptions {
  /** Folder or s3://bucket/prefix: every object under it is an input. Never written. */
  readonly input: string;
  /** Folder or s3://bucket/prefix for outputs, state, checkpoints, reports and the lease. */
  readonly output: string;
  /** OCR workers. Default: number of cores. */
  readonly workers?: number;
  /** Where page text comes from: `auto` (default), `ocr` or `pdf`. */
  readonly textSource?: TextSourceChoice;
  /** ALTO, METS, IIIF beside the JSON. Default json, alto, mets. */
  readonly exports?: ExportOptions;
  /** A document that failed this many counted times (same bytes, same pipeline) is given up. Default 3. */
  readonly maxAttempts?: number;
  /** Per-page limit, ms. Default 600 000 (10 min). */
  readonly pageTimeoutMs?: number;
  /** Lease expiry without heartbeat, ms. Default 120 000. */
  readonly leaseTtlMs?: number;
  /** Wait before confirming the lease, ms. Default 1000. */
  readonly leaseSettleMs?: number;
  /** Document ids to try once more although they were given up. */
  readonly retry?: readonly string[];
  readonly s3Endpoint?: string;
  readonly forcePathStyle?: boolean;
  /** S3 idle timeout of one request, ms. Default 60 000. */
  readonly s3TimeoutMs?: number;
  readonly logger?: Logger;
  /** Told of every document and page (src/cli/progress.ts shows them). Default: nobody. */
  readonly progress?: PipelineEvents;
  /** The OCR engine. Default tesseract. */
  readonly engine?: EngineChoice;
  /** A recogniser to use instead of a fresh pool of `engine` (not closed by the run). */
  readonly recognizer?: Recognizer;
  /** Stops the run gracefully. */
  readonly signal?: AbortSignal;
  /** Default: the start time and 4 random hex digits, e.g. 20240102T020000Z-1a2b. */
  readonly runId?: string;
  /** Pages go to queue workers (`newsprint worker`) instead of a pool in this process. */
  readonly queue?: QueueOptions;
  /** Keys per listing request. Default 1000 (the S3 maximum); tests make it small to page. */
  readonly listPageSize?: number;
}

export const RUN_DEFAULTS = Object.freeze({ maxAttempts: 3, pageTimeoutMs: 600_000, leaseTtlMs: 120_000 });

export interface RunSettings {
  readonly workers: number;
  readonly maxAttempts: number;
  readonly pageTimeoutMs: number;
  readonly leaseTtlMs: number;
}

/** The options with their defaults; ConfigError for a bad value (before anything is opened). */
export function runSettings(options: RunOptions): RunSettings {
  const workers = options.workers ?? Math.max(1, os.availableParallelism());
  const maxAttempts = options.maxAttempts ?? RUN_DEFAULTS.maxAttempts;
  const pageTimeoutMs = options.pageTimeoutMs ?? RUN_DEFAULTS.pageTimeoutMs;
  const leaseTtlMs = options.leaseTtlMs ?? RUN_DEFAULTS.leaseTtlMs;
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`--workers must be a positive integer, got ${String(workers)}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new ConfigError(`--max-attempts must be a positive integer, got ${String(maxAttempts)}`);
  if (!(pageTimeoutMs > 0)) throw new ConfigError(`--page-timeout must be a positive number of seconds, got ${String(pageTimeoutMs / 1000)}`);
  if (!(leaseTtlMs >= 1000)) throw new ConfigError(`--lease-ttl must be at least 1 second, got ${String(leaseTtlMs / 1000)}`);
  return { workers, maxAttempts, pageTimeoutMs, leaseTtlMs };
}

export function newRunId(date = new Date()): string {
  return `${date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}
