/**
 * A page's failure as it travels from a worker to its submitter: BullMQ keeps only a message
 * (`failedReason`), so the worker writes the typed failure (fault, stage, reason) into it as JSON and
 * the submitter types it again (errorOfFault). What each fault means stays in src/errors.ts.
 */
import { errorOfFault, EngineError, type Fault, type NewsprintError, type Stage } from '../errors.js';

const FORMAT = 'newsprint.page-failure/1';
const FAULTS: ReadonlySet<string> = new Set<Fault>(['input', 'infrastructure', 'engine', 'bug']);

export function encodePageFailure(typed: NewsprintError, stage: Stage): string {
  return JSON.stringify({ format: FORMAT, fault: typed.fault, stage: typed.stage ?? stage, reason: typed.message });
}

/**
 * The typed error of a failed job. A reason the worker did not write is BullMQ's own: a job whose
 * worker died on it more often than allowed ("job stalled more than allowable limit"): an engine
 * fault, like a tesseract worker that crashes.
 */
export function decodePageFailure(failedReason: string | undefined, page: number): NewsprintError {
  try {
    const json = JSON.parse(failedReason ?? '') as { format?: unknown; fault?: unknown; stage?: unknown; reason?: unknown };
    if (json.format === FORMAT && typeof json.fault === 'string' && FAULTS.has(json.fault) && typeof json.reason === 'string') {
      return errorOfFault(json.fault as Fault, json.reason, typeof json.stage === 'string' ? (json.stage as Stage) : undefined);
    }
  } catch {
    // not ours: BullMQ's reason, below
  }
  return new EngineError(`page ${page}: its worker stopped while reading it too often (${failedReason ?? 'no reason given'})`, { stage: 'recognise' });
}
