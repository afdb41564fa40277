/**
 * The nightly run: one idempotent, resumable pass over an input location (S3 prefix or folder).
 *
 * 1. Take the output's lease (./lease.ts); another live runner → LeaseHeldError.
 * 2. List every object under the input (paginated). Names that are not safe keys and document ids
 *    that two inputs share are reported as failures of their own.
 * 3. Plan each input from its state object (./state.ts): up to date (skipped, nothing written),
 *    given up, or to process (new, changed, retry, pipeline changed, output missing). An input
 *    whose document.json already matches its bytes (an earlier run stopped after publishing) is
 *    recovered without processing.
 * 4. Process the rest with the same document code as `ingest` (./document.ts), with page
 *    checkpoints (./checkpoints.ts), a per-page timeout and the attempt count; record each outcome
 *    in the state object; remove the checkpoints of published documents.
 * 5. Write `_runs/<runId>.json` and release the lease.
 *
 * Inputs are only ever read. A signal stops the run: no new page starts, pages in flight finish and
 * are checkpointed, the report is written (status interrupted).
 */
import type { TextSourceChoice } from './page-job.js';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createProgress, type Progress } from '../cli/progress.js';
import { ConfigError, CriticalError, errorMessage, LeaseLostError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { TesseractPool } from '../ocr/tesseract-pool.js';
import type { Recognizer } from '../ocr/types.js';
import { SCHEMA_VERSION, type DocumentJson, type ErrorJson } from '../output/types.js';
import { articleKey, articlesPrefix, errorKey, writeErrorOutput } from '../stages/publish/index.js';
import { openStorage, parseLocation, type OpenStorageOptions } from '../storage/location.js';
import { compareKeys } from '../storage/keys.js';
import type { Storage } from '../storage/types.js';
import { PIPELINE_VERSION } from '../version.js';
import { CHECKPOINTS_PREFIX, clearCheckpoints, createCheckpoints, listAllKeys } from './checkpoints.js';
import { feedDocuments, InputVanishedError, pageLanes, processDocument, sha256Hex, type DocumentContext, type DocumentOutcome } from './document.js';
import { pipelineInfo } from './ingest.js';
import type { InputDocument } from './inputs.js';
import { acquireLease, type Lease } from './lease.js';
import { actionOf, excludedPrefix, listInputs, logPlan, needsWork, planAll, readOnly, type PlanItem } from './plan.js';
import type { ExportOptions } from '../stages/publish/exports.js';
import {
  formatRunSummary,
  runReportKey,
  type DocumentAction,
  type DocumentRunEntry,
  type FailureEntry,
  type GivenUpEntry,
  type RunCounts,
  type RunReport,
  type RunStatus,
} from './run-report.js';
import { writeStateSafely, type DocumentState, type StateDecision } from './state.js';

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
  /** A document that failed this many times (same bytes, same pipeline version) is given up. Default 3. */
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
  /** Default: a progress display on stderr. */
  readonly progress?: Progress;
  /** A recogniser to use instead of a fresh tesseract pool (not closed by the run). */
  readonly recognizer?: Recognizer;
  /** Stops the run gracefully. */
  readonly signal?: AbortSignal;
  /** Default: the start time and 4 random hex digits, e.g. 20240102T020000Z-1a2b. */
  readonly runId?: string;
  /** Keys per listing request. Default 1000 (the S3 maximum); tests make it small to page. */
  readonly listPageSize?: number;
}

export const RUN_DEFAULTS = Object.freeze({ maxAttempts: 3, pageTimeoutMs: 600_000, leaseTtlMs: 120_000 });

export function newRunId(date = new Date()): string {
  return `${date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

/**
 * One pass. Throws (CriticalError) when the run cannot start: bad options, no access to the output,
 * lease held. Otherwise resolves with the report, also when the run was stopped or could not finish
 * (`status` says which), after writing it to `_runs/<runId>.json`.
 */
export async function runNightly(options: RunOptions): Promise<RunReport> {
  const startedAt = new Date();
  const started = performance.now();
  const runId = options.runId ?? newRunId(startedAt);
  const logger = (options.logger ?? silentLogger).child({ runId });
  const workers = options.workers ?? Math.max(1, os.availableParallelism());
  const maxAttempts = options.maxAttempts ?? RUN_DEFAULTS.maxAttempts;
  const pageTimeoutMs = options.pageTimeoutMs ?? RUN_DEFAULTS.pageTimeoutMs;
  const leaseTtlMs = options.leaseTtlMs ?? RUN_DEFAULTS.leaseTtlMs;
  checkOptions(workers, maxAttempts, pageTimeoutMs, leaseTtlMs);
  const excluded = excludedPrefix(parseLocation(options.input), parseLocation(options.output));

  const storageOptions: OpenStorageOptions = {
    ...(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {}),
    ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    ...(options.s3TimeoutMs !== undefined ? { timeoutMs: options.s3TimeoutMs } : {}),
    logger,
  };
  const output = openStorage(options.output, storageOptions);
  const input = readOnly(openStorage(options.input, storageOptions));
  let lease: Lease | undefined;
  try {
    lease = await acquireLease(output, {
      runId,
      ttlMs: leaseTtlMs,
      logger,
      ...(options.leaseSettleMs !== undefined ? { settleMs: options.leaseSettleMs } : {}),
    });
    // One stop signal for the pass: the caller's (SIGTERM) or a lost lease.
    const stop = new AbortController();
    const onStop = (reason: unknown): void => {
      if (!stop.signal.aborted) stop.abort(reason);
    };
    const leaseLost = lease.lost;
    leaseLost.addEventListener('abort', () => onStop(leaseLost.reason), { once: true });
    const external = options.signal;
    if (external?.aborted) onStop(external.reason);
    external?.addEventListener('abort', () => onStop(external.reason), { once: true });

    const run = new RunState(runId, maxAttempts);
    let status: RunStatus = 'completed';
    let stopReason: string | undefined;
    let checkpointsRemoved = 0;
    try {
      logger.info('run started', { input: input.location, output: output.location, workers, maxAttempts, pageTimeoutMs });
      checkpointsRemoved = await executePass({ options, input, output, excluded, run, logger, workers, maxAttempts, pageTimeoutMs, signal: stop.signal });
    } catch (err) {
      // The run could not go on (no access, a store that kept failing): report what was done.
      if (!stop.signal.aborted) {
        status = 'aborted';
        stopReason = errorMessage(err);
        logger.error('run aborted', { error: stopReason });
      }
    }
    if (stop.signal.aborted && status === 'completed') {
      const reason = stop.signal.reason;
      status = reason instanceof LeaseLostError ? 'lease-lost' : 'interrupted';
      stopReason = reason instanceof Error ? reason.message : 'stopped by a signal';
    }
    const report = run.report({
      status,
      ...(stopReason !== undefined ? { stopReason } : {}),
      startedAt,
      wallMs: Math.round(performance.now() - started),
      input: input.location,
      output: output.location,
      owner: lease.record.owner,
      settings: { workers, maxAttempts, pageTimeoutS: pageTimeoutMs / 1000, leaseTtlS: leaseTtlMs / 1000 },
      checkpointsRemoved,
    });
    const written = await writeReport(output, report, logger);
    logger.info('run report written', { status, report: written.reportUri, ...report.counts });
    return written;
  } finally {
    await lease?.release().catch((err: unknown) => logger.warn('could not release the lease', { error: errorMessage(err) }));
    await input.dispose();
    await output.dispose();
  }
}

interface PassContext {
  readonly options: RunOptions;
  readonly input: Storage;
  readonly output: Storage;
  readonly excluded: string | null;
  readonly run: RunState;
  readonly logger: Logger;
  readonly workers: number;
  readonly maxAttempts: number;
  readonly pageTimeoutMs: number;
  readonly signal: AbortSignal;
}

/** List, plan, process, sweep. Returns the number of stale checkpoints removed. */
async function executePass(p: PassContext): Promise<number> {
  const { input, output, run, logger, signal } = p;
  const listed = await listInputs(input, p.excluded, logger, p.options.listPageSize);
  run.listed = listed.length;
  logger.info('inputs listed', { listed: listed.length });
  const plan = await planAll(listed, input, output, { maxAttempts: p.maxAttempts, retry: new Set(p.options.retry ?? []), logger, signal });
  logPlan(plan, logger);
  const work = plan.filter((item) => needsWork(item));
  for (const item of plan) if (!needsWork(item)) run.noteUnprocessed(item);
  if (work.length > 0) await processWork(work, p);
  return signal.aborted ? 0 : sweepCheckpoints(output, plan, run, logger);
}

/** Every planned input that needs work, through one page queue and one recogniser. */
async function processWork(work: readonly PlanItem[], p: PassContext): Promise<void> {
  const { input, output, run, logger, workers, signal } = p;
  // Made only when there is work: a night with nothing new starts no OCR engine.
  const recognizer = p.options.recognizer ?? new TesseractPool({ workers, logger });
  try {
    const textSource = p.options.textSource ?? 'auto';
    const pipeline = pipelineInfo(recognizer, workers, textSource);
    const { pageQueue, prepLane } = pageLanes(workers);
    const progress = p.options.progress ?? createProgress({ logger });
    const context: DocumentContext = {
      output,
      recognizer,
      pageQueue,
      prepLane,
      progress,
      pipeline,
      logger,
      stageMs: {},
      pageTimeoutMs: p.pageTimeoutMs,
      signal,
      checkpoints: createCheckpoints(output, pipeline, logger),
      textSource,
      ...(p.options.exports ? { exports: p.options.exports } : {}),
    };
    const handled = await feedDocuments(work, { pageQueue, workers, signal }, (item) => handleDocument(item, { input, output, context, run, logger }));
    handled.forEach((entry, i) => {
      const item = work[i];
      if (entry === undefined && item !== undefined) run.add(entryFor(item, 'not-started', actionOf(item)));
    });
    progress.finish();
  } finally {
    if (!p.options.recognizer) await recognizer.close().catch(() => undefined);
  }
}

export { formatRunSummary };

function checkOptions(workers: number, maxAttempts: number, pageTimeoutMs: number, leaseTtlMs: number): void {
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`--workers must be a positive integer, got ${String(workers)}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new ConfigError(`--max-attempts must be a positive integer, got ${String(maxAttempts)}`);
  if (!(pageTimeoutMs > 0)) throw new ConfigError(`--page-timeout must be a positive number of seconds, got ${String(pageTimeoutMs / 1000)}`);
  if (!(leaseTtlMs >= 1000)) throw new ConfigError(`--lease-ttl must be at least 1 second, got ${String(leaseTtlMs / 1000)}`);
}

function entryFor(item: PlanItem, status: DocumentRunEntry['status'], action: DocumentAction, outcome?: DocumentOutcome, extra: Partial<DocumentRunEntry> = {}): DocumentRunEntry {
  return {
    documentId: item.documentId,
    key: item.listed.key,
    uri: item.uri,
    action,
    status,
    pages: outcome?.pages ?? 0,
    pagesProcessed: outcome?.pagesProcessed ?? 0,
    pagesResumed: outcome?.pagesResumed ?? 0,
    articles: outcome?.articles ?? 0,
    ms: outcome?.ms ?? 0,
    ...(outcome?.error ? { error: outcome.error } : {}),
    ...extra,
  };
}

/** Collects what the run did, for the report. */
class RunState {
  listed = 0;
  private readonly entries: DocumentRunEntry[] = [];
  private readonly failures: FailureEntry[] = [];
  private readonly givenUp: GivenUpEntry[] = [];
  private upToDate = 0;
  /** documentId → sha256 of the bytes whose checkpoints must stay (not published yet); null: keep all. */
  readonly keepCheckpoints = new Map<string, string | null>();
  /** Documents whose every checkpoint can go. */
  readonly finished = new Set<string>();

  constructor(
    readonly runId: string,
    readonly maxAttempts: number,
  ) {}

  add(entry: DocumentRunEntry): void {
    this.entries.push(entry);
  }

  fail(entry: FailureEntry): void {
    this.failures.push(entry);
    if (entry.givenUp) this.givenUp.push({ documentId: entry.documentId, uri: entry.uri, attempts: entry.attempts, stage: entry.stage, reason: entry.reason, lastFailedAt: new Date().toISOString(), now: true });
  }

  noteGivenUp(item: PlanItem, state: DocumentState | null): void {
    this.givenUp.push({
      documentId: item.documentId,
      uri: item.uri,
      attempts: state?.attempts ?? 0,
      ...(state?.lastError ? { stage: state.lastError.stage, reason: state.lastError.reason, lastFailedAt: state.lastError.at } : {}),
      now: false,
    });
  }

  /** An input the plan left alone. */
  noteUnprocessed(item: PlanItem): void {
    if (item.decision.kind === 'given-up') {
      this.noteGivenUp(item, item.state);
      this.keepCheckpoints.set(item.documentId, null);
    } else {
      this.upToDate++;
      this.finished.add(item.documentId);
    }
  }

  report(meta: Omit<RunReport, 'format' | 'runId' | 'finishedAt' | 'counts' | 'documents' | 'failures' | 'givenUp' | 'pipelineVersion' | 'startedAt'> & { startedAt: Date }): RunReport {
    const order = new Map<string, number>();
    const e = this.entries.sort((a, b) => compareKeys(a.key, b.key));
    e.forEach((x, i) => order.set(x.documentId, i));
    const count = (status: DocumentRunEntry['status']): number => e.filter((x) => x.status === status).length;
    const counts: RunCounts = {
      listed: this.listed,
      upToDate: this.upToDate,
      processed: e.length,
      done: count('done'),
      unchanged: count('unchanged'),
      failed: count('failed'),
      givenUp: this.givenUp.length,
      interrupted: count('interrupted') + count('not-started'),
      badKeys: e.filter((x) => x.action === 'bad-key').length,
      pagesProcessed: e.reduce((s, x) => s + x.pagesProcessed, 0),
      pagesResumed: e.reduce((s, x) => s + x.pagesResumed, 0),
      articles: e.reduce((s, x) => s + (x.status === 'done' ? x.articles : 0), 0),
    };
    const { startedAt, ...rest } = meta;
    return {
      format: 'newsprint.run/1',
      runId: this.runId,
      ...rest,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      pipelineVersion: PIPELINE_VERSION,
      counts,
      documents: e,
      failures: [...this.failures].sort((a, b) => (order.get(a.documentId) ?? 0) - (order.get(b.documentId) ?? 0)),
      givenUp: [...this.givenUp].sort((a, b) => compareKeys(a.documentId, b.documentId)),
    };
  }
}

interface HandleContext {
  readonly input: Storage;
  readonly output: Storage;
  readonly context: DocumentContext;
  readonly run: RunState;
  readonly logger: Logger;
}

/** Acts on one planned input; resolves with its report entry (and records it). */
async function handleDocument(item: PlanItem, h: HandleContext): Promise<DocumentRunEntry> {
  let entry: DocumentRunEntry;
  try {
    if (item.planError !== undefined) throw new Error(item.planError);
    entry = await handle(item, h);
  } catch (err) {
    if (err instanceof CriticalError) throw err;
    // Storage trouble that outlasted its retries while recording: not the document's fault.
    const reason = errorMessage(err);
    h.logger.warn('document left for the next run', { documentId: item.documentId, error: reason });
    h.run.fail({ documentId: item.documentId, uri: item.uri, stage: 'storage', reason, attempts: item.state?.attempts ?? 0, transient: true, givenUp: false });
    h.run.keepCheckpoints.set(item.documentId, null);
    entry = entryFor(item, 'failed', actionOf(item), undefined, { error: { stage: 'storage', reason, transient: true } });
  }
  h.run.add(entry);
  return entry;
}

async function handle(item: PlanItem, h: HandleContext): Promise<DocumentRunEntry> {
  const { run, output } = h;
  const log = h.logger.child({ documentId: item.documentId });
  const action = actionOf(item);
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);

  if (item.duplicateOf !== undefined) {
    const reason = `document id "${item.documentId}" is already used by the input "${item.duplicateOf}"; rename one of them`;
    log.warn('duplicate document id', { key: item.listed.key, other: item.duplicateOf });
    const error = { stage: 'open', reason, transient: false };
    run.fail({ documentId: item.documentId, uri: item.uri, stage: 'open', reason, attempts: 1, transient: false, givenUp: false });
    return entryFor(item, 'failed', action, undefined, { error, ms: ms() });
  }

  if (item.listed.unsafe !== undefined) return badKey(item, h, log, ms);

  let decision = item.decision;
  const read = async (): Promise<Uint8Array> => {
    const bytes = await h.input.get(item.listed.key);
    if (bytes === null) throw new InputVanishedError(`${item.uri} was deleted after it was listed`, { stage: 'open' });
    return bytes;
  };
  let bytes: Uint8Array | undefined;
  let sha256: string | undefined;
  if (decision.kind === 'verify' || item.published?.verify) {
    try {
      bytes = await read();
    } catch (err) {
      if (err instanceof InputVanishedError) return entryFor(item, 'vanished', action, undefined, { ms: ms() });
      if (err instanceof CriticalError) throw err;
      const error = { stage: 'open', reason: errorMessage(err), transient: true };
      run.fail({ documentId: item.documentId, uri: item.uri, stage: 'open', reason: error.reason, attempts: item.state?.attempts ?? 0, transient: true, givenUp: false });
      run.keepCheckpoints.set(item.documentId, null);
      return entryFor(item, 'failed', action, undefined, { error, ms: ms() });
    }
    sha256 = sha256Hex(bytes);
  }

  if (item.published && (!item.published.verify || sha256 === item.published.doc.source.sha256)) {
    await recover(item, item.published.doc, output, log, run.runId);
    run.finished.add(item.documentId);
    return entryFor(item, 'done', action, undefined, { recovered: true, articles: item.published.doc.articles.length, pages: item.published.doc.pages.length, ms: ms() });
  }

  if (decision.kind === 'verify') {
    const same = sha256 === decision.sha256;
    decision = same ? decision.same : { kind: 'process', reason: 'changed', previousAttempts: 0 };
    if (same && item.state && (decision.kind === 'up-to-date' || decision.kind === 'given-up')) {
      // Same bytes under a new etag (a copy, a re-upload): remember the etag, redo nothing.
      const { format: _f, updatedAt: _u, ...rest } = item.state;
      await writeStateSafely(output, { ...rest, source: { ...rest.source, ...(item.listed.etag !== undefined ? { etag: item.listed.etag } : {}) }, runId: run.runId }, log);
      if (decision.kind === 'given-up') {
        run.noteGivenUp(item, item.state);
        run.keepCheckpoints.set(item.documentId, null);
        return entryFor(item, 'given-up', action, undefined, { ms: ms() });
      }
      run.finished.add(item.documentId);
      return entryFor(item, 'unchanged', action, undefined, { ms: ms() });
    }
  }
  if (decision.kind !== 'process') throw new Error(`unexpected plan for ${item.documentId}: ${decision.kind}`);
  return processAndRecord(item, decision, { read, ...(bytes ? { bytes } : {}) }, h, log);
}

/** Processes an input (the shared document code) and records the outcome in its state object. */
async function processAndRecord(
  item: PlanItem,
  decision: Extract<StateDecision, { kind: 'process' }>,
  source: { readonly read: () => Promise<Uint8Array>; readonly bytes?: Uint8Array },
  h: HandleContext,
  log: Logger,
): Promise<DocumentRunEntry> {
  const { run, output } = h;
  const { read, bytes } = source;
  const previousAttempts = decision.previousAttempts;
  const attempt = previousAttempts + 1;
  const isS3 = item.uri.startsWith('s3://');
  const input: InputDocument = {
    documentId: item.documentId,
    uri: item.uri,
    size: item.listed.size,
    // Only S3 ETags go into document.json; a folder's etag (size-mtime-inode) stays in the state.
    ...(isS3 && item.listed.etag !== undefined ? { etag: item.listed.etag } : {}),
    read,
  };
  const outcome = await processDocument({ input, ...(bytes ? { bytes } : {}) }, { ...h.context, attempt });
  const identity = {
    bytes: outcome.bytes ?? item.listed.size,
    ...(item.listed.etag !== undefined ? { etag: item.listed.etag } : {}),
    ...(outcome.sha256 !== undefined ? { sha256: outcome.sha256 } : {}),
  };
  const stateBase = { documentId: item.documentId, key: item.listed.key, uri: item.uri, source: identity, pipelineVersion: PIPELINE_VERSION, runId: run.runId };
  const finalAction: DocumentAction = decision.reason;

  switch (outcome.status) {
    case 'done': {
      const saved = await writeStateSafely(output, { ...stateBase, status: 'done', attempts: previousAttempts }, log);
      if (saved) {
        run.finished.add(item.documentId);
        await clearCheckpoints(output, item.documentId).catch((err: unknown) => {
          if (err instanceof CriticalError) throw err;
          log.warn('could not remove checkpoints; the next run removes them', { error: errorMessage(err) });
        });
      }
      return entryFor(item, 'done', finalAction, outcome, { attempt });
    }
    case 'failed': {
      const error = outcome.error ?? { stage: 'open', reason: 'unknown failure', transient: false };
      const attempts = error.transient ? previousAttempts : attempt;
      const givenUp = !error.transient && attempts >= run.maxAttempts;
      await writeStateSafely(output, { ...stateBase, status: 'failed', attempts, lastError: { stage: error.stage, reason: error.reason, at: new Date().toISOString() } }, log);
      run.fail({ documentId: item.documentId, uri: item.uri, stage: error.stage, reason: error.reason, attempts, transient: error.transient, givenUp });
      run.keepCheckpoints.set(item.documentId, outcome.sha256 ?? null);
      if (givenUp) log.warn('document given up', { attempts, maxAttempts: run.maxAttempts });
      return entryFor(item, 'failed', finalAction, outcome, { attempt });
    }
    case 'vanished':
      run.finished.add(item.documentId);
      return entryFor(item, 'vanished', finalAction, outcome);
    case 'interrupted':
      run.keepCheckpoints.set(item.documentId, outcome.sha256 ?? null);
      return entryFor(item, 'interrupted', finalAction, outcome, { attempt });
  }
}

/** An input whose key cannot be read safely: error.json and a failed state, like any bad input. */
async function badKey(item: PlanItem, h: HandleContext, log: Logger, ms: () => number): Promise<DocumentRunEntry> {
  const { run, output } = h;
  const action: DocumentAction = 'bad-key';
  const decision = item.decision;
  if (decision.kind === 'given-up') {
    run.noteGivenUp(item, item.state);
    return entryFor(item, 'given-up', action, undefined, { ms: ms() });
  }
  const previousAttempts = decision.kind === 'process' ? decision.previousAttempts : 0;
  const attempts = previousAttempts + 1;
  const reason = `the key ${JSON.stringify(item.listed.key)} cannot be read safely (${item.listed.unsafe ?? 'unsafe key'}); rename the object`;
  const error = { stage: 'open', reason, transient: false };
  const errorJson: ErrorJson = {
    schemaVersion: SCHEMA_VERSION,
    documentId: item.documentId,
    source: { uri: item.uri, bytes: item.listed.size },
    stage: 'open',
    reason,
    attempts,
    failedAt: new Date().toISOString(),
  };
  try {
    await writeErrorOutput(output, errorJson);
  } catch (err) {
    if (err instanceof CriticalError) throw err;
    log.error('could not write error.json', { error: errorMessage(err) });
  }
  const givenUp = attempts >= run.maxAttempts;
  await writeStateSafely(
    output,
    {
      documentId: item.documentId,
      key: item.listed.key,
      uri: item.uri,
      source: { bytes: item.listed.size, ...(item.listed.etag !== undefined ? { etag: item.listed.etag } : {}) },
      pipelineVersion: PIPELINE_VERSION,
      status: 'failed',
      attempts,
      lastError: { stage: 'open', reason, at: errorJson.failedAt },
      runId: run.runId,
    },
    log,
  );
  log.warn('document failed', { stage: 'open', reason });
  run.fail({ documentId: item.documentId, uri: item.uri, stage: 'open', reason, attempts, transient: false, givenUp });
  return entryFor(item, 'failed', action, undefined, { error, attempt: attempts, ms: ms() });
}

/**
 * An earlier run published document.json for these bytes and stopped before recording it: finish
 * its bookkeeping (stale error.json and article files, state, checkpoints) without processing.
 */
async function recover(item: PlanItem, doc: DocumentJson, output: Storage, log: Logger, runId: string): Promise<void> {
  log.info('document.json already published for these bytes; recording it', { documentId: item.documentId });
  await output.delete(errorKey(item.documentId));
  const current = new Set(doc.articles.map((a) => articleKey(item.documentId, a.id)));
  for (const key of await listAllKeys(output, articlesPrefix(item.documentId))) {
    if (!current.has(key)) await output.delete(key);
  }
  const source = {
    bytes: doc.source.bytes,
    ...(item.listed.etag !== undefined ? { etag: item.listed.etag } : {}),
    sha256: doc.source.sha256,
  };
  await writeStateSafely(
    output,
    { documentId: item.documentId, key: item.listed.key, uri: item.uri, source, pipelineVersion: PIPELINE_VERSION, status: 'done', attempts: item.state?.attempts ?? 0, runId },
    log,
  );
  await clearCheckpoints(output, item.documentId);
}

/**
 * Removes checkpoints nobody will use: those of documents that are published or up to date, of
 * inputs no longer listed, and of older bytes of an input. Keeps those a later run can resume.
 */
async function sweepCheckpoints(output: Storage, plan: readonly PlanItem[], run: RunState, logger: Logger): Promise<number> {
  const listedIds = new Set(plan.map((p) => p.documentId));
  let removed = 0;
  try {
    for (const key of await listAllKeys(output, CHECKPOINTS_PREFIX)) {
      const [, documentId, sha] = key.split('/');
      if (documentId === undefined || sha === undefined) continue;
      const keep = run.keepCheckpoints.get(documentId);
      const stale =
        !listedIds.has(documentId) || // the input is gone
        run.finished.has(documentId) || // published or up to date
        (typeof keep === 'string' && keep !== sha); // older bytes of an input not finished yet
      if (!stale) continue;
      await output.delete(key);
      removed++;
    }
  } catch (err) {
    if (err instanceof CriticalError) throw err;
    logger.warn('could not sweep checkpoints', { error: errorMessage(err) });
  }
  if (removed > 0) logger.info('stale checkpoints removed', { removed });
  return removed;
}

async function writeReport(output: Storage, report: RunReport, logger: Logger): Promise<RunReport> {
  const key = runReportKey(report.runId);
  const reportUri = `${output.location.endsWith('/') ? output.location : `${output.location}/`}${key}`;
  const withUri: RunReport = { ...report, reportUri };
  try {
    await output.put(key, `${JSON.stringify(withUri, null, 2)}\n`, { contentType: 'application/json' });
    return withUri;
  } catch (err) {
    logger.error('could not write the run report', { key, error: errorMessage(err) });
    return report;
  }
}
