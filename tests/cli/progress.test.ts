import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, formatDuration, formatSummary, type ProgressStream } from '../../src/cli/progress.js';
import { createJsonLogger } from '../../src/logger.js';

class FakeStream implements ProgressStream {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
  /** What a terminal would show on the status line now. */
  get statusLine(): string {
    return this.text.split('\r\x1b[2K').at(-1) ?? '';
  }
}

/** A clock the test moves by hand. */
function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('progress without a TTY', () => {
  it('writes one JSON line per event through the logger', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ level: 'debug', write: (l) => void lines.push(l) });
    const c = clock();
    const progress = createProgress({ stream: new FakeStream(false), logger, now: c.now });

    progress.documentStarted('doc-a', 2);
    c.advance(1500);
    progress.pageDone('doc-a', 1, 1500);
    progress.pageDone('doc-a', 2, 1200);
    progress.documentDone('doc-a', { articles: 7 });
    progress.documentFailed('doc-b', 'not a PDF', 'open');
    progress.finish();

    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r['event'])).toEqual([
      'documentStarted',
      'pageDone',
      'pageDone',
      'documentDone',
      'documentFailed',
      'finish',
    ]);
    expect(records[0]).toMatchObject({ level: 'info', documentId: 'doc-a', pages: 2, pagesTotal: 2 });
    expect(records[1]).toMatchObject({ documentId: 'doc-a', page: 1, ms: 1500, pagesDone: 1, pagesTotal: 2 });
    expect(records[3]).toMatchObject({ documentId: 'doc-a', articles: 7 });
    expect(records[4]).toMatchObject({ level: 'error', documentId: 'doc-b', stage: 'open', reason: 'not a PDF' });
    expect(records[5]).toMatchObject({ documents: 1, documentsFailed: 1, pages: 2, articles: 7, wallMs: 1500 });
  });

  it('logs to the stream when no logger is given, and never redraws', () => {
    const stream = new FakeStream(false);
    const progress = createProgress({ stream });
    progress.documentStarted('doc-a', 1);
    expect(stream.chunks).toHaveLength(1);
    expect(JSON.parse(stream.chunks[0]!)).toMatchObject({ msg: 'document started', event: 'documentStarted' });
    expect(stream.text).not.toContain('\r');
  });
});

describe('progress on a TTY', () => {
  it('shows pages done/total, rate, ETA and the current page on one redrawn line', () => {
    const stream = new FakeStream(true, 200);
    const c = clock();
    const progress = createProgress({ stream, now: c.now });

    progress.documentStarted('daily-p1', 40);
    for (let page = 1; page <= 12; page++) {
      c.advance(20_000); // 3 pages a minute
      progress.pageDone('daily-p1', page, 20_000);
    }
    expect(stream.statusLine).toBe('pages 12/40 · 3.0 pages/min · ETA 9m20s · current: daily-p1 p12');
    expect(stream.chunks.every((ch) => ch.startsWith('\r\x1b[2K'))).toBe(true);
    expect(stream.text).not.toContain('\n');
  });

  it('grows the total as documents open and drops what a failed document will not do', () => {
    const stream = new FakeStream(true);
    const c = clock();
    const progress = createProgress({ stream, now: c.now, intervalMs: 0 });
    progress.documentStarted('a', 4);
    c.advance(60_000);
    progress.pageDone('a', 1, 100);
    expect(stream.statusLine).toMatch(/^pages 1\/4 /);
    progress.documentStarted('b', 6);
    expect(stream.statusLine).toMatch(/^pages 1\/10 /);
    progress.documentFailed('a', 'page 2 unreadable', 'rasterise');
    expect(stream.text).toContain('failed: a (rasterise): page 2 unreadable\n');
    expect(stream.statusLine).toMatch(/^pages 1\/7 · 1\.0 pages\/min · ETA 6m00s · 1 failed/);
  });

  it('redraws at most every 200 ms, and draws the last state once the interval is over', () => {
    vi.useFakeTimers();
    const stream = new FakeStream(true);
    const c = clock();
    const progress = createProgress({ stream, now: c.now });
    progress.documentStarted('a', 100);
    expect(stream.chunks).toHaveLength(1);
    for (let page = 1; page <= 10; page++) {
      c.advance(10);
      progress.pageDone('a', page, 10);
    }
    expect(stream.chunks).toHaveLength(1);
    c.advance(100);
    vi.advanceTimersByTime(200);
    expect(stream.chunks).toHaveLength(2);
    expect(stream.statusLine).toMatch(/^pages 10\/100 .* current: a p10$/);
  });

  it('cuts the line to the terminal width', () => {
    const stream = new FakeStream(true, 30);
    const progress = createProgress({ stream });
    progress.documentStarted('a-very-long-document-id-indeed', 3);
    expect(stream.statusLine.length).toBeLessThan(30);
    expect(stream.statusLine.endsWith('…')).toBe(true);
  });

  it('clears the line on finish and ignores later events', () => {
    const stream = new FakeStream(true);
    const progress = createProgress({ stream, intervalMs: 0 });
    progress.documentStarted('a', 1);
    progress.finish();
    expect(stream.chunks.at(-1)).toBe('\r\x1b[2K');
    const count = stream.chunks.length;
    progress.pageDone('a', 1, 5);
    expect(stream.chunks).toHaveLength(count);
    expect(progress.finish().pages).toBe(0);
  });
});

describe('summary', () => {
  it('adds up', () => {
    const c = clock();
    const progress = createProgress({ stream: new FakeStream(true), now: c.now, intervalMs: 0 });
    const docs = [
      { id: 'a', pages: 3, articles: 5 },
      { id: 'b', pages: 2, articles: 0 },
      { id: 'c', pages: 4, articles: 9 },
    ];
    for (const d of docs) {
      progress.documentStarted(d.id, d.pages);
      for (let p = 1; p <= d.pages; p++) {
        c.advance(1000);
        progress.pageDone(d.id, p, 1000);
      }
      progress.documentDone(d.id, { articles: d.articles });
    }
    progress.documentStarted('d', 5);
    progress.pageDone('d', 1, 1000);
    progress.documentFailed('d', 'timeout', 'recognise');
    progress.documentFailed('e', 'encrypted PDF', 'open');
    c.advance(500);

    const summary = progress.finish();
    expect(summary).toEqual({
      documents: 3,
      documentsFailed: 2,
      pages: 3 + 2 + 4 + 1,
      articles: 14,
      failures: [
        { documentId: 'd', stage: 'recognise', reason: 'timeout' },
        { documentId: 'e', stage: 'open', reason: 'encrypted PDF' },
      ],
      wallMs: 9500,
    });
    expect(summary.failures).toHaveLength(summary.documentsFailed);

    expect(formatSummary(summary)).toBe(
      [
        'documents: 3 done, 2 failed',
        'pages:     10',
        'articles:  14',
        'wall time: 9.5s',
        'failures:',
        '  d (recognise): timeout',
        '  e (open): encrypted PDF',
        '',
      ].join('\n'),
    );
  });

  it('has no failure section when nothing failed', () => {
    const text = formatSummary({ documents: 1, documentsFailed: 0, pages: 1, articles: 2, failures: [], wallMs: 61_000 });
    expect(text).not.toContain('failures');
    expect(text).toContain('wall time: 1m01s');
  });

  it.each([
    [3_400, '3.4s'],
    [42_000, '42s'],
    [542_000, '9m02s'],
    [3_907_000, '1h05m'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
