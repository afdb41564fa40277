/**
 * Display lines as recognise reads them: a vertical headline's glyph cells in the order layout gives
 * them, and a reversed label that layout took for an ordinary line.
 */
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../src/image/gray-image.js';
import { emptyBlock } from '../../src/stages/layout/block.js';
import type { LayoutLine } from '../../src/stages/layout/types.js';
import { prepareLineImage } from '../../src/stages/recognise/line-prep.js';
import { readLayout, verticalStrip, type RegionReader } from '../../src/stages/recognise/recognise.js';

const line = (x0: number, y0: number, x1: number, y1: number, extra: Partial<LayoutLine> = {}): LayoutLine => ({ x0, y0, x1, y1, glyphHeight: y1 - y0, reversed: false, ...extra });

describe('readLayout: vertical headline', () => {
  it('reads a two-column vertical headline right column first, each top to bottom', async () => {
    // Right column 一二三, left column 四五六: cells side by side in each row, 30 px glyphs.
    const cell = (x: number, row: number): LayoutLine => line(x, 100 + row * 40, x + 30, 130 + row * 40, { vertical: true });
    const right = [0, 1, 2].map((r) => cell(60, r));
    const left = [0, 1, 2].map((r) => cell(20, r));
    const textOf = new Map<string, string>();
    ['一', '二', '三'].forEach((t, i) => textOf.set(JSON.stringify([60, i]), t));
    ['四', '五', '六'].forEach((t, i) => textOf.set(JSON.stringify([20, i]), t));
    const read: RegionReader = async (box) => [{ text: textOf.get(JSON.stringify([box.x0, (box.y0 - 100) / 40])) ?? '?', box, confidence: 0.9, indented: false }];
    const block = emptyBlock({ x0: 0, y0: 0, x1: 400, y1: 400 }, [], { headline: [...right, ...left] });
    const recognised = await readLayout({ width: 400, height: 400, bodyGlyphHeight: 11, mastheads: [], blocks: [block] }, read);
    expect(recognised.blocks[0]!.headline.map((l) => l.text).join('')).toBe('一二三四五六');
  });
});

describe('readLayout: a vertical headline read as one line', () => {
  const cell = (x: number, row: number): LayoutLine => line(x, 100 + row * 40, x + 30, 130 + row * 40, { vertical: true });
  const cells = [0, 1, 2].map((r) => cell(60, r));
  const layout = { width: 400, height: 400, bodyGlyphHeight: 11, mastheads: [], blocks: [emptyBlock({ x0: 0, y0: 0, x1: 400, y1: 400 }, [], { headline: cells })] };
  const each: RegionReader = async (box) => [{ text: '?', box, confidence: 0.1, indented: false }];

  it('gives each cell its glyph when the reading has one glyph per cell', async () => {
    const read = Object.assign(each, { readCells: async () => [{ text: '一 二三', box: { x0: 0, y0: 0, x1: 1, y1: 1 }, confidence: 0.9, indented: false }] });
    const headline = (await readLayout(layout, read)).blocks[0]!.headline;
    expect(headline.map((l) => l.text)).toEqual(['一', '二', '三']);
    expect(headline.map((l) => l.box.y0)).toEqual([100, 140, 180]);
    expect(headline.every((l) => l.vertical)).toBe(true);
  });
  it('keeps the whole reading on one line when the counts differ', async () => {
    const read = Object.assign(each, { readCells: async () => [{ text: '一二三四', box: { x0: 60, y0: 100, x1: 90, y1: 210 }, confidence: 0.9, indented: false }] });
    const headline = (await readLayout(layout, read)).blocks[0]!.headline;
    expect(headline.map((l) => l.text)).toEqual(['一二三四']);
  });
});

describe('verticalStrip', () => {
  it('sets the cells side by side in reading order, each at its own pixels, on white', () => {
    // A 200x300 page: cell A (dark 10) at (100, 20), cell B (dark 90) at (20, 20), 40 px glyphs.
    const page: GrayImage = { width: 200, height: 300, data: new Uint8Array(200 * 300).fill(255), dpi: 100 };
    for (let y = 20; y < 60; y++) for (let x = 0; x < 40; x++) {
      page.data[y * 200 + 100 + x] = 10;
      page.data[y * 200 + 20 + x] = 90;
    }
    const strip = verticalStrip(page, [line(100, 20, 140, 60, { vertical: true }), line(20, 20, 60, 60, { vertical: true })])!;
    const at = (x: number, y: number): number => strip.image.data[y * strip.image.width + x]!;
    const mid = strip.line.y0 + 20;
    expect(at(strip.line.x0 + 5, mid)).toBe(10);
    expect(at(strip.line.x1 - 5, mid)).toBe(90);
    expect(at(strip.line.x0 + 42, mid)).toBe(255);
    expect(strip.cellsBox).toEqual({ x0: 20, y0: 20, x1: 140, y1: 60 });
  });
});

describe('readLayout: a reversed label on the headline', () => {
  const read: RegionReader = async (box) => [{ text: box.y0 < 50 ? '链接' : '标题', box, confidence: 0.9, indented: false, ...(box.y0 < 50 ? { reversed: true } : {}) }];
  const layoutWith = (parts: Parameters<typeof emptyBlock>[2]) => ({ width: 400, height: 400, bodyGlyphHeight: 11, mastheads: [], blocks: [emptyBlock({ x0: 0, y0: 0, x1: 400, y1: 400 }, [], parts)] });

  it('is the kicker, not the headline, when read white on dark', async () => {
    const recognised = await readLayout(layoutWith({ headline: [line(10, 20, 60, 40), line(10, 60, 300, 100)] }), read);
    expect(recognised.blocks[0]!.section.map((l) => l.text)).toEqual(['链接']);
    expect(recognised.blocks[0]!.headline.map((l) => l.text)).toEqual(['标题']);
  });
  it('stays where it is when the block has a kicker already or nothing follows it', async () => {
    const withKicker = await readLayout(layoutWith({ section: [line(10, 120, 60, 140)], headline: [line(10, 20, 60, 40), line(10, 60, 300, 100)] }), read);
    expect(withKicker.blocks[0]!.headline.map((l) => l.text)).toEqual(['链接', '标题']);
    const alone = await readLayout(layoutWith({ headline: [line(10, 20, 60, 40)] }), read);
    expect(alone.blocks[0]!.headline.map((l) => l.text)).toEqual(['链接']);
  });
});

describe('prepareLineImage: white on dark', () => {
  const paper = (width: number, height: number): GrayImage => ({ width, height, data: new Uint8Array(width * height).fill(235), dpi: 100 });
  const paint = (image: GrayImage, x0: number, y0: number, x1: number, y1: number, value: number): void => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) image.data[y * image.width + x] = value;
  };

  it('takes a line box filled by one dark bar for a reversed label, though layout did not flag it', async () => {
    const image = paper(80, 40);
    paint(image, 12, 8, 68, 32, 25);
    // Two white glyph-like strokes inside the bar.
    paint(image, 20, 14, 36, 16, 240);
    paint(image, 44, 12, 46, 28, 240);
    const prepared = await prepareLineImage(image, { glyphHeight: 24, reversed: false, lineBox: { x0: 12, y0: 8, x1: 68, y1: 32 } });
    expect(prepared.reversed).toBe(true);
  });
  it('does not take a light tint behind dark glyphs for a bar', async () => {
    const image = paper(140, 40);
    paint(image, 4, 2, 136, 38, 215);
    for (let i = 0; i < 5; i++) paint(image, 10 + i * 24, 8, 28 + i * 24, 32, 25);
    const prepared = await prepareLineImage(image, { glyphHeight: 24, reversed: false, lineBox: { x0: 10, y0: 8, x1: 124, y1: 32 } });
    expect(prepared.reversed).toBe(false);
  });
  it('does not take bold glyphs run together into one blob for a bar', async () => {
    const image = paper(140, 40);
    // Five glyphs of three heavy strokes each, joined by a stroke across their middle: one blob as
    // wide as the line, half of its box ink.
    for (let i = 0; i < 5; i++) for (const dx of [0, 8, 16]) paint(image, 10 + i * 24 + dx, 8, 14 + i * 24 + dx, 32, 25);
    paint(image, 10, 17, 126, 23, 25);
    const prepared = await prepareLineImage(image, { glyphHeight: 24, reversed: false, lineBox: { x0: 10, y0: 8, x1: 126, y1: 32 } });
    expect(prepared.reversed).toBe(false);
  });
  it('does not take dark glyphs on paper for a bar', async () => {
    const image = paper(140, 40);
    for (let i = 0; i < 5; i++) paint(image, 10 + i * 24, 8, 30 + i * 24, 32, 25);
    const prepared = await prepareLineImage(image, { glyphHeight: 24, reversed: false, lineBox: { x0: 10, y0: 8, x1: 126, y1: 32 } });
    expect(prepared.reversed).toBe(false);
  });
});
