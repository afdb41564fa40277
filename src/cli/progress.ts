/**
 * Progress of a long run. On a terminal: one status line redrawn in place (at most every `intervalMs`),
 * failures printed above it as they happen. Otherwise: one JSON log line per event through the Logger.
 *
 * The page total grows as documents open (a document's page count is known only then), and shrinks by
 * the pages a failed document will never do, so the ETA is for the work known so far.
 */
import { createJsonLogger, type Logger } from '../logger.js';
import type { PipelineEvents } from '../pipeline/events.js';
import type { IngestFailure, IngestSummary } from '../pipeline/ingest.js';
import { formatDuration } from '../pipeline/run-report.js';

export { formatDuration };

/** Where the status line goes; process.stderr fits. */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width; the status line is cut to it so `\r` redraws one line. */
  readonly columns?: number;
}

export interface ProgressOptions {
  /** Default: process.stderr. */
  readonly stream?: ProgressStream;
  /** Redrawn status line when true, JSON log lines when false. Default: `stream.isTTY`. */
  readonly isTTY?: boolean;
  /** Used when not a TTY. Default: a JSON logger writing to `stream`. */
  readonly logger?: Logger;
  /** Least time between two redraws, in ms. Default 200. */
  readonly intervalMs?: number;
  /** Clock in ms, for tests. Default: performance.now. */
  readonly now?: () => number;
}

export type DocumentFailure = IngestFailure;

/** The totals of what the display was told; the same shape as `ingest`'s own summary. */
export type ProgressSummary = IngestSummary;

/** The pipeline's events shown as they happen (src/pipeline/events.ts), and the end of the display. */
export interface Progress extends PipelineEvents {
  /** Ends the report (clears the status line) and returns the totals. Later events are ignored. */
  finish(): ProgressSummary;
}

const CLEAR_LINE = '\r\x1b[2K';

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const isTTY = options.isTTY ?? stream.isTTY === true;
  const logger = options.logger ?? createJsonLogger({ write: (line) => void stream.write(line) });
  const intervalMs = options.intervalMs ?? 200;
  const now = options.now ?? (() => performance.now());
  if (!(intervalMs >= 0)) throw new TypeError(`createProgress: intervalMs must be >= 0, got ${intervalMs}`);

  const startedAt = now();
  /** Pages expected and done per open document. */
  const open = new Map<string, { pages: number; done: number }>();
  const failures: DocumentFailure[] = [];
  let pagesTotal = 0;
  let pagesDone = 0;
  let documents = 0;
  let articles = 0;
  let current = '';
  let finished = false;
  let lastDraw = -Infinity;
  let timer: NodeJS.Timeout | undefined;

  const statusLine = (): string => {
    const elapsedMin = (now() - startedAt) / 60_000;
    const rate = pagesDone > 0 && elapsedMin > 0 ? pagesDone / elapsedMin : 0;
    const remaining = Math.max(0, pagesTotal - pagesDone);
    const eta = rate > 0 ? formatDuration((remaining / rate) * 60_000) : '–';
    const parts = [
      `pages ${pagesDone}/${pagesTotal}`,
      `${rate > 0 ? rate.toFixed(1) : '–'} pages/min`,
      `ETA ${eta}`,
    ];
    if (failures.length > 0) parts.push(`${failures.length} failed`);
    if (current !== '') parts.push(`current: ${current}`);
    const text = parts.join(' · ');
    const width = stream.columns;
    return width !== undefined && width > 1 && text.length >= width ? `${text.slice(0, width - 2)}…` : text;
  };

  const draw = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    lastDraw = now();
    stream.write(CLEAR_LINE + statusLine());
  };

  /** Draws now if the last draw is old enough, else once when it is. */
  const redraw = (): void => {
    if (!isTTY || finished) return;
    const wait = lastDraw + intervalMs - now();
    if (wait <= 0) draw();
    else if (timer === undefined) timer = setTimeout(draw, wait).unref();
  };

  return {
    documentStarted(documentId, pages) {
      if (finished) return;
      open.set(documentId, { pages, done: 0 });
      pagesTotal += pages;
      current = documentId;
      if (isTTY) redraw();
      else logger.info('document started', { event: 'documentStarted', documentId, pages, pagesTotal });
    },

    pageStarted(documentId, page) {
      if (finished) return;
      current = `${documentId} p${page}`;
      if (isTTY) redraw();
    },

    pageFailed(documentId, page, failure) {
      if (finished || isTTY) return;
      // On a terminal the document's failure line says it; in the log the page is worth a line.
      logger.warn('page failed', { event: 'pageFailed', documentId, page, ...failure });
    },

    pageDone(documentId, page, ms) {
      if (finished) return;
      const doc = open.get(documentId);
      if (doc) doc.done++;
      pagesDone++;
      current = `${documentId} p${page}`;
      if (isTTY) redraw();
      else logger.info('page done', { event: 'pageDone', documentId, page, ms, pagesDone, pagesTotal });
    },

    documentDone(documentId, result) {
      if (finished) return;
      open.delete(documentId);
      documents++;
      articles += result.articles;
      if (isTTY) redraw();
      else logger.info('document done', { event: 'documentDone', documentId, articles: result.articles });
    },

    documentFailed(documentId, reason, stage) {
      if (finished) return;
      const doc = open.get(documentId);
      if (doc) pagesTotal -= Math.max(0, doc.pages - doc.done);
      open.delete(documentId);
      failures.push({ documentId, stage, reason });
      if (isTTY) {
        stream.write(`${CLEAR_LINE}failed: ${documentId} (${stage}): ${oneLine(reason)}\n`);
        draw();
      } else {
        logger.error('document failed', { event: 'documentFailed', documentId, stage, reason });
      }
    },

    finish() {
      const summary: ProgressSummary = {
        documents,
        documentsFailed: failures.length,
        pages: pagesDone,
        articles,
        failures: [...failures],
        wallMs: Math.round(now() - startedAt),
      };
      if (finished) return summary;
      finished = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (isTTY) stream.write(CLEAR_LINE);
      else logger.info('run finished', { event: 'finish', ...summary });
      return summary;
    },
  };
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

/** The end-of-run text: totals, then one line per failure. Ends with a newline. */
export function formatSummary(summary: ProgressSummary): string {
  const lines = [
    `documents: ${summary.documents} done, ${summary.documentsFailed} failed`,
    `pages:     ${summary.pages}`,
    `articles:  ${summary.articles}`,
    `wall time: ${formatDuration(summary.wallMs)}`,
  ];
  if (summary.failures.length > 0) {
    lines.push('failures:');
    for (const f of summary.failures) lines.push(`  ${f.documentId} (${f.stage}): ${oneLine(f.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}
