/**
 * Layout analysis on synthetic pages (square "glyphs", rules, gray photos): blocks in reading order,
 * columns and lines per block, headlines, masthead, photos with captions, indents.
 */
import { describe, expect, it } from 'vitest';
import { analysePage } from '../../src/stages/layout/analyse.js';
import { median, overlap1d, type Box } from '../../src/image/geometry.js';
import type { LayoutBlock, PageLayout } from '../../src/stages/layout/types.js';
import { drawSyntheticPage, SYNTH, type DrawnBlock, type SyntheticPage, type SyntheticPageSpec } from '../support/synthetic-page.js';

interface Analysed {
  readonly page: SyntheticPage;
  readonly layout: PageLayout;
}

function analyse(spec: SyntheticPageSpec): Analysed {
  const page = drawSyntheticPage(spec);
  return { page, layout: analysePage(page.image) };
}

/** Each analysed page is computed once, on first use. */
function lazy(spec: SyntheticPageSpec): () => Analysed {
  let done: Analysed | undefined;
  return () => (done ??= analyse(spec));
}

function expectBoxNear(actual: Box | undefined, expected: Box | undefined, tolerance: number, what: string): void {
  expect(actual, what).toBeDefined();
  expect(expected, what).toBeDefined();
  if (!actual || !expected) return;
  for (const k of ['x0', 'y0', 'x1', 'y1'] as const) {
    expect(Math.abs(actual[k] - expected[k]), `${what}.${k}: ${actual[k]} vs ${expected[k]}`).toBeLessThanOrEqual(tolerance);
  }
}

const area = (b: Box): number => Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);
const intersection = (a: Box, b: Box): number => overlap1d(a.x0, a.x1, b.x0, b.x1) * overlap1d(a.y0, a.y1, b.y0, b.y1);

/** The analysed block that covers most of a drawn block's ink. */
function blockFor(layout: PageLayout, drawn: DrawnBlock): LayoutBlock | undefined {
  let best: LayoutBlock | undefined;
  let bestArea = 0;
  for (const b of layout.blocks) {
    const a = intersection(b.box, drawn.ink);
    if (a > bestArea) {
      best = b;
      bestArea = a;
    }
  }
  return best;
}

/** Everything the layout must agree on with what was drawn, block by block, in order. */
function expectLayoutMatches({ page, layout }: Analysed): void {
  expect(layout.width).toBe(page.image.width);
  expect(layout.height).toBe(page.image.height);
  expect(layout.bodyGlyphHeight).toBe(SYNTH.bodyGlyph);
  expect(layout.blocks).toHaveLength(page.blocks.length);
  page.blocks.forEach((drawn, i) => {
    const got = layout.blocks[i];
    const where = `block ${i} (row ${drawn.row}, slot ${drawn.slot}, stack ${drawn.stack}, ${drawn.kind})`;
    expect(got, where).toBeDefined();
    if (!got) return;
    // Block boxes are shrunk to their ink.
    expectBoxNear(got.box, drawn.ink, 1, `${where} box`);
    expect(got.furniture, `${where} furniture`).toBe(drawn.kind === 'ad');
    expect(got.headline.length, `${where} headline lines`).toBe(drawn.headlineLines.length);
    drawn.headlineLines.forEach((h, j) => expectBoxNear(got.headline[j], h, 1, `${where} headline ${j}`));
    expect(got.author.length, `${where} author lines`).toBe(drawn.authorLine ? 1 : 0);
    if (drawn.authorLine) expectBoxNear(got.author[0], drawn.authorLine, 1, `${where} author`);
    expect(got.section, `${where} section lines`).toHaveLength(0);
    expect(got.columns.length, `${where} columns`).toBe(drawn.columns.length);
    drawn.columns.forEach((dc, c) => {
      const col = got.columns[c];
      expect(col?.lines.length, `${where} column ${c} lines`).toBe(dc.lines.length);
      dc.lines.forEach((dl, l) => expectBoxNear(col?.lines[l], dl, 1, `${where} column ${c} line ${l}`));
    });
    if (drawn.photo) {
      expect(got.photos, `${where} photos`).toHaveLength(1);
      const photo = got.photos[0];
      // Photos are found on a grid of dpi/12 = 25 px cells.
      expectBoxNear(photo, drawn.photo, 25, `${where} photo`);
      if (photo) expect(intersection(photo, drawn.photo) / area(drawn.photo)).toBeGreaterThan(0.9);
      expect(got.captions, `${where} caption groups`).toHaveLength(1);
      const group = got.captions[0] ?? [];
      expect(group.length, `${where} caption lines`).toBe(drawn.captionLines.length);
      drawn.captionLines.forEach((cl, j) => expectBoxNear(group[j], cl, 1, `${where} caption ${j}`));
    } else {
      expect(got.photos, `${where} photos`).toHaveLength(0);
      expect(got.captions, `${where} caption groups`).toHaveLength(0);
    }
    if (drawn.kind === 'ad') expect(got.other.length, `${where} other lines`).toBe(drawn.adLines.length);
  });
}

/** Reading order: rows top to bottom, slots left to right, stacked blocks top to bottom. */
function expectReadingOrder({ page, layout }: Analysed): void {
  const order = page.blocks.map((d) => layout.blocks.indexOf(blockFor(layout, d) as LayoutBlock));
  expect(order).toEqual(page.blocks.map((_, i) => i));
  for (let i = 1; i < page.blocks.length; i++) {
    const a = page.blocks[i - 1];
    const b = page.blocks[i];
    const la = layout.blocks[i - 1];
    const lb = layout.blocks[i];
    if (!a || !b || !la || !lb) continue;
    if (a.row < b.row) expect(lb.box.y0, `block ${i} starts below the row before`).toBeGreaterThan(la.box.y0);
    else if (a.slot < b.slot) expect(lb.box.x0, `block ${i} is right of block ${i - 1}`).toBeGreaterThanOrEqual(la.box.x1);
    else expect(lb.box.y0, `block ${i} is stacked under block ${i - 1}`).toBeGreaterThanOrEqual(la.box.y1);
  }
}

function expectMasthead({ page, layout }: Analysed): void {
  expect(layout.mastheads).toHaveLength(1);
  expectBoxNear(layout.mastheads[0], page.masthead, 1, 'masthead');
  const rule = page.rules[0];
  for (const b of layout.blocks) {
    expect(b.box.y0, 'no story block above the double rule').toBeGreaterThan(rule?.y1 ?? 0);
  }
}

/** The indent of paragraph-first lines is measurable from the layout lines alone (as recognise.markIndents does). */
function expectIndentsDetectable({ page, layout }: Analysed): number {
  let indented = 0;
  page.blocks.forEach((drawn, i) => {
    drawn.columns.forEach((dc, c) => {
      const lines = layout.blocks[i]?.columns[c]?.lines ?? [];
      const left = median(lines.map((l) => l.x0));
      const found = lines.map((l) => l.x0 - left > layout.bodyGlyphHeight);
      expect(found, `block ${i} column ${c} indents`).toEqual(dc.lines.map((l) => l.indented));
      indented += found.filter(Boolean).length;
    });
  });
  return indented;
}

describe('analysePage on synthetic pages', () => {
  describe('two rows of side-by-side stories (5-column grid)', () => {
    const get = lazy({
      gridColumns: 5,
      rows: [
        { slots: [{ span: 3, blocks: [{ headlineLines: 2, linesPerColumn: 8 }] }, { span: 2, blocks: [{ linesPerColumn: 10 }] }] },
        { slots: [{ span: 2, blocks: [{ linesPerColumn: 6 }] }, { span: 2, blocks: [{ linesPerColumn: 6 }] }, { span: 1, blocks: [{ linesPerColumn: 9 }] }] },
      ],
    });

    it('finds every block, in reading order', () => {
      expectLayoutMatches(get());
      expectReadingOrder(get());
      expect(get().layout.blocks.map((b) => b.columns.length)).toEqual([3, 2, 2, 2, 1]);
    });

    it('separates the masthead above the double rule', () => {
      expectMasthead(get());
    });

    it('finds the two-line headline above the body columns', () => {
      const first = get().layout.blocks[0];
      expect(first?.headline).toHaveLength(2);
      const headBottom = Math.max(...(first?.headline ?? []).map((l) => l.y1));
      for (const col of first?.columns ?? []) expect(col.box.y0).toBeGreaterThan(headBottom);
      for (const l of first?.headline ?? []) expect(l.glyphHeight).toBeGreaterThanOrEqual(1.45 * get().layout.bodyGlyphHeight);
    });

    it('makes paragraph-first lines detectable by their indent', () => {
      expect(expectIndentsDetectable(get())).toBeGreaterThan(10);
    });
  });

  describe('a row with a stacked right slot', () => {
    const get = lazy({
      gridColumns: 5,
      rows: [
        {
          slots: [
            { span: 3, blocks: [{ headlineLines: 1, author: true, linesPerColumn: 14 }] },
            { span: 2, blocks: [{ linesPerColumn: 4 }, { linesPerColumn: 3 }, { kind: 'ad' }] },
          ],
        },
        { slots: [{ span: 5, blocks: [{ linesPerColumn: 5 }] }] },
      ],
    });

    it('reads the left story, then the stacked blocks top to bottom, then the next row', () => {
      expectLayoutMatches(get());
      expectReadingOrder(get());
      expect(get().page.blocks.map((b) => [b.row, b.slot, b.stack])).toEqual([
        [0, 0, 0],
        [0, 1, 0],
        [0, 1, 1],
        [0, 1, 2],
        [1, 0, 0],
      ]);
    });

    it('finds the centred author line under the headline', () => {
      const [story] = get().layout.blocks;
      expect(story?.author).toHaveLength(1);
      expect(story?.columns.map((c) => c.lines.length)).toEqual([14, 14, 14]);
    });

    it('marks the block of large type without running text as furniture', () => {
      const ad = get().layout.blocks[3];
      expect(ad?.furniture).toBe(true);
      expect(ad?.columns).toHaveLength(0);
      expect(ad?.other.length).toBeGreaterThan(0);
    });

    it('makes paragraph-first lines detectable by their indent', () => {
      expectMasthead(get());
      expect(expectIndentsDetectable(get())).toBeGreaterThan(10);
    });
  });

  describe('three body columns vs two in blocks of the same width', () => {
    const get = lazy({
      gridColumns: 4,
      rows: [
        { slots: [{ span: 2, blocks: [{ columns: 3, linesPerColumn: 9 }] }, { span: 2, blocks: [{ columns: 2, linesPerColumn: 9 }] }] },
        { slots: [{ span: 2, blocks: [{ columns: 2, linesPerColumn: 7, paragraphLines: 0 }] }, { span: 2, blocks: [{ columns: 3, linesPerColumn: 7, paragraphLines: 5 }] }] },
      ],
    });

    it('counts the body columns of each block, not the page grid', () => {
      expectLayoutMatches(get());
      expectReadingOrder(get());
      expect(get().layout.blocks.map((b) => b.columns.length)).toEqual([3, 2, 2, 3]);
      expect(get().layout.blocks.map((b) => b.columns.map((c) => c.lines.length))).toEqual([
        [9, 9, 9],
        [9, 9],
        [7, 7],
        [7, 7, 7],
      ]);
    });

    it('keeps each column inside its own x range (no line crosses a gutter)', () => {
      for (const block of get().layout.blocks) {
        for (let c = 1; c < block.columns.length; c++) {
          const left = block.columns[c - 1];
          const right = block.columns[c];
          if (!left || !right) continue;
          const leftInk = Math.max(...left.lines.map((l) => l.x1));
          const rightInk = Math.min(...right.lines.map((l) => l.x0));
          expect(rightInk - leftInk).toBeGreaterThanOrEqual(SYNTH.gutter);
        }
      }
    });

    it('finds no indent where the text has none, and every one where it has', () => {
      const { layout } = get();
      const noIndents = layout.blocks[2];
      expect(noIndents?.columns).toHaveLength(2);
      for (const col of noIndents?.columns ?? []) {
        const left = median(col.lines.map((l) => l.x0));
        expect(col.lines.every((l) => l.x0 - left <= layout.bodyGlyphHeight)).toBe(true);
      }
      expectIndentsDetectable(get());
    });
  });

  describe('photos with captions', () => {
    const get = lazy({
      gridColumns: 5,
      rows: [
        {
          slots: [
            { span: 3, blocks: [{ headlineLines: 1, photo: { height: 360, captionLines: 2 }, columns: 3, linesPerColumn: 6 }] },
            { span: 2, blocks: [{ kind: 'photo', photo: { height: 420, captionLines: 1 } }, { linesPerColumn: 4 }] },
          ],
        },
        { slots: [{ span: 5, blocks: [{ headlineLines: 1, linesPerColumn: 4 }] }] },
      ],
    });

    it('detects the photos and their captions, in reading order', () => {
      expectLayoutMatches(get());
      expectReadingOrder(get());
      expectMasthead(get());
    });

    it('keeps caption lines out of the body columns', () => {
      const story = get().layout.blocks[0];
      const drawn = get().page.blocks[0];
      const captionBottom = Math.max(...(drawn?.captionLines ?? []).map((l) => l.y1));
      for (const col of story?.columns ?? []) expect(col.box.y0).toBeGreaterThan(captionBottom);
      expect(story?.captions[0]).toHaveLength(2);
    });

    it('gives a photo standing alone its caption, no headline and no columns', () => {
      const alone = get().layout.blocks[1];
      expect(alone?.photos).toHaveLength(1);
      expect(alone?.headline).toHaveLength(0);
      expect(alone?.columns).toHaveLength(0);
      expect(alone?.captions.map((g) => g.length)).toEqual([1]);
      expect(alone?.furniture).toBe(false);
    });

    it('takes no photo component as a text line', () => {
      for (const block of get().layout.blocks) {
        for (const line of block.columns.flatMap((c) => c.lines)) expect(line.y1 - line.y0).toBeLessThanOrEqual(SYNTH.bodyGlyph);
      }
    });
  });

  describe('a 5-column grid', () => {
    const get = lazy({
      gridColumns: 5,
      rows: [
        { slots: [{ span: 1, blocks: [{ headlineLines: 0, linesPerColumn: 12 }] }, { span: 4, blocks: [{ headlineLines: 2, linesPerColumn: 10 }] }] },
        {
          slots: [
            { span: 2, blocks: [{ linesPerColumn: 7 }] },
            { span: 1, blocks: [{ linesPerColumn: 5 }, { linesPerColumn: 3 }] },
            { span: 2, blocks: [{ columns: 3, linesPerColumn: 9 }] },
          ],
        },
      ],
    });

    it('finds blocks, columns and lines in reading order', () => {
      expectLayoutMatches(get());
      expectReadingOrder(get());
      expectMasthead(get());
      expect(get().layout.blocks.map((b) => b.columns.length)).toEqual([1, 4, 2, 1, 1, 3]);
    });

    it('reads a one-column block without headline as a story, not furniture', () => {
      const brief = get().layout.blocks[0];
      expect(brief?.headline).toHaveLength(0);
      expect(brief?.furniture).toBe(false);
      expect(brief?.columns[0]?.lines).toHaveLength(12);
    });

    it('makes paragraph-first lines detectable by their indent', () => {
      expect(expectIndentsDetectable(get())).toBeGreaterThan(15);
    });
  });

  describe('a 7-column grid', () => {
    const get = lazy({
      gridColumns: 7,
      width: 2400,
      rows: [
        {
          slots: [
            { span: 4, blocks: [{ headlineLines: 1, author: true, linesPerColumn: 10 }] },
            { span: 3, blocks: [{ linesPerColumn: 4 }, { columns: 2, linesPerColumn: 3 }] },
          ],
        },
        {
          slots: [
            { span: 2, blocks: [{ linesPerColumn: 8 }] },
            { span: 3, blocks: [{ columns: 2, linesPerColumn: 8 }] },
            { span: 2, blocks: [{ kind: 'photo', photo: { height: 320 } }] },
          ],
        },
        { slots: [{ span: 7, blocks: [{ headlineLines: 1, linesPerColumn: 4 }] }] },
      ],
    });

    it('finds blocks, columns and lines in reading order', () => {
      expectLayoutMatches(get());
      expectReadingOrder(get());
      expectMasthead(get());
      expect(get().layout.blocks.map((b) => b.columns.length)).toEqual([4, 3, 2, 2, 2, 0, 7]);
    });

    it('makes paragraph-first lines detectable by their indent', () => {
      expect(expectIndentsDetectable(get())).toBeGreaterThan(15);
    });
  });

  it('finds no masthead on a page without one and keeps the first row', () => {
    const result = analyse({ gridColumns: 3, masthead: false, rows: [{ slots: [{ span: 2, blocks: [{ linesPerColumn: 6 }] }, { span: 1, blocks: [{ linesPerColumn: 8 }] }] }] });
    expect(result.layout.mastheads).toHaveLength(0);
    expectLayoutMatches(result);
    expectReadingOrder(result);
  });
});
