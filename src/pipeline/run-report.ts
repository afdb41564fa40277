/**
 * The record of one nightly run, written to `<output>/_runs/<runId>.json`, and its human summary.
 */
import type { Fault } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/types.js';

export const RUNS_PREFIX = '_runs/';
export const runReportKey = (runId: string): string => `${RUNS_PREFIX}${runId}.json`;

/**
 * completed: every listed input was looked at (some may have failed: see `failures`);
 * interrupted: stopped by a signal, pages in flight finished and were checkpointed;
 * lease-lost: stopped because another runner took the lease;
 * aborted: could not go on (no access to the input or output).
 */
export type RunStatus = 'completed' | 'interrupted' | 'lease-lost' | 'aborted';

/** Why the run acted on a document. */
export type DocumentAction =
  | 'new'
  | 'changed'
  | 'retry'
  | 'pipeline-changed'
  | 'output-missing'
  | 'forced'
  | 'bad-key'
  | 'duplicate-id'
  | 'verify';

/**
 * done: published (or found published by an earlier run that stopped before recording it:
 * `recovered`); unchanged: the bytes were read again and found the same, nothing redone;
 * given-up: found to be the same bytes as a given-up document; failed: see `error`;
 * interrupted/not-started: left for the next run; vanished: deleted after it was listed.
 */
export type DocumentRunStatus = 'done' | 'unchanged' | 'given-up' | 'failed' | 'interrupted' | 'not-started' | 'vanished';

export interface DocumentRunEntry {
  readonly documentId: string;
  readonly key: string;
  readonly uri: string;
  readonly action: DocumentAction;
  readonly status: DocumentRunStatus;
  readonly recovered?: boolean;
  /** This try's number among counted failures (1 for a first try). */
  readonly attempt?: number;
  readonly pages: number;
  readonly pagesProcessed: number;
  readonly pagesResumed: number;
  readonly articles: number;
  readonly ms: number;
  readonly error?: { readonly stage: string; readonly reason: string; readonly fault: Fault; readonly transient: boolean };
}

export interface FailureEntry {
  readonly documentId: string;
  readonly uri: string;
  readonly stage: string;
  readonly reason: string;
  /** Whose fault (FAULT_POLICY in src/errors.ts). */
  readonly fault: Fault;
  /** Counted failures so far for these bytes (infrastructure ones are not counted). */
  readonly attempts: number;
  /** An infrastructure fault: not counted, tried again next run. */
  readonly transient: boolean;
  readonly givenUp: boolean;
}

export interface GivenUpEntry {
  readonly documentId: string;
  readonly uri: string;
  readonly attempts: number;
  readonly stage?: string;
  readonly reason?: string;
  readonly fault?: Fault;
  readonly lastFailedAt?: string;
  /** Given up during this run. */
  readonly now: boolean;
}

export interface RunCounts {
  /** Inputs found under the input location (bad keys included). */
  readonly listed: number;
  /** Skipped: done before for the same bytes and pipeline version. */
  readonly upToDate: number;
  /** Acted on this run (everything in `documents`). */
  readonly processed: number;
  readonly done: number;
  readonly unchanged: number;
  readonly failed: number;
  /** Every given-up document of the input, whether given up now or earlier. */
  readonly givenUp: number;
  readonly interrupted: number;
  readonly badKeys: number;
  readonly pagesProcessed: number;
  readonly pagesResumed: number;
  readonly articles: number;
}

export interface RunReport {
  readonly format: 'newsprint.run/1';
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly wallMs: number;
  readonly input: string;
  readonly output: string;
  readonly owner: string;
  readonly pipelineVersion: string;
  /** This run's pipeline fingerprint (src/pipeline/fingerprint.ts). */
  readonly pipelineFingerprint: string;
  readonly settings: { readonly workers: number; readonly maxAttempts: number; readonly pageTimeoutS: number; readonly leaseTtlS: number };
  readonly counts: RunCounts;
  /** Every document the run acted on, in input order; up-to-date ones are only counted. */
  readonly documents: readonly DocumentRunEntry[];
  readonly failures: readonly FailureEntry[];
  readonly givenUp: readonly GivenUpEntry[];
  readonly checkpointsRemoved: number;
  /** Why the run did not complete. */
  readonly stopReason?: string;
  /** Where the report was written (absent when writing it failed). */
  readonly reportUri?: string;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

/** The text printed at the end of `newsprint run`; ends with a newline. */
export function formatRunSummary(report: RunReport): string {
  const c = report.counts;
  const lines = [
    `run ${report.runId}: ${report.status} in ${formatDuration(report.wallMs)}${report.stopReason ? ` (${oneLine(report.stopReason)})` : ''}`,
    `input:     ${report.input} (${c.listed} listed)`,
    `output:    ${report.output}`,
    `documents: ${c.done} done, ${c.failed} failed, ${c.upToDate + c.unchanged} up to date, ${c.givenUp} given up` +
      (c.interrupted > 0 ? `, ${c.interrupted} left for the next run` : ''),
    `pages:     ${c.pagesProcessed} processed, ${c.pagesResumed} resumed from checkpoints`,
    `articles:  ${c.articles}`,
  ];
  if (report.failures.length > 0) {
    lines.push('failures:');
    for (const f of report.failures) {
      const note = f.transient ? 'transient, not counted' : `attempt ${f.attempts} of ${report.settings.maxAttempts}${f.givenUp ? ', given up' : ''}`;
      lines.push(`  ${f.documentId} (${f.stage}, ${f.fault} fault; ${note}): ${oneLine(f.reason)}`);
    }
  }
  const earlier = report.givenUp.filter((g) => !g.now);
  if (earlier.length > 0) {
    lines.push(`given up earlier (not tried again; retry with --retry <documentId>):`);
    for (const g of earlier) lines.push(`  ${g.documentId} (${g.attempts} attempts${g.stage ? `, ${g.stage}` : ''}): ${oneLine(g.reason ?? 'unknown')}`);
  }
  if (report.reportUri) lines.push(`report:    ${report.reportUri}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the report; resolves with it and its URI, or without the URI when the store failed. */
export async function writeReport(output: Storage, report: RunReport, logger: Logger): Promise<RunReport> {
  const key = runReportKey(report.runId);
  const reportUri = `${output.location.endsWith('/') ? output.location : `${output.location}/`}${key}`;
  const withUri: RunReport = { ...report, reportUri };
  try {
    await output.put(key, `${JSON.stringify(withUri, null, 2)}\n`, { contentType: 'application/json' });
    return withUri;
  } catch (err) {
    logger.error('could not write the run report', { key, error: err });
    return report;
  }
}

/** `42s`, `9m02s`, `1h05m`; under 10 s with one decimal (`3.4s`). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
