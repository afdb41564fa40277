/** Bugs found by the first round of tests, kept as regressions (segment order, bylines, line joins). */
import { describe, expect, it } from 'vitest';
import { analysePage } from '../../src/stages/layout/analyse.js';
import { emptyBlock } from '../../src/stages/layout/block.js';
import { assemblePage } from '../../src/stages/assemble-page/assemble.js';
import type { RecognizedPage, TextLine } from '../../src/stages/recognise/recognise.js';
import { readLayout, type RegionReader } from '../../src/stages/recognise/recognise.js';
import type { LayoutLine } from '../../src/stages/layout/types.js';
import { joinLines, normaliseSpacing } from '../../src/text/cjk.js';
import { parseLeadByline, parseTrailingByline } from '../../src/text/byline.js';
import { drawSyntheticPage } from '../support/synthetic-page.js';

const tl = (text: string, y: number, indented = false): TextLine => ({ text, box: { x0: 100, y0: y, x1: 400, y1: y + 40 }, confidence: 0.9, indented });
const page = (author: string[], body: string[]): RecognizedPage => ({
  mastheads: [],
  blocks: [{
    layout: emptyBlock({ x0: 0, y0: 0, x1: 500, y1: 900 }, [], {}),
    section: [], headline: [tl('标题', 10)], author: author.map((t, i) => tl(t, 150 + i * 60)), captions: [],
    columns: [{ box: { x0: 100, y0: 300, x1: 400, y1: 900 }, lines: body.map((t, i) => tl(t, 300 + i * 62, i === 0)) }], other: [],
  }],
});
const facts = { number: 1, widthPx: 500, heightPx: 900, dpi: 300, skewDeg: 0, textSource: 'ocr' as const, columns: 1 };

describe('regressions: src bugs', () => {
  it('B1 segment: a stacked rule across >=75% of a row must not cut the narrow story beside it', () => {
    const p = drawSyntheticPage({ gridColumns: 7, width: 2400, rows: [{ slots: [{ span: 1, blocks: [{ linesPerColumn: 14 }] }, { span: 6, blocks: [{ linesPerColumn: 4 }, { columns: 4, linesPerColumn: 3 }] }] }] });
    const layout = analysePage(p.image);
    expect(layout.blocks.map((b) => b.box)).toEqual(p.blocks.map((b) => b.ink));
  });
  it('B2 assemble: two names on the author line stay two authors', () => {
    expect(assemblePage(page(['本报记者 张三 李四'], ['正文。']), facts).articles[0]?.authors).toEqual(['张三', '李四']);
  });
  it('B2 assemble: two names in the lead byline stay two authors', () => {
    expect(assemblePage(page([], ['本报讯（记者 张三 李四）昨天，', '会议召开。']), facts).articles[0]?.authors).toEqual(['张三', '李四']);
  });
  it('B2 assemble: two names in a trailing byline stay two authors', () => {
    expect(assemblePage(page([], ['会议召开。', '（张三 李四）']), facts).articles[0]?.authors).toEqual(['张三', '李四']);
  });
  it('B3 staff byline stops at the names', () => {
    expect(parseLeadByline('本报记者 张三 今天上午在北京召开会议')?.byline).toBe('本报记者 张三');
    expect(parseLeadByline('记者 刘洋 报道：昨天')?.authors).toEqual(['刘洋']);
  });
  it('B3 assemble: staff byline at the start of a paragraph', () => {
    const a = assemblePage(page([], ['本报记者 张三 今天上午在北京召开会议。']), facts).articles[0];
    expect(a?.authors).toEqual(['张三']);
  });
  it('B4 trailing byline: editorial notes are not authors', () => {
    expect(parseTrailingByline('……未完。（待续）')).toBeUndefined();
    expect(parseTrailingByline('……发表讲话（摘要）')).toBeUndefined();
    expect(parseTrailingByline('……全文如下。（新华社）')).toBeUndefined();
  });
  it('B5 joinLines keeps the space between a Latin word and a number across a line break', () => {
    expect(joinLines(['发布 iPhone', '15 手机'])).toBe(normaliseSpacing('发布 iPhone 15 手机'));
    expect(joinLines(['New York,', 'London'])).toBe('New York, London');
  });
  it('B8 furniture text of a multi-line ad has no space between CJK', () => {
    const rp: RecognizedPage = { mastheads: [], blocks: [{ ...page([], [])!.blocks[0]!, layout: { ...page([], []).blocks[0]!.layout, furniture: true }, other: [tl('欢迎 订阅', 10), tl('本报', 70)] }] };
    expect(assemblePage(rp, facts).page.furniture[0]?.text).toBe('欢迎订阅本报');
  });
});

describe('issue 11: paragraphs and jump markers of a real page', () => {
  const line = (text: string, y: number, flags: { indented?: boolean; endsShort?: boolean } = {}): TextLine => ({ ...tl(text, y, flags.indented ?? false), endsShort: flags.endsShort ?? false });
  const story = (author: TextLine[], body: TextLine[]): RecognizedPage => ({
    mastheads: [],
    blocks: [{ ...page([], []).blocks[0]!, author, columns: [{ box: { x0: 100, y0: 300, x1: 400, y1: 900 }, lines: body }] }],
  });
  it('an inter-title set flush left after a paragraph\'s short last line is a paragraph of its own', () => {
    const body = [
      line('福建具有“茶之乡”等', 300, { indented: true }),
      line('诸多美誉。', 362, { endsShort: true }),
      line('改善生态，构建现代茶产业发展基础', 424, { endsShort: true }),
      line('一条条宽敞的机耕路', 486, { indented: true }),
    ];
    expect(assemblePage(story([], body), facts).articles[0]?.paragraphs).toEqual(['福建具有“茶之乡”等诸多美誉。', '改善生态，构建现代茶产业发展基础', '一条条宽敞的机耕路']);
  });
  it('a jump marker opening the first line goes, the text after it stays, the page is noted', () => {
    const a = assemblePage(story([], [line('【上接第一版]工程旨在提升', 300), line('流通设施。', 362)]), facts).articles[0];
    expect(a?.paragraphs).toEqual(['工程旨在提升流通设施。']);
    expect(a?.continuedFrom).toBe(1);
  });
  it('a jump marker standing where a byline would is a jump line, not the byline', () => {
    const a = assemblePage(story([line('（上接第一版）', 150)], [line('在以“米、秒、环”为训练标准的年代', 300, { indented: true })]), facts).articles[0];
    expect(a?.byline).toBeUndefined();
    expect(a?.continuedFrom).toBe(1);
  });
  it('B-low-res recognise: a body line layout found in two pieces (a wide gap on a 100 dpi scan) is neither indented nor short', async () => {
    // glyphs 11 px, column 44-222; the second row came out as two overlapping pieces and the third
    // as two pieces side by side: neither starts a paragraph. The fourth is a real indent (2 ems).
    const piece = (x0: number, x1: number, y0: number): LayoutLine => ({ x0, x1, y0, y1: y0 + 11, glyphHeight: 11, reversed: false });
    const rows = [[piece(66, 222, 184)], [piece(45, 222, 198), piece(183, 212, 198)], [piece(44, 130, 213), piece(140, 222, 213)], [piece(66, 222, 228)], [piece(44, 222, 243)]];
    const column = { box: { x0: 44, y0: 184, x1: 222, y1: 254 }, lines: rows.flat() };
    const block = emptyBlock(column.box, [], { columns: [column] });
    const read: RegionReader = async () => rows.map((r, i) => ({ text: `第${i}行`, box: { x0: r[0]!.x0, y0: r[0]!.y0, x1: 222, y1: r[0]!.y1 }, confidence: 0.9, indented: false }));
    const recognised = await readLayout({ width: 300, height: 300, bodyGlyphHeight: 11, mastheads: [], blocks: [block] }, read);
    const lines = recognised.blocks[0]!.columns[0]!.lines;
    expect(lines.map((l) => l.indented)).toEqual([true, false, false, true, false]);
    expect(lines.map((l) => l.endsShort)).toEqual([false, false, false, false, false]);
  });
});
