/**
 * How the nightly run records what happened to a document: its state object, its error.json, the
 * run's ledger and checkpoints to keep. Every failure goes through `recordFailure`, which counts it
 * once (./failure.ts), so error.json and _state always say the same attempt number and fault.
 */
import { throwIfRunMustStop } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PipelineJson } from '../output/types.js';
import type { Storage } from '../storage/types.js';
import { clearCheckpoints } from './checkpoints.js';
import { processDocument, type DocumentContext, type DocumentOutcome } from './document.js';
import { countFailure, errorJsonFor, writeErrorJson, type DocumentFailure } from './failure.js';
import type { InputDocument } from './inputs.js';
import type { PlanItem } from './plan.js';
import { entryFor, type RunLedger } from './run-ledger.js';
import type { DocumentAction, DocumentRunEntry } from './run-report.js';
import { writeStateSafely, type NewDocumentState, type SourceIdentity, type StateDecision } from './state.js';

export interface RecordContext {
  readonly output: Storage;
  readonly ledger: RunLedger;
  readonly pipeline: PipelineJson;
  readonly log: Logger;
}

/** What the state says about the input besides status and attempts. */
export function stateBase(item: PlanItem, source: SourceIdentity, r: RecordContext): Omit<NewDocumentState, 'status' | 'attempts'> {
  return { documentId: item.documentId, key: item.listed.key, uri: item.uri, source, fingerprint: r.pipeline.fingerprint, pipelineVersion: r.pipeline.version, runId: r.ledger.runId };
}

/** Counted failures before this try. */
export function previousAttemptsOf(item: PlanItem): number {
  return item.decision.kind === 'process' ? item.decision.previousAttempts : (item.state?.attempts ?? 0);
}

export interface FailedInput {
  /** Size of the input as read (absent when it was not read) and its hash. */
  readonly bytes?: number;
  readonly sha256?: string;
  readonly previousAttempts: number;
  readonly outcome?: DocumentOutcome;
}

/**
 * Records a failure by its fault: a counted one writes error.json and the state with the same
 * attempt number, fault and time; an infrastructure one writes nothing (the document is not to
 * blame; what an earlier counted failure recorded stays) and is tried again next run.
 */
export async function recordFailure(item: PlanItem, failure: DocumentFailure, action: DocumentAction, input: FailedInput, r: RecordContext): Promise<DocumentRunEntry> {
  const { ledger, log } = r;
  const error = { stage: failure.stage, reason: failure.reason, fault: failure.fault, transient: failure.transient };
  const report = { documentId: item.documentId, uri: item.uri, stage: failure.stage, reason: failure.reason, fault: failure.fault, transient: failure.transient };
  ledger.keepCheckpoints.set(item.documentId, input.sha256 ?? null);
  const counted = countFailure(input.previousAttempts, failure.fault, ledger.maxAttempts);
  if (counted === null) {
    log.warn('document left for the next run; not counted as an attempt', { fault: failure.fault, stage: failure.stage, reason: failure.reason });
    ledger.fail({ ...report, attempts: input.previousAttempts, givenUp: false });
    return entryFor(item, 'failed', action, input.outcome, { error });
  }
  const { attempts, givenUp } = counted;
  const failedAt = new Date().toISOString();
  const identity: SourceIdentity = {
    bytes: input.bytes ?? item.listed.size,
    ...(item.listed.etag !== undefined ? { etag: item.listed.etag } : {}),
    ...(input.sha256 !== undefined ? { sha256: input.sha256 } : {}),
  };
  const errorJson = errorJsonFor({ documentId: item.documentId, uri: item.uri, bytes: input.bytes, sha256: input.sha256, failure, attempts, givenUp, pipeline: r.pipeline, failedAt });
  await writeErrorJson(r.output, errorJson, log);
  const lastError = { stage: failure.stage, reason: failure.reason, fault: failure.fault, at: failedAt };
  await writeStateSafely(r.output, { ...stateBase(item, identity, r), status: 'failed', attempts, lastError }, log);
  ledger.fail({ ...report, attempts, givenUp });
  if (givenUp) log.warn('document given up', { attempts, maxAttempts: ledger.maxAttempts, fault: failure.fault });
  return entryFor(item, 'failed', action, input.outcome, { error, attempt: attempts });
}

/** Processes an input (the shared document code) and records the outcome. */
export async function processAndRecord(
  item: PlanItem,
  decision: Extract<StateDecision, { kind: 'process' }>,
  source: { readonly read: () => Promise<Uint8Array>; readonly bytes?: Uint8Array },
  context: DocumentContext,
  r: RecordContext,
): Promise<DocumentRunEntry> {
  const { ledger, output, log } = r;
  const previousAttempts = decision.previousAttempts;
  const attempt = previousAttempts + 1;
  const isS3 = item.uri.startsWith('s3://');
  const input: InputDocument = {
    documentId: item.documentId,
    uri: item.uri,
    size: item.listed.size,
    // Only S3 ETags go into document.json; a folder's etag (size-mtime-inode) stays in the state.
    ...(isS3 && item.listed.etag !== undefined ? { etag: item.listed.etag } : {}),
    read: source.read,
  };
  const outcome = await processDocument({ input, ...(source.bytes ? { bytes: source.bytes } : {}) }, context);
  const action: DocumentAction = decision.reason;

  switch (outcome.status) {
    case 'done': {
      const identity: SourceIdentity = {
        bytes: outcome.bytes ?? item.listed.size,
        ...(item.listed.etag !== undefined ? { etag: item.listed.etag } : {}),
        ...(outcome.sha256 !== undefined ? { sha256: outcome.sha256 } : {}),
      };
      const saved = await writeStateSafely(output, { ...stateBase(item, identity, r), status: 'done', attempts: previousAttempts }, log);
      if (saved) {
        ledger.finished.add(item.documentId);
        await clearCheckpoints(output, item.documentId).catch((err: unknown) => {
          throwIfRunMustStop(err);
          log.warn('could not remove checkpoints; the next run removes them', { error: err });
        });
      }
      return entryFor(item, 'done', action, outcome, { attempt });
    }
    case 'failed': {
      const failure = outcome.error ?? { stage: 'open', reason: 'unknown failure', fault: 'bug', transient: false };
      return recordFailure(item, failure, action, { bytes: outcome.bytes, sha256: outcome.sha256, previousAttempts, outcome }, r);
    }
    case 'vanished':
      ledger.finished.add(item.documentId);
      return entryFor(item, 'vanished', action, outcome);
    case 'interrupted':
      ledger.keepCheckpoints.set(item.documentId, outcome.sha256 ?? null);
      return entryFor(item, 'interrupted', action, outcome, { attempt });
  }
}
