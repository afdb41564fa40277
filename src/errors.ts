/**
 * Errors typed by what the caller must do. The decision "retry, skip the document, or stop the run"
 * is made here and nowhere else: callers catch, call `classifyError`, and act on `action`.
 */
export type Stage =
  | 'open'
  | 'rasterise'
  | 'preprocess'
  | 'layout'
  | 'recognise'
  | 'assemble'
  | 'publish'
  | 'storage'
  | 'config';

/**
 * What the caller must do with the error:
 * retry: the same call may succeed later (the store after its backoff: the document is left for the next run);
 * skip-document: this document failed, the run goes on;
 * stop-run: the run cannot go on;
 * leave: the run is stopping, the document is left for the next run (not a failure);
 * forget: the input went away, there is nothing to record.
 */
export type FailureAction = 'retry' | 'skip-document' | 'stop-run' | 'leave' | 'forget';

/**
 * Whose fault a failure is, which decides what happens to the document (FAULT_POLICY):
 * input: the scan is bad; infrastructure: the store, the network, the machine; engine: the OCR
 * engine crashed or hung; bug: anything unexpected (a TypeError...), i.e. newsprint's own fault.
 */
export type Fault = 'input' | 'infrastructure' | 'engine' | 'bug';

export interface FaultPolicy {
  /** Tried again within the same call with backoff (the storage drivers do it; src/retry.ts). */
  readonly retriedWithBackoff: boolean;
  /** Counts against --max-attempts, and is written to error.json and _state. */
  readonly countsAsAttempt: boolean;
  /** Given up at the first failure: the same bytes would fail the same way. */
  readonly givenUpAtOnce: boolean;
  /** Logged with the stack and causes: somebody has to look at the code or the engine. */
  readonly logStack: boolean;
}

/**
 * The one table of what each fault means for a document; README "Failures, retries, giving up"
 * says the same. An input fault is final for those bytes at once: nothing in the next run is
 * different (same bytes, same pipeline), so trying again only costs time. Engine and bug faults may
 * be flukes (a worker that ran out of memory, a race), so they get --max-attempts tries; an
 * infrastructure fault is nobody's fault of the document's and never counts, so a document is
 * never given up because the store was down.
 */
export const FAULT_POLICY: Readonly<Record<Fault, FaultPolicy>> = Object.freeze({
  input: { retriedWithBackoff: false, countsAsAttempt: true, givenUpAtOnce: true, logStack: false },
  infrastructure: { retriedWithBackoff: true, countsAsAttempt: false, givenUpAtOnce: false, logStack: false },
  engine: { retriedWithBackoff: false, countsAsAttempt: true, givenUpAtOnce: false, logStack: true },
  bug: { retriedWithBackoff: false, countsAsAttempt: true, givenUpAtOnce: false, logStack: true },
});

export interface ErrorOptions {
  readonly cause?: unknown;
  readonly stage?: Stage;
}

export abstract class NewsprintError extends Error {
  abstract readonly action: FailureAction;
  abstract readonly fault: Fault;
  readonly stage: Stage | undefined;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.stage = options.stage;
  }
}

/** Transient trouble (network reset, 5xx, throttling, timeout): the same call may succeed later. */
export class RetryableError extends NewsprintError {
  readonly action = 'retry' as const;
  readonly fault = 'infrastructure' as const;
}

/** The input itself is unusable (corrupt, encrypted, empty, unknown format): skip this document. */
export class InputError extends NewsprintError {
  readonly action = 'skip-document' as const;
  readonly fault = 'input' as const;
}

/**
 * The OCR engine failed on a page (a worker crashed, or did not answer in time): this document
 * fails this time and is tried again on a later run, up to --max-attempts.
 */
export class EngineError extends NewsprintError {
  readonly action = 'skip-document' as const;
  readonly fault = 'engine' as const;
}

/**
 * Something newsprint did not expect (a TypeError, a broken invariant): a bug, not the scan's fault.
 * The document fails this time; its stack is logged.
 */
export class BugError extends NewsprintError {
  readonly action = 'skip-document' as const;
  readonly fault = 'bug' as const;
}

/** The run cannot go on (bad configuration, no access to the store, lease held): stop. */
export class CriticalError extends NewsprintError {
  readonly action = 'stop-run' as const;
  readonly fault = 'infrastructure' as const;
}

/** Another runner holds the output's lease: this run must not start (src/pipeline/lease.ts). */
export class LeaseHeldError extends CriticalError {}

/** This run's lease expired or was taken over while it ran: it must stop writing. */
export class LeaseLostError extends CriticalError {}

/**
 * The run is stopping (a signal, a lost lease): work not yet started is left for the next run. Not a
 * failure of any document.
 */
export class InterruptedError extends NewsprintError {
  readonly action = 'leave' as const;
  readonly fault = 'infrastructure' as const;
}

/** The input disappeared between listing and reading: nothing to record, the next listing will tell. */
export class InputVanishedError extends NewsprintError {
  readonly action = 'forget' as const;
  readonly fault = 'input' as const;
}

/**
 * The input is no longer the bytes it was when it was listed or queued (another etag, size or
 * sha256): those bytes are gone as surely as a deleted input, and a read must not mix two versions.
 * The storage drivers' ranged reads raise it on a failed If-Match (S3's 412) or a changed etag; it
 * is handled exactly as InputVanishedError (an input fault, never retried: the next run lists the
 * new bytes).
 */
export class InputChangedError extends InputVanishedError {}

/**
 * A page took longer than --page-timeout. An engine fault, so it counts as an attempt: newsprint
 * cannot tell a hung engine from a slow machine, the limit (10 minutes by default) is a hundred
 * times a normal page, and a page that always hangs the engine must be given up like one that always
 * crashes it instead of being retried every night. A machine that was only slow once loses one of
 * its --max-attempts tries, and the next run resumes from the pages checkpointed.
 */
export class PageTimeoutError extends EngineError {}

/**
 * What a crashed recognition comes out as, whichever engine crashed: an engine fault (it counts as an
 * attempt; a document that crashes the engine every time is given up after --max-attempts), never a
 * transient error that would be retried every night. The pool retires the worker or session; other
 * pages go on with fresh ones.
 */
export function engineCrash(err: unknown): EngineError {
  return new EngineError(`OCR failed: ${errorMessage(err)}`, { cause: err, stage: 'recognise' });
}

/** Bad option or argument given by the user; a CriticalError that the CLI prints without a stack. */
export class ConfigError extends CriticalError {
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { stage: 'config', ...options });
  }
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'InternalError',
  'ServiceUnavailable',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
}

/** True when an unknown error (AWS SDK, Node net, fetch) is transient. */
export function isTransient(err: unknown): boolean {
  if (err instanceof NewsprintError) return err.action === 'retry';
  if (typeof err !== 'object' || err === null) return false;
  const e = err as ErrorLike;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429 || status === 408)) return true;
  for (const v of [e.code, e.name]) if (typeof v === 'string' && RETRYABLE_CODES.has(v)) return true;
  return false;
}

/**
 * The one place that turns any thrown value into a typed error, and so into one of the four faults
 * (`fault`, policy in FAULT_POLICY) and what the caller must do (`action`). Newsprint's own errors
 * keep their type; a transient store or network error is infrastructure; anything else nobody
 * typed (TypeError, RangeError, a string) is a bug, never the scan's fault: the stages type their
 * input errors where they know the input is to blame.
 */
export function classifyError(err: unknown, stage?: Stage): NewsprintError {
  if (err instanceof NewsprintError) return err;
  const message = errorMessage(err);
  if (isTransient(err)) return new RetryableError(message, { cause: err, stage });
  return new BugError(message, { cause: err, stage });
}

/**
 * A failure typed in another process (a queue worker, src/page-queue/) as the typed error it was
 * there: only its fault, stage and message travel; what the fault means stays in FAULT_POLICY.
 */
export function errorOfFault(fault: Fault, message: string, stage?: Stage): NewsprintError {
  const options = stage === undefined ? {} : { stage };
  switch (fault) {
    case 'input':
      return new InputError(message, options);
    case 'engine':
      return new EngineError(message, options);
    case 'infrastructure':
      return new RetryableError(message, options);
    case 'bug':
      return new BugError(message, options);
  }
}

/**
 * An error already typed keeps its type (an inner stage knew better); any other thrown value is
 * typed by `type`, for a caller that knows whose fault it is (a PDF pdf.js cannot read is the scan's).
 */
export function keepTypedOr(err: unknown, type: (err: unknown) => NewsprintError): NewsprintError {
  return err instanceof NewsprintError ? err : type(err);
}

/**
 * Whether a document is given up after `attempts` counted failures, the last of them with
 * `lastFault`: at once for a fault given up at once, else after `maxAttempts`.
 */
export function isGivenUp(attempts: number, lastFault: Fault | undefined, maxAttempts: number): boolean {
  if (attempts > 0 && lastFault !== undefined && FAULT_POLICY[lastFault].givenUpAtOnce) return true;
  return attempts >= maxAttempts;
}

/**
 * For code that can carry on without what failed (a checkpoint, a state write, a sweep): rethrows
 * when the run must stop, so the caller only has to log the rest.
 */
export function throwIfRunMustStop(err: unknown): void {
  const typed = classifyError(err);
  if (typed.action === 'stop-run') throw typed;
}

/** The run stopped because its lease was lost (rather than by a signal). */
export function isLeaseLost(reason: unknown): boolean {
  return reason instanceof LeaseLostError;
}

/** A bad option or argument: the CLI exits 2. */
export function isUsageError(err: unknown): boolean {
  return err instanceof ConfigError;
}

/** The lease is held by another runner: the run did not start (the CLI exits 3). */
export function isLeaseHeld(err: unknown): boolean {
  return err instanceof LeaseHeldError;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
