/**
 * A born-digital page (a PDF with a text layer): no OCR runs; structure comes from a sketch of its
 * vector content (rules), text from the text layer; reading order, headlines and paragraphs as printed.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { silentLogger } from '../../src/logger.js';
import type { Recognizer } from '../../src/ocr/types.js';
import type { DocumentJson } from '../../src/output/types.js';
import { validateDocument } from '../../src/output/validate.js';
import { runIngest } from '../../src/pipeline/ingest.js';
import { makePdf, STSONG_UCS2, ucs2Hex } from '../support/make-pdf.js';

const BODY = 10;
const LEAD = 14;
const COLUMN_CHARS = 12;

/** A story set in `columns` columns from (x, top) down: headline, then body lines, indent = 2 ems. */
function story(x: number, top: number, columnWidth: number, gutter: number, headline: string, paragraphs: string[], columns: number): { ops: string[]; bottom: number } {
  const ops = [`BT /F1 22 Tf ${x} ${top - 22} Td ${ucs2Hex(headline)} Tj ET`];
  const lines: Array<{ text: string; indent: boolean }> = [];
  for (const p of paragraphs) {
    let rest = p;
    let first = true;
    while (rest.length > 0) {
      const room = first ? COLUMN_CHARS - 2 : COLUMN_CHARS;
      lines.push({ text: rest.slice(0, room), indent: first });
      rest = rest.slice(room);
      first = false;
    }
  }
  const perColumn = Math.ceil(lines.length / columns);
  const bodyTop = top - 22 - 20;
  lines.forEach((line, i) => {
    const col = Math.floor(i / perColumn);
    const row = i % perColumn;
    const lx = x + col * (columnWidth + gutter) + (line.indent ? 2 * BODY : 0);
    ops.push(`BT /F1 ${BODY} Tf ${lx} ${bodyTop - BODY - row * LEAD} Td ${ucs2Hex(line.text)} Tj ET`);
  });
  return { ops, bottom: bodyTop - perColumn * LEAD };
}

function bornDigitalPdf(): Uint8Array {
  const left = story(40, 700, COLUMN_CHARS * BODY, 16, '春季农业生产全面展开', ['本报讯 全市春耕备耕工作有序推进，各地抢抓农时开展播种。', '农业部门组织技术人员深入田间地头，指导农户科学种植，保障粮食生产稳定。'], 2);
  const right = story(330, 700, COLUMN_CHARS * BODY, 16, '城市书房开放', ['新建的三家城市书房今日对外开放，市民可以免费借阅图书。', '书房每天开放十二小时，周末还将举办读书分享会和亲子阅读活动。'], 2);
  const content = [
    `BT /F1 12 Tf 40 770 Td ${ucs2Hex('第1版')} Tj ET`,
    `BT /F1 12 Tf 120 770 Td ${ucs2Hex('要闻')} Tj ET`,
    '0 g 40 740 520 1.5 re f', // full-width rule under the folio line
    '0 g 315 420 1 300 re f', // vertical rule between the two stories
    ...left.ops,
    ...right.ops,
  ].join('\n');
  return makePdf([{ width: 600, height: 800, content, fonts: { F1: STSONG_UCS2 } }]);
}

const noOcr: Recognizer = {
  engine: { id: 'none', name: 'none', version: '0', core: 'none', model: 'none', modelVersion: '0', parameters: {} },
  recognize: () => Promise.reject(new Error('OCR must not run on a born-digital page')),
  close: () => Promise.resolve(),
};

describe('born-digital pages', () => {
  it('reads articles from the text layer, in print order, without OCR', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsprint-born-digital-'));
    const input = path.join(dir, 'e-paper.pdf');
    await writeFile(input, bornDigitalPdf());
    const started = performance.now();
    const report = await runIngest({ inputs: [input], out: path.join(dir, 'out'), recognizer: noOcr, logger: silentLogger, progress: createProgress({ isTTY: false, logger: silentLogger }) });
    const ms = performance.now() - started;
    expect(report.documents[0]?.error).toBeUndefined();
    const doc = JSON.parse(await readFile(path.join(dir, 'out', 'e-paper', 'document.json'), 'utf8')) as DocumentJson;
    expect(validateDocument(doc).errors).toEqual([]);
    expect(doc.pages[0]?.textSource).toBe('pdf');
    expect(doc.pages[0]?.printedPage).toBe(1);
    expect(doc.articles.map((a) => a.headline)).toEqual(['春季农业生产全面展开', '城市书房开放']);
    expect(doc.articles[0]?.paragraphs).toEqual(['本报讯全市春耕备耕工作有序推进，各地抢抓农时开展播种。', '农业部门组织技术人员深入田间地头，指导农户科学种植，保障粮食生产稳定。']);
    expect(doc.articles[1]?.paragraphs).toEqual(['新建的三家城市书房今日对外开放，市民可以免费借阅图书。', '书房每天开放十二小时，周末还将举办读书分享会和亲子阅读活动。']);
    expect(doc.articles[0]?.byline).toBe('本报讯');
    expect(ms).toBeLessThan(30_000);
  }, 60_000);

  it('honours --text-source: ocr reads even a born-digital page with OCR; pdf refuses a scan without a text layer', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsprint-text-source-'));
    const input = path.join(dir, 'e-paper.pdf');
    await writeFile(input, bornDigitalPdf());
    const quiet = { logger: silentLogger, progress: createProgress({ isTTY: false, logger: silentLogger }) };
    const forcedOcr = await runIngest({ inputs: [input], out: path.join(dir, 'ocr'), recognizer: noOcr, textSource: 'ocr', ...quiet });
    expect(forcedOcr.documents[0]?.error?.reason).toMatch(/OCR must not run/);
    const scan = new URL('../../samples/daily-2023-12-02-p1.pdf', import.meta.url).pathname;
    const forcedPdf = await runIngest({ inputs: [scan], out: path.join(dir, 'pdf'), recognizer: noOcr, textSource: 'pdf', ...quiet });
    expect(forcedPdf.documents[0]?.error?.reason).toMatch(/no usable text layer/);
  }, 60_000);
});
