/**
 * The end of a pass: removes checkpoints nobody will use, those of documents that are published or
 * up to date, of inputs no longer listed, and of older bytes of an input. Keeps those a later run
 * can resume (./run-ledger.ts `keepCheckpoints`).
 */
import { throwIfRunMustStop } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/types.js';
import { CHECKPOINTS_PREFIX, listAllKeys } from './checkpoints.js';
import type { PlanItem } from './plan.js';
import type { RunLedger } from './run-ledger.js';

/** Returns how many checkpoints were removed. */
export async function sweepCheckpoints(output: Storage, plan: readonly PlanItem[], ledger: RunLedger, logger: Logger): Promise<number> {
  const listedIds = new Set(plan.map((p) => p.documentId));
  let removed = 0;
  try {
    for (const key of await listAllKeys(output, CHECKPOINTS_PREFIX)) {
      const [, documentId, sha] = key.split('/');
      if (documentId === undefined || sha === undefined) continue;
      const keep = ledger.keepCheckpoints.get(documentId);
      const stale =
        !listedIds.has(documentId) || // the input is gone
        ledger.finished.has(documentId) || // published or up to date
        (typeof keep === 'string' && keep !== sha); // older bytes of an input not finished yet
      if (!stale) continue;
      await output.delete(key);
      removed++;
    }
  } catch (err) {
    throwIfRunMustStop(err);
    logger.warn('could not sweep checkpoints', { error: err });
  }
  if (removed > 0) logger.info('stale checkpoints removed', { removed });
  return removed;
}
