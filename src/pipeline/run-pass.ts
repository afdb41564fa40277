/**
 * One pass of the nightly run once it holds the lease: list the inputs, plan each (./plan.ts),
 * process those that need work through one page queue and one recogniser (./handle-document.ts),
 * then sweep stale checkpoints (./checkpoint-sweep.ts).
 */
import type { Logger } from '../logger.js';
import { DEFAULT_ENGINE } from '../ocr/engines.js';
import type { PipelineJson } from '../output/types.js';
import type { Storage } from '../storage/types.js';
import { sweepCheckpoints } from './checkpoint-sweep.js';
import type { DocumentContext } from './document.js';
import { silentEvents } from './events.js';
import { handleDocument } from './handle-document.js';
import { feedDocuments } from './page-lanes.js';
import { openRunPages } from './page-runner.js';
import { actionOf, listInputs, logPlan, needsWork, planAll, type PlanItem } from './plan.js';
import { entryFor, type RunLedger } from './run-ledger.js';
import type { RunOptions, RunSettings } from './run-options.js';

export interface PassContext {
  readonly options: RunOptions;
  readonly settings: RunSettings;
  readonly input: Storage;
  readonly output: Storage;
  /** Keys under the input that are the output's own. */
  readonly excluded: string | null;
  readonly pipeline: PipelineJson;
  readonly ledger: RunLedger;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/** List, plan, process, sweep. Returns the number of stale checkpoints removed. */
export async function executePass(p: PassContext): Promise<number> {
  const { input, output, ledger, logger, signal } = p;
  const listed = await listInputs(input, p.excluded, logger, p.options.listPageSize);
  ledger.listed = listed.length;
  logger.info('inputs listed', { listed: listed.length });
  const plan = await planAll(listed, input, output, {
    fingerprint: p.pipeline.fingerprint,
    maxAttempts: p.settings.maxAttempts,
    retry: new Set(p.options.retry ?? []),
    logger,
    signal,
  });
  logPlan(plan, logger);
  const work = plan.filter((item) => needsWork(item));
  for (const item of plan) if (!needsWork(item)) ledger.noteUnprocessed(item);
  if (work.length > 0) await processWork(work, p);
  return signal.aborted ? 0 : sweepCheckpoints(output, plan, ledger, logger);
}

/** Every planned input that needs work, through one page queue and one recogniser (or the queue's workers). */
async function processWork(work: readonly PlanItem[], p: PassContext): Promise<void> {
  const { input, output, ledger, logger, signal, pipeline } = p;
  const textSource = p.options.textSource ?? 'auto';
  const queue = p.options.queue;
  // Made only when there is work: a night with nothing new starts no OCR engine.
  const pages = await openRunPages({
    ...(queue ? { queue: { maxAttempts: p.settings.maxAttempts, ...queue } } : {}),
    ...(p.options.recognizer ? { recognizer: p.options.recognizer } : {}),
    engine: p.options.engine ?? DEFAULT_ENGINE,
    workers: p.settings.workers,
    output,
    pipeline,
    textSource,
    checkpoints: true,
    logger,
    signal,
  });
  try {
    const context: DocumentContext = {
      output,
      runPages: pages.runPages,
      ...(pages.checkpoints ? { checkpoints: pages.checkpoints } : {}),
      events: p.options.progress ?? silentEvents,
      pipeline,
      logger,
      stageMs: {},
      pageTimeoutMs: p.settings.pageTimeoutMs,
      signal,
      textSource,
      ...(p.options.exports ? { exports: p.options.exports } : {}),
    };
    const handled = await feedDocuments(work, { ...pages.feed, signal }, (item) => handleDocument(item, { input, output, context, ledger, logger }));
    handled.forEach((entry, i) => {
      const item = work[i];
      if (entry === undefined && item !== undefined) ledger.add(entryFor(item, 'not-started', actionOf(item)));
    });
  } finally {
    await pages.close();
  }
}
