/**
 * What the nightly run remembers about each input, one small object per document:
 *
 *   _state/<documentId>.json   {key, source {bytes, etag?, sha256?}, fingerprint, pipelineVersion, status, attempts, lastError?}
 *
 * It says which input bytes were last handled by which pipeline (its fingerprint,
 * ./fingerprint.ts) and how that went, so the
 * next run can skip what is done without reading document.json or the input, count failed attempts,
 * and leave a document alone once it is given up (after `maxAttempts` counted failures, or at once
for an input fault: FAULT_POLICY in src/errors.ts). Downstream systems
 * never read it; document.json stays the only contract.
 */
import { errorMessage, isGivenUp, throwIfRunMustStop, type Fault } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/types.js';

export const STATE_PREFIX = '_state/';
export const stateKey = (documentId: string): string => `${STATE_PREFIX}${documentId}.json`;
const FORMAT = 'newsprint.state/1';

export interface SourceIdentity {
  readonly bytes: number;
  readonly etag?: string;
  readonly sha256?: string;
}

export interface DocumentState {
  readonly format: typeof FORMAT;
  readonly documentId: string;
  /** The input's key relative to the input root, and its URI. */
  readonly key: string;
  readonly uri: string;
  readonly source: SourceIdentity;
  /** The pipeline that last handled these bytes; a state without one (older newsprint) is redone. */
  readonly fingerprint?: string;
  /** The package version then; recorded, not compared. */
  readonly pipelineVersion: string;
  /** done: published for these bytes; failed: its last try failed. */
  readonly status: 'done' | 'failed';
  /** Failed tries counted against --max-attempts for these bytes and this pipeline (as in error.json). */
  readonly attempts: number;
  readonly lastError?: { readonly stage: string; readonly reason: string; readonly fault?: Fault; readonly at: string };
  readonly updatedAt: string;
  readonly runId: string;
}

export type NewDocumentState = Omit<DocumentState, 'format' | 'updatedAt'>;

/** The state of `documentId`, or null when there is none or it cannot be read as one. */
export async function readState(storage: Storage, documentId: string, logger: Logger): Promise<DocumentState | null> {
  const bytes = await storage.get(stateKey(documentId));
  if (bytes === null) return null;
  try {
    const json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<DocumentState>;
    if (json.format !== FORMAT || json.documentId !== documentId || typeof json.attempts !== 'number' || !json.source) {
      throw new Error('not a state object of this version');
    }
    return json as DocumentState;
  } catch (err) {
    logger.warn('ignoring an unreadable state object', { documentId, error: errorMessage(err) });
    return null;
  }
}

export async function writeState(storage: Storage, state: NewDocumentState): Promise<void> {
  const full: DocumentState = { format: FORMAT, ...state, updatedAt: new Date().toISOString() };
  await storage.put(stateKey(state.documentId), `${JSON.stringify(full, null, 2)}\n`, { contentType: 'application/json' });
}

/** writeState that logs instead of throwing, except when the run cannot go on. */
export async function writeStateSafely(storage: Storage, state: NewDocumentState, logger: Logger): Promise<boolean> {
  try {
    await writeState(storage, state);
    return true;
  } catch (err) {
    throwIfRunMustStop(err);
    logger.error('could not write the document state; the next run will look again', { documentId: state.documentId, error: err });
    return false;
  }
}

/** Why a document is processed this run. */
export type ProcessReason = 'new' | 'changed' | 'retry' | 'pipeline-changed' | 'output-missing' | 'forced';

/** What the state alone says about an input as listed. */
export type StateDecision =
  | { readonly kind: 'up-to-date' }
  | { readonly kind: 'given-up'; readonly attempts: number }
  | { readonly kind: 'process'; readonly reason: ProcessReason; readonly previousAttempts: number }
  /**
   * Same size, but the etag differs or is missing: the bytes may be the same (a copy, a re-upload).
   * Read them: if their sha256 is `sha256`, `same` applies, else the input changed.
   */
  | { readonly kind: 'verify'; readonly sha256: string; readonly same: StateDecision };

export interface DecideOptions {
  /** This run's pipeline fingerprint. */
  readonly fingerprint: string;
  readonly maxAttempts: number;
  /** Give a given-up document one more try. */
  readonly forceRetry?: boolean;
}

/** Decides from the listing (size, etag) and the stored state alone; pure. */
export function decide(listed: { readonly size: number; readonly etag?: string }, state: DocumentState | null, options: DecideOptions): StateDecision {
  if (state === null) return { kind: 'process', reason: 'new', previousAttempts: 0 };
  if (state.fingerprint !== options.fingerprint) return { kind: 'process', reason: 'pipeline-changed', previousAttempts: 0 };
  if (state.source.bytes !== listed.size) return { kind: 'process', reason: 'changed', previousAttempts: 0 };
  const same = sameBytesDecision(state, options);
  if (listed.etag !== undefined && state.source.etag === listed.etag) return same;
  if (state.source.sha256 === undefined) return { kind: 'process', reason: 'changed', previousAttempts: 0 };
  return { kind: 'verify', sha256: state.source.sha256, same };
}

function sameBytesDecision(state: DocumentState, options: DecideOptions): StateDecision {
  if (state.status === 'done') return { kind: 'up-to-date' };
  if (options.forceRetry) return { kind: 'process', reason: 'forced', previousAttempts: state.attempts };
  if (isGivenUp(state.attempts, state.lastError?.fault, options.maxAttempts)) return { kind: 'given-up', attempts: state.attempts };
  return { kind: 'process', reason: 'retry', previousAttempts: state.attempts };
}
