/**
 * A document of `ingest --queue` under its claim (./claims.ts): the submitter that claims it
 * processes and publishes it (and removes its checkpoints once published); one that finds it
 * claimed waits and reports the holder's outcome without writing anything.
 */
import { classifyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PipelineJson } from '../output/types.js';
import { clearCheckpoints } from '../pipeline/checkpoints.js';
import { sha256Hex } from '../pipeline/document-json.js';
import type { DocumentOutcome } from '../pipeline/document.js';
import type { InputDocument } from '../pipeline/inputs.js';
import { documentKey, errorKey } from '../stages/publish/index.js';
import type { Storage } from '../storage/types.js';
import type { DocumentClaims } from './claims.js';

export async function processClaimed(
  input: InputDocument,
  output: Storage,
  claims: DocumentClaims,
  pipeline: PipelineJson,
  logger: Logger,
  process: (bytes?: Uint8Array) => Promise<DocumentOutcome>,
): Promise<DocumentOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await input.read();
  } catch {
    // Unreadable: nothing to claim; processing it again reports the failure as usual.
    return process();
  }
  const subject = { output: output.location, documentId: input.documentId, sha256: sha256Hex(bytes), fingerprint: pipeline.fingerprint };
  const claim = await claims.claim<DocumentOutcome>(subject, async (settled) => (await output.head(settled.status === 'done' ? documentKey(input.documentId) : errorKey(input.documentId))) !== null);
  if (claim.kind === 'settled') {
    logger.info('document settled by another submitter', { documentId: input.documentId, status: claim.settled.status });
    return { ...claim.settled.outcome, pagesProcessed: 0, pagesResumed: 0 };
  }
  let outcome: DocumentOutcome;
  try {
    outcome = await process(bytes);
  } catch (err) {
    await claim.release().catch(() => undefined);
    throw err;
  }
  if (outcome.status === 'done') {
    await clearCheckpoints(output, input.documentId).catch((err: unknown) => {
      logger.warn('could not remove checkpoints', { documentId: input.documentId, error: classifyError(err).message });
    });
  }
  if (outcome.status === 'done' || outcome.status === 'failed') await claim.settle({ status: outcome.status, outcome });
  else await claim.release();
  return outcome;
}
