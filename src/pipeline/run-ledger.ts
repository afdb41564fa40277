/**
 * What a nightly run did, collected as it goes, for its report: one entry per document acted on,
 * the failures, the given-up documents, and which checkpoints must stay.
 */
import { compareKeys } from '../storage/keys.js';
import type { DocumentOutcome } from './document.js';
import type { PlanItem } from './plan.js';
import type { DocumentAction, DocumentRunEntry, FailureEntry, GivenUpEntry, RunCounts, RunReport } from './run-report.js';
import type { DocumentState } from './state.js';

/** A report entry for `item`, with the figures of `outcome` when it was processed. */
export function entryFor(item: PlanItem, status: DocumentRunEntry['status'], action: DocumentAction, outcome?: DocumentOutcome, extra: Partial<DocumentRunEntry> = {}): DocumentRunEntry {
  return {
    documentId: item.documentId,
    key: item.listed.key,
    uri: item.uri,
    action,
    status,
    pages: outcome?.pages ?? 0,
    pagesProcessed: outcome?.pagesProcessed ?? 0,
    pagesResumed: outcome?.pagesResumed ?? 0,
    articles: outcome?.articles ?? 0,
    ms: outcome?.ms ?? 0,
    ...(outcome?.error ? { error: outcome.error } : {}),
    ...extra,
  };
}

export type ReportMeta = Omit<RunReport, 'format' | 'runId' | 'finishedAt' | 'counts' | 'documents' | 'failures' | 'givenUp' | 'startedAt'> & {
  readonly startedAt: Date;
};

export class RunLedger {
  listed = 0;
  private readonly entries: DocumentRunEntry[] = [];
  private readonly failures: FailureEntry[] = [];
  private readonly givenUp: GivenUpEntry[] = [];
  private upToDate = 0;
  /** documentId → sha256 of the bytes whose checkpoints must stay (not published yet); null: keep all. */
  readonly keepCheckpoints = new Map<string, string | null>();
  /** Documents whose every checkpoint can go. */
  readonly finished = new Set<string>();

  constructor(
    readonly runId: string,
    readonly maxAttempts: number,
  ) {}

  add(entry: DocumentRunEntry): void {
    this.entries.push(entry);
  }

  fail(entry: FailureEntry): void {
    this.failures.push(entry);
    if (entry.givenUp) {
      this.givenUp.push({ documentId: entry.documentId, uri: entry.uri, attempts: entry.attempts, stage: entry.stage, reason: entry.reason, fault: entry.fault, lastFailedAt: new Date().toISOString(), now: true });
    }
  }

  noteGivenUp(item: PlanItem, state: DocumentState | null): void {
    const last = state?.lastError;
    this.givenUp.push({
      documentId: item.documentId,
      uri: item.uri,
      attempts: state?.attempts ?? 0,
      ...(last ? { stage: last.stage, reason: last.reason, ...(last.fault ? { fault: last.fault } : {}), lastFailedAt: last.at } : {}),
      now: false,
    });
    this.keepCheckpoints.set(item.documentId, null);
  }

  /** An input the plan left alone. */
  noteUnprocessed(item: PlanItem): void {
    if (item.decision.kind === 'given-up') {
      this.noteGivenUp(item, item.state);
    } else {
      this.upToDate++;
      this.finished.add(item.documentId);
    }
  }

  report(meta: ReportMeta): RunReport {
    const order = new Map<string, number>();
    const e = this.entries.sort((a, b) => compareKeys(a.key, b.key));
    e.forEach((x, i) => order.set(x.documentId, i));
    const count = (status: DocumentRunEntry['status']): number => e.filter((x) => x.status === status).length;
    const counts: RunCounts = {
      listed: this.listed,
      upToDate: this.upToDate,
      processed: e.length,
      done: count('done'),
      unchanged: count('unchanged'),
      failed: count('failed'),
      givenUp: this.givenUp.length,
      interrupted: count('interrupted') + count('not-started'),
      badKeys: e.filter((x) => x.action === 'bad-key').length,
      pagesProcessed: e.reduce((s, x) => s + x.pagesProcessed, 0),
      pagesResumed: e.reduce((s, x) => s + x.pagesResumed, 0),
      articles: e.reduce((s, x) => s + (x.status === 'done' ? x.articles : 0), 0),
    };
    const { startedAt, ...rest } = meta;
    return {
      format: 'newsprint.run/1',
      runId: this.runId,
      ...rest,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      counts,
      documents: e,
      failures: [...this.failures].sort((a, b) => (order.get(a.documentId) ?? 0) - (order.get(b.documentId) ?? 0)),
      givenUp: [...this.givenUp].sort((a, b) => compareKeys(a.documentId, b.documentId)),
    };
  }
}
