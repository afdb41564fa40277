/**
 * A document's failure as the run and `ingest` record it: what failed, whose fault it was, how it
 * counts (FAULT_POLICY in src/errors.ts), and its error.json. The attempt count is computed here
 * once, and the same number goes into error.json and _state.
 */
import { FAULT_POLICY, isGivenUp, throwIfRunMustStop, type Fault, type NewsprintError, type Stage } from '../errors.js';
import type { Logger } from '../logger.js';
import { SCHEMA_VERSION, type ErrorJson, type PipelineJson } from '../output/types.js';
import { writeErrorOutput } from '../stages/publish/index.js';
import type { Storage } from '../storage/types.js';

export interface DocumentFailure {
  readonly stage: string;
  readonly reason: string;
  readonly fault: Fault;
  /** Infrastructure trouble (the store after its retries): not the document's fault, not counted. */
  readonly transient: boolean;
}

/** A classified error as its document's failure; `stage` where the error does not say. */
export function failureOf(typed: NewsprintError, stage: Stage): DocumentFailure {
  return { stage: typed.stage ?? stage, reason: typed.message, fault: typed.fault, transient: typed.fault === 'infrastructure' };
}

/**
 * Logs a document's failure: its reason, and for the faults somebody has to look into (engine, bug)
 * the error itself, which the logger writes with its stack and causes.
 */
export function logFailure(log: Logger, failure: DocumentFailure, typed: NewsprintError): void {
  const fields = { stage: failure.stage, reason: failure.reason, fault: failure.fault, transient: failure.transient };
  if (FAULT_POLICY[failure.fault].logStack) log.error('document failed', { ...fields, error: typed });
  else log.warn('document failed', fields);
}

export interface CountedFailure {
  /** Counted failures for these bytes and this pipeline, this one included. */
  readonly attempts: number;
  readonly givenUp: boolean;
}

/** How a failure counts after `previousAttempts` counted ones; null when its fault does not count. */
export function countFailure(previousAttempts: number, fault: Fault, maxAttempts: number): CountedFailure | null {
  if (!FAULT_POLICY[fault].countsAsAttempt) return null;
  const attempts = previousAttempts + 1;
  return { attempts, givenUp: isGivenUp(attempts, fault, maxAttempts) };
}

export interface ErrorJsonFacts {
  readonly documentId: string;
  readonly uri: string;
  readonly bytes?: number;
  readonly sha256?: string;
  readonly failure: DocumentFailure;
  readonly attempts: number;
  /** Only the nightly run decides this; `ingest` leaves it out. */
  readonly givenUp?: boolean;
  readonly pipeline: PipelineJson;
  readonly failedAt: string;
}

export function errorJsonFor(f: ErrorJsonFacts): ErrorJson {
  return {
    schemaVersion: SCHEMA_VERSION,
    documentId: f.documentId,
    source: { uri: f.uri, ...(f.bytes !== undefined ? { bytes: f.bytes } : {}), ...(f.sha256 !== undefined ? { sha256: f.sha256 } : {}) },
    stage: f.failure.stage,
    reason: f.failure.reason,
    fault: f.failure.fault,
    attempts: f.attempts,
    ...(f.givenUp !== undefined ? { givenUp: f.givenUp } : {}),
    pipeline: { version: f.pipeline.version, revision: f.pipeline.revision, fingerprint: f.pipeline.fingerprint },
    failedAt: f.failedAt,
  };
}

/** Writes error.json; a store that fails is logged (the run report still has the failure). */
export async function writeErrorJson(output: Storage, errorJson: ErrorJson, log: Logger): Promise<void> {
  try {
    await writeErrorOutput(output, errorJson);
  } catch (err) {
    throwIfRunMustStop(err);
    log.error('could not write error.json', { error: err });
  }
}
