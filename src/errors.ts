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

export type FailureAction = 'retry' | 'skip-document' | 'stop-run';

export interface ErrorOptions {
  readonly cause?: unknown;
  readonly stage?: Stage;
}

export abstract class NewsprintError extends Error {
  abstract readonly action: FailureAction;
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
}

/** The input itself is unusable (corrupt, encrypted, empty, unknown format): skip this document. */
export class InputError extends NewsprintError {
  readonly action = 'skip-document' as const;
}

/** The run cannot go on (bad configuration, no access to the store, lease held): stop. */
export class CriticalError extends NewsprintError {
  readonly action = 'stop-run' as const;
}

/** Another runner holds the output's lease: this run must not start (src/pipeline/lease.ts). */
export class LeaseHeldError extends CriticalError {}

/** This run's lease expired or was taken over while it ran: it must stop writing. */
export class LeaseLostError extends CriticalError {}

/**
 * The run is stopping (a signal, a lost lease): work not yet started is left for the next run. Not a
 * failure of any document.
 */
export class InterruptedError extends CriticalError {}

/** A page took longer than the per-page limit: the document fails this time (retried on a later run). */
export class PageTimeoutError extends InputError {}

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
 * The one place that turns any thrown value into a typed error. Unknown errors default to
 * skip-document: a bug on one page must not take the whole run down, and must not be retried forever.
 */
export function classifyError(err: unknown, stage?: Stage): NewsprintError {
  if (err instanceof NewsprintError) return err;
  const message = errorMessage(err);
  if (isTransient(err)) return new RetryableError(message, { cause: err, stage });
  return new InputError(message, { cause: err, stage });
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
