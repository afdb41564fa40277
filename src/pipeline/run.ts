/**
 * The nightly run: one idempotent, resumable pass over an input location (S3 prefix or folder).
 *
 * 1. Take the output's lease (./lease.ts); another live runner → LeaseHeldError.
 * 2. List every object under the input (paginated). Names that are not safe keys and document ids
 *    that two inputs share are reported as failures of their own.
 * 3. Plan each input from its state object (./state.ts): up to date (skipped, nothing written),
 *    given up, or to process (new, changed, retry, pipeline fingerprint changed, output missing).
 *    An input whose document.json already matches its bytes (an earlier run stopped after
 *    publishing) is recovered without processing.
 * 4. Process the rest with the same document code as `ingest` (./document.ts), with page
 *    checkpoints (./checkpoints.ts), a per-page timeout and the attempt count; record each outcome
 *    (./record-outcome.ts); remove the checkpoints of published documents (./run-pass.ts).
 * 5. Write `_runs/<runId>.json` (./run-report.ts) and release the lease.
 *
 * This module is the run's lifecycle: options, stores, lease, stop signal, report.
 * Inputs are only ever read. A signal stops the run: no new page starts, pages in flight finish and
 * are checkpointed, the report is written (status interrupted).
 */
import { errorMessage, isLeaseLost } from '../errors.js';
import { silentLogger } from '../logger.js';
import { DEFAULT_ENGINE, engineInfo } from '../ocr/engines.js';
import { openStorage, parseLocation, type OpenStorageOptions } from '../storage/location.js';
import { pipelineInfo } from './fingerprint.js';
import { acquireLease, type Lease } from './lease.js';
import { excludedPrefix, readOnly } from './plan.js';
import { RunLedger } from './run-ledger.js';
import { newRunId, runSettings, type RunOptions } from './run-options.js';
import { executePass } from './run-pass.js';
import { formatRunSummary, writeReport, type RunReport, type RunStatus } from './run-report.js';

export { formatRunSummary, newRunId };
export { RUN_DEFAULTS, type RunOptions } from './run-options.js';

/**
 * One pass. Throws (CriticalError) when the run cannot start: bad options, no access to the output,
 * lease held. Otherwise resolves with the report, also when the run was stopped or could not finish
 * (`status` says which), after writing it to `_runs/<runId>.json`.
 */
export async function runNightly(options: RunOptions): Promise<RunReport> {
  const startedAt = new Date();
  const started = performance.now();
  const runId = options.runId ?? newRunId(startedAt);
  const logger = (options.logger ?? silentLogger).child({ runId });
  const settings = runSettings(options);
  const { workers, maxAttempts, pageTimeoutMs, leaseTtlMs } = settings;
  const excluded = excludedPrefix(parseLocation(options.input), parseLocation(options.output));
  // Known before any engine starts (a night with nothing to do starts none): what would read the pages.
  const engine = options.recognizer?.engine ?? engineInfo(options.engine ?? DEFAULT_ENGINE, { workers });
  const pipeline = pipelineInfo(engine, workers, options.textSource ?? 'auto');

  const storageOptions: OpenStorageOptions = {
    ...(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {}),
    ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    ...(options.s3TimeoutMs !== undefined ? { timeoutMs: options.s3TimeoutMs } : {}),
    logger,
  };
  const output = openStorage(options.output, storageOptions);
  const input = readOnly(openStorage(options.input, storageOptions));
  let lease: Lease | undefined;
  try {
    lease = await acquireLease(output, {
      runId,
      ttlMs: leaseTtlMs,
      logger,
      ...(options.leaseSettleMs !== undefined ? { settleMs: options.leaseSettleMs } : {}),
    });
    const stop = stopSignal(lease.lost, options.signal);
    const ledger = new RunLedger(runId, maxAttempts);
    let status: RunStatus = 'completed';
    let stopReason: string | undefined;
    let checkpointsRemoved = 0;
    try {
      logger.info('run started', { input: input.location, output: output.location, workers, maxAttempts, pageTimeoutMs, fingerprint: pipeline.fingerprint });
      checkpointsRemoved = await executePass({ options, settings, input, output, excluded, pipeline, ledger, logger, signal: stop });
    } catch (err) {
      // The run could not go on (no access, a store that kept failing): report what was done.
      if (!stop.aborted) {
        status = 'aborted';
        stopReason = errorMessage(err);
        logger.error('run aborted', { error: err });
      }
    }
    if (stop.aborted && status === 'completed') {
      const reason: unknown = stop.reason;
      status = isLeaseLost(reason) ? 'lease-lost' : 'interrupted';
      stopReason = reason === undefined ? 'stopped by a signal' : errorMessage(reason);
    }
    const report = ledger.report({
      status,
      ...(stopReason !== undefined ? { stopReason } : {}),
      startedAt,
      wallMs: Math.round(performance.now() - started),
      input: input.location,
      output: output.location,
      owner: lease.record.owner,
      pipelineVersion: pipeline.version,
      pipelineFingerprint: pipeline.fingerprint,
      settings: { workers, maxAttempts, pageTimeoutS: pageTimeoutMs / 1000, leaseTtlS: leaseTtlMs / 1000 },
      checkpointsRemoved,
    });
    const written = await writeReport(output, report, logger);
    logger.info('run report written', { status, report: written.reportUri, ...report.counts });
    return written;
  } finally {
    await lease?.release().catch((err: unknown) => logger.warn('could not release the lease', { error: err }));
    await input.dispose();
    await output.dispose();
  }
}

/** One stop signal for the pass: the caller's (SIGTERM) or a lost lease, whichever comes first. */
function stopSignal(leaseLost: AbortSignal, external: AbortSignal | undefined): AbortSignal {
  const stop = new AbortController();
  const onStop = (reason: unknown): void => {
    if (!stop.signal.aborted) stop.abort(reason);
  };
  leaseLost.addEventListener('abort', () => onStop(leaseLost.reason), { once: true });
  if (external?.aborted) onStop(external.reason);
  external?.addEventListener('abort', () => onStop(external.reason), { once: true });
  return stop.signal;
}
