/**
 * The queued page job: one page of one document, self-contained and versioned, so that a worker on
 * another machine runs it with nothing but the job, the object store and the same newsprint version.
 * A worker fetches the source by its URI (only the page's part of a PDF, each range checked against
 * `etag` and `bytes`; anything fetched whole checked against `sha256`: ./sources.ts), runs the page (src/pipeline/page-job.ts)
 * and writes the result to the page's checkpoint slot (src/pipeline/checkpoints.ts) under `output`.
 *
 * The job id is the dedup key: the same page of the same bytes for the same pipeline and output is
 * one job however many submitters add it.
 */
import { createHash } from 'node:crypto';
import { isSafeId } from '../output/document-id.js';
import { DEFAULT_ENGINE } from '../ocr/engines.js';
import type { TextSourceChoice } from '../pipeline/page-job.js';

export const PAGE_JOB_SCHEMA = 'newsprint.page-job/1';
/** The engine of a job that does not name one. */
export { DEFAULT_ENGINE };

export interface QueuedPageSource {
  /** `s3://bucket/key` or `file:///abs/path`: where the worker reads the input. */
  readonly uri: string;
  /** Of the whole input: the worker refuses other bytes. */
  readonly sha256: string;
  /** The store's ETag when it had one (S3). */
  readonly etag?: string;
  /** Size of the input. */
  readonly bytes: number;
}

export interface QueuedPageJob {
  readonly schema: typeof PAGE_JOB_SCHEMA;
  readonly documentId: string;
  readonly source: QueuedPageSource;
  /** 1-based page number. */
  readonly page: number;
  readonly textSource: TextSourceChoice;
  /** The recogniser the page is read with (`tesseract` unless said). */
  readonly engine: string;
  /** Pipeline fingerprint (src/pipeline/fingerprint.ts): a worker of another pipeline refuses the job. */
  readonly fingerprint: string;
  /** Output location (folder or s3://bucket/prefix) whose checkpoint slot gets the page. */
  readonly output: string;
  /** The document's attempt this job belongs to (the nightly run's count; 1 for `ingest`). */
  readonly attempt: number;
  /** Per-page time limit, ms; absent: none. */
  readonly pageTimeoutMs?: number;
  /** ISO time after which the page is no longer wanted (a worker drops it); null: no deadline. */
  readonly deadline: string | null;
}

/**
 * The job id: readable document id, then a hash of everything else that makes the page the same
 * page (input bytes, page, pipeline fingerprint, output). BullMQ ids may not contain ':'.
 */
export function pageJobId(job: Pick<QueuedPageJob, 'documentId' | 'source' | 'page' | 'fingerprint' | 'output'>): string {
  const hash = createHash('sha256').update([job.source.sha256, job.page, job.fingerprint, job.output].join('\n')).digest('hex').slice(0, 24);
  return `${job.documentId}.${hash}.p${job.page}`;
}

const TEXT_SOURCES: ReadonlySet<string> = new Set<TextSourceChoice>(['auto', 'ocr', 'pdf']);
const HEX64 = /^[0-9a-f]{64}$/u;

/**
 * A job's data as it came out of Redis, checked field by field. Unknown fields are dropped; a job of
 * another schema or a malformed one throws (the worker fails it without retrying).
 */
export function parsePageJob(data: unknown): QueuedPageJob {
  const problem = (what: string): Error => new Error(`not a ${PAGE_JOB_SCHEMA} job: ${what}`);
  if (typeof data !== 'object' || data === null) throw problem('not an object');
  const d = data as Record<string, unknown>;
  if (d['schema'] !== PAGE_JOB_SCHEMA) throw problem(`schema ${JSON.stringify(d['schema'])}`);
  const documentId = d['documentId'];
  if (typeof documentId !== 'string' || !isSafeId(documentId)) throw problem('documentId');
  const source = d['source'] as Record<string, unknown> | null | undefined;
  if (typeof source !== 'object' || source === null) throw problem('source');
  const { uri, sha256, etag, bytes } = source;
  if (typeof uri !== 'string' || !/^(s3|file):\/\//u.test(uri)) throw problem('source.uri');
  if (typeof sha256 !== 'string' || !HEX64.test(sha256)) throw problem('source.sha256');
  if (etag !== undefined && typeof etag !== 'string') throw problem('source.etag');
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0) throw problem('source.bytes');
  const page = d['page'];
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 1) throw problem('page');
  const textSource = d['textSource'] ?? 'auto';
  if (typeof textSource !== 'string' || !TEXT_SOURCES.has(textSource)) throw problem('textSource');
  const engine = d['engine'] ?? DEFAULT_ENGINE;
  if (typeof engine !== 'string' || engine === '') throw problem('engine');
  const fingerprint = d['fingerprint'];
  if (typeof fingerprint !== 'string' || !HEX64.test(fingerprint)) throw problem('fingerprint');
  const output = d['output'];
  if (typeof output !== 'string' || output === '') throw problem('output');
  const attempt = d['attempt'] ?? 1;
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) throw problem('attempt');
  const pageTimeoutMs = d['pageTimeoutMs'];
  if (pageTimeoutMs !== undefined && !(typeof pageTimeoutMs === 'number' && pageTimeoutMs > 0)) throw problem('pageTimeoutMs');
  const deadline = d['deadline'] ?? null;
  if (deadline !== null && (typeof deadline !== 'string' || Number.isNaN(Date.parse(deadline)))) throw problem('deadline');
  return {
    schema: PAGE_JOB_SCHEMA,
    documentId,
    source: { uri, sha256, ...(etag !== undefined ? { etag } : {}), bytes },
    page,
    textSource: textSource as TextSourceChoice,
    engine,
    fingerprint,
    output,
    attempt,
    ...(pageTimeoutMs !== undefined ? { pageTimeoutMs } : {}),
    deadline,
  };
}
