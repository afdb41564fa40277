/**
 * The nightly run's handling of one planned input: what the plan could not settle (duplicate ids,
 * unsafe keys, bytes to compare, an output published by a run that died), then processing and
 * recording (./record-outcome.ts). Every error ends in the ledger; only a run-stopping one escapes.
 */
import { classifyError, InputVanishedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DocumentJson } from '../output/types.js';
import { articleKey, articlesPrefix, errorKey } from '../stages/publish/index.js';
import type { Storage } from '../storage/types.js';
import { clearCheckpoints, listAllKeys } from './checkpoints.js';
import type { DocumentContext } from './document.js';
import { sha256Hex } from './document-json.js';
import { failureOf, logFailure } from './failure.js';
import { actionOf, type PlanItem } from './plan.js';
import { previousAttemptsOf, processAndRecord, recordFailure, stateBase, type RecordContext } from './record-outcome.js';
import { entryFor, type RunLedger } from './run-ledger.js';
import type { DocumentRunEntry } from './run-report.js';
import { writeStateSafely } from './state.js';

export interface HandleContext {
  readonly input: Storage;
  readonly output: Storage;
  readonly context: DocumentContext;
  readonly ledger: RunLedger;
  readonly logger: Logger;
}

/** Acts on one planned input; resolves with its report entry (and records it). */
export async function handleDocument(item: PlanItem, h: HandleContext): Promise<DocumentRunEntry> {
  const log = h.logger.child({ documentId: item.documentId });
  const r: RecordContext = { output: h.output, ledger: h.ledger, pipeline: h.context.pipeline, log };
  let entry: DocumentRunEntry;
  try {
    entry = await handle(item, h, r, log);
  } catch (err) {
    // Trouble outside the document's processing (the store while recording, or a bug here).
    const typed = classifyError(err, 'storage');
    if (typed.action === 'stop-run') throw typed;
    const failure = failureOf(typed, 'storage');
    logFailure(log, failure, typed);
    entry = await recordFailure(item, failure, actionOf(item), { previousAttempts: previousAttemptsOf(item) }, r);
  }
  h.ledger.add(entry);
  return entry;
}

async function handle(item: PlanItem, h: HandleContext, r: RecordContext, log: Logger): Promise<DocumentRunEntry> {
  const { ledger } = h;
  const action = actionOf(item);
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);

  if (item.planError !== undefined) {
    // Its state could not be read: nothing may be recorded over it, whatever the fault.
    const failure = failureOf(item.planError, 'storage');
    ledger.fail({ documentId: item.documentId, uri: item.uri, ...failure, attempts: 0, givenUp: false });
    ledger.keepCheckpoints.set(item.documentId, null);
    return entryFor(item, 'failed', action, undefined, { error: failure, ms: ms() });
  }

  if (item.duplicateOf !== undefined) {
    const reason = `document id "${item.documentId}" is already used by the input "${item.duplicateOf}"; rename one of them`;
    log.warn('duplicate document id', { key: item.listed.key, other: item.duplicateOf });
    // Reported in every run, never recorded: the state and error.json are the first input's.
    const error = { stage: 'open', reason, fault: 'input', transient: false } as const;
    ledger.fail({ documentId: item.documentId, uri: item.uri, ...error, attempts: 1, givenUp: false });
    return entryFor(item, 'failed', action, undefined, { error, ms: ms() });
  }

  if (item.listed.unsafe !== undefined) {
    if (item.decision.kind === 'given-up') {
      ledger.noteGivenUp(item, item.state);
      return entryFor(item, 'given-up', action, undefined, { ms: ms() });
    }
    // An input fault like a corrupt scan: error.json and a failed state say why.
    const reason = `the key ${JSON.stringify(item.listed.key)} cannot be read safely (${item.listed.unsafe}); rename the object`;
    const failure = { stage: 'open', reason, fault: 'input', transient: false } as const;
    log.warn('document failed', { stage: 'open', reason, fault: 'input' });
    const entry = await recordFailure(item, failure, action, { bytes: item.listed.size, previousAttempts: previousAttemptsOf(item) }, r);
    return { ...entry, ms: ms() };
  }

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
      const typed = classifyError(err, 'open');
      if (typed.action === 'forget') return entryFor(item, 'vanished', action, undefined, { ms: ms() });
      if (typed.action === 'stop-run') throw typed;
      const failure = failureOf(typed, 'open');
      logFailure(log, failure, typed);
      return { ...(await recordFailure(item, failure, action, { previousAttempts: previousAttemptsOf(item) }, r)), ms: ms() };
    }
    sha256 = sha256Hex(bytes);
  }

  if (item.published && (!item.published.verify || sha256 === item.published.doc.source.sha256)) {
    await recover(item, item.published.doc, r);
    ledger.finished.add(item.documentId);
    return entryFor(item, 'done', action, undefined, { recovered: true, articles: item.published.doc.articles.length, pages: item.published.doc.pages.length, ms: ms() });
  }

  if (decision.kind === 'verify') {
    const same = sha256 === decision.sha256;
    decision = same ? decision.same : { kind: 'process', reason: 'changed', previousAttempts: 0 };
    if (same && item.state && (decision.kind === 'up-to-date' || decision.kind === 'given-up')) {
      // Same bytes under a new etag (a copy, a re-upload): remember the etag, redo nothing.
      const { format: _f, updatedAt: _u, ...rest } = item.state;
      await writeStateSafely(h.output, { ...rest, source: { ...rest.source, ...(item.listed.etag !== undefined ? { etag: item.listed.etag } : {}) }, runId: ledger.runId }, log);
      if (decision.kind === 'given-up') {
        ledger.noteGivenUp(item, item.state);
        return entryFor(item, 'given-up', action, undefined, { ms: ms() });
      }
      ledger.finished.add(item.documentId);
      return entryFor(item, 'unchanged', action, undefined, { ms: ms() });
    }
  }
  if (decision.kind !== 'process') throw new Error(`unexpected plan for ${item.documentId}: ${decision.kind}`);
  return processAndRecord(item, decision, { read, ...(bytes ? { bytes } : {}) }, h.context, r);
}

/**
 * An earlier run published document.json for these bytes and stopped before recording it: finish
 * its bookkeeping (stale error.json and article files, state, checkpoints) without processing.
 */
async function recover(item: PlanItem, doc: DocumentJson, r: RecordContext): Promise<void> {
  const { output, log } = r;
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
  await writeStateSafely(output, { ...stateBase(item, source, r), status: 'done', attempts: item.state?.attempts ?? 0 }, log);
  await clearCheckpoints(output, item.documentId);
}
