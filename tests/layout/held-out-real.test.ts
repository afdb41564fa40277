/**
 * Layout rules found on held-out real-style pages (issue 11, seeds 3 and 8 at office, archive and
 * web resolution): a reversed label on a short dark box, two multi-line headlines side by side, a
 * continuation set level with another story's headline, and stories on a tinted box. Pages are
 * drawn at test time, glyphs as squares, as in stories.test.ts.
 */
import { COLUMN, columnCount, DrawnPage, GLYPH, GUTTER, HEAD, LINE, PITCH, stories } from './drawn-page.js';
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../src/image/gray-image.js';
import { analysePage } from '../../src/stages/layout/analyse.js';
import { inkMask, withTints } from '../../src/stages/layout/mask.js';
import { buildFragments } from '../../src/stages/layout/lines.js';
import { findPictures, paperLevel } from '../../src/stages/layout/photos.js';
import { emptyBlock } from '../../src/stages/layout/block.js';
import { splitAtContinuation } from '../../src/stages/assemble-page/assemble.js';
import type { RecognizedBlock, RecognizedColumn } from '../../src/stages/recognise/recognise.js';

describe('held-out real-style layouts', () => {
  it('a two-glyph label on a dark box over the first column is a reversed label, not a headline of its own (s8 office page 2)', () => {
    const page = new DrawnPage(2000, 1000);
    // (No body line crosses y = 300: the page's glyph height is measured on inch-high bands.)
    page.label(60, 20);
    const width = 5 * COLUMN + 4 * GUTTER;
    page.headline(60 + Math.round((width - 6 * 90) / 2), 100, 6);
    for (let c = 0; c < 5; c++) page.column(60 + c * (COLUMN + GUTTER), 210, 12);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(1);
    expect(columnCount(found[0]!)).toBe(5);
    expect(found[0]!.section.map((l) => l.reversed)).toEqual([true]);
  });

  it('two headlines of two lines each, side by side a gutter apart, are two stories (s8 archive page 1)', () => {
    const page = new DrawnPage(1600, 1000);
    const storyWidth = 2 * COLUMN + GUTTER;
    const n = Math.floor((storyWidth + 10) / 90);
    for (const x of [60, 60 + storyWidth + GUTTER]) {
      // Each headline fills its story's width on its second line, its first line ends a glyph short.
      page.headline(x, 60, n - 1);
      page.headline(x, 160, n);
      for (let c = 0; c < 2; c++) page.column(x + c * (COLUMN + GUTTER), 310, 12);
    }
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(2);
    expect(found.map(columnCount)).toEqual([2, 2]);
    expect(found.map((b) => b.headline.length)).toEqual([2, 2]);
  });

  it('one headline of two lines, cut at the same place on both over the gutter of its columns, stays one (dev-clean page 2)', () => {
    const page = new DrawnPage(1000, 1000);
    const gutterX = 60 + COLUMN;
    for (const y of [60, 160]) {
      page.headline(gutterX - (3 * 90 - 10), y, 3);
      page.headline(gutterX + GUTTER, y, 3);
    }
    // (Body text from y = 310: the page's glyph height, measured on inch-high bands, is not cut short.)
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 310, 12);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(1);
    expect(columnCount(found[0]!)).toBe(2);
  });

  it('columns set level with the top of a headline beside them are a story of their own, not that headline\'s (s8 office page 2)', () => {
    const page = new DrawnPage(2000, 1000);
    // A story: its headline over its two columns, which start under it.
    page.headline(100, 60, 6);
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 200, 14);
    // A continuation from another page right of it, starting level with the headline's top, and
    // the next story under that.
    const bx = 60 + 2 * (COLUMN + GUTTER);
    for (let c = 0; c < 3; c++) page.column(bx + c * (COLUMN + GUTTER), 60, 6);
    page.headline(bx + 100, 400, 6);
    for (let c = 0; c < 3; c++) page.column(bx + c * (COLUMN + GUTTER), 540, 6);
    const found = stories(analysePage(page.image()).blocks);
    expect(found.map((b) => [b.headline.length, columnCount(b)])).toEqual([
      [1, 2],
      [0, 3],
      [1, 3],
    ]);
  });

  it('body glyphs on a headline\'s baseline a gutter left of it do not cut their column at its foot (s3 web page 2)', () => {
    const page = new DrawnPage(1500, 1000);
    // A continuation from another page, two columns; the next story under it; a story right of it
    // whose headline stands on the baseline of the continuation's fourth line, which there ends in
    // three glyphs set apart (strung into the headline's line across the gutter).
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 60, 8);
    const line4 = 60 + 3 * LINE;
    page.fill({ x0: 60 + COLUMN + GUTTER, y0: line4, x1: 60 + 2 * COLUMN + GUTTER, y1: line4 + GLYPH }, 255);
    page.glyphs(60 + COLUMN + GUTTER, line4, 3);
    page.glyphs(60 + COLUMN + GUTTER + 6 * PITCH, line4, 3);
    page.headline(60, 480, 6);
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 610, 8);
    const bx = 60 + 2 * (COLUMN + GUTTER);
    page.headline(bx, line4 + GLYPH - HEAD, 6);
    for (let c = 0; c < 2; c++) page.column(bx + c * (COLUMN + GUTTER), line4 + GLYPH + 40, 14);
    const found = stories(analysePage(page.image()).blocks);
    expect(found.map((b) => [b.headline.length, columnCount(b), b.box.x0])).toEqual([
      [0, 2, 60],
      [1, 2, 60],
      [1, 2, bx],
    ]);
  });

  it('columns in a box beside another story\'s headline, level with its top, stay with the vertical headline of their box (s2 web page 2)', () => {
    const page = new DrawnPage(2000, 1000);
    // A story on paper, its headline over its two columns.
    page.headline(60, 60, 6);
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 200, 16);
    // A boxed story right of it, shorter than the page's print (its rules cut no region): a vertical
    // headline at the box's left, three columns starting at the box's top, level with the other
    // story's headline.
    const bx = 60 + 2 * (COLUMN + GUTTER);
    const box = { x0: bx, y0: 40, x1: bx + 100 + 3 * (COLUMN + GUTTER) + 20, y1: 440 };
    for (const r of [{ ...box, y1: box.y0 + 3 }, { ...box, y0: box.y1 - 3 }, { ...box, x1: box.x0 + 3 }, { ...box, x0: box.x1 - 3 }]) page.fill(r);
    for (let i = 0; i < 4; i++) page.glyphs(bx + 20, 60 + i * 90, 1, HEAD);
    for (let c = 0; c < 3; c++) page.column(bx + 120 + c * (COLUMN + GUTTER), 60, 8);
    const found = stories(analysePage(page.image()).blocks);
    expect(found.map((b) => [b.headlineWritingMode ?? 'horizontal-tb', columnCount(b)])).toEqual([
      ['horizontal-tb', 2],
      ['vertical-rl', 3],
    ]);
  });

  it('a story on a tinted box is a story, and the picture on the tint a picture (s3 web page 2, s8 web page 2)', () => {
    const page = new DrawnPage(2600, 1300);
    // A story on paper, and one beside it on a light gray box with a picture.
    page.headline(60, 60, 8);
    for (let c = 0; c < 3; c++) page.column(60 + c * (COLUMN + GUTTER), 200, 22);
    const tint = { x0: 1240, y0: 40, x1: 2560, y1: 1260 };
    page.fill(tint, 225);
    page.headline(1280, 80, 6);
    const photo = { x0: 1280, y0: 200, x1: 1280 + 2 * COLUMN + GUTTER, y1: 600 };
    page.fill(photo, 90);
    for (let c = 0; c < 3; c++) page.column(1280 + c * (COLUMN + GUTTER), 640, 12);
    const image = page.image();
    const mask = inkMask(image);
    const { photos, tints } = findPictures(image, paperLevel(image), { cell: 25, minSide: 150, inkThreshold: mask.threshold });
    expect(tints.map((t) => t.level)).toEqual([225]);
    expect(photos).toEqual([photo]);
    const found = stories(analysePage(image).blocks);
    expect(found.filter((b) => b.columns.length > 0).map(columnCount)).toEqual([3, 3]);
    expect(found.flatMap((b) => b.photos)).toEqual([photo]);
  });

  it('on a low-resolution scan, a tint scarcely lighter than the ink threshold is paper in the mask, its noise no ink', () => {
    const width = 600;
    const height = 300;
    const tint = { x0: 400, y0: 100, x1: 550, y1: 200 };
    const data = new Uint8Array(width * height).fill(247);
    // Gray text (a 95 dpi scan), a tint at 215 with JPEG noise of +-8 on it, one glyph of ink on the tint.
    for (let y = 0; y < height; y++) for (let x = 10; x < 350; x++) if (y % 20 < 12 && x % 12 < 10) data[y * width + x] = 150;
    for (let y = tint.y0; y < tint.y1; y++) for (let x = tint.x0; x < tint.x1; x++) data[y * width + x] = 215 + (((x * 7 + y * 13) % 17) - 8);
    for (let y = 140; y < 150; y++) for (let x = 450; x < 460; x++) data[y * width + x] = 60;
    const image: GrayImage = { width, height, data, dpi: 95 };
    const mask = inkMask(image);
    // The tint a few levels over the page's ink threshold, as on s8 web page 2 (219 over 214).
    expect(mask.threshold).toBe(209);
    const inTint = (m: { data: Uint8Array }): number => {
      let n = 0;
      for (let y = tint.y0; y < tint.y1; y++) for (let x = tint.x0; x < tint.x1; x++) n += m.data[y * width + x]!;
      return n;
    };
    expect(inTint(mask)).toBeGreaterThan(1000);
    expect(inTint(withTints(mask, image, [{ ...tint, level: 215 }], paperLevel(image)))).toBe(100);
  });
});

describe('a picture over columns of running text, no headline found', () => {
  it('the columns are a story, not the picture\'s caption (s3 office page 2: a headline lost in the picture)', () => {
    const page = new DrawnPage(1300, 1100);
    page.fill({ x0: 60, y0: 60, x1: 60 + 3 * COLUMN + 2 * GUTTER, y1: 460 }, 90);
    for (let c = 0; c < 3; c++) page.column(60 + c * (COLUMN + GUTTER), 500, 10);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(1);
    expect(found[0]!.photos).toHaveLength(1);
    expect(columnCount(found[0]!)).toBe(3);
    expect(found[0]!.captions).toEqual([]);
  });
});

describe('dense bars and labels', () => {
  it('keeps the glyphs standing in the box of a wide dense blob that is not solid to its rim (s1 web page 2)', () => {
    // A headline and a body line blurred into one wide, dense, ragged component at 78 dpi, and a
    // glyph of its own inside that component's box.
    const blob = { x0: 0, y0: 0, x1: 400, y1: 40, pixels: 0.6 * 400 * 40 };
    const glyph = { x0: 100, y0: 20, x1: 112, y1: 32, pixels: 100 };
    const next = { x0: 114, y0: 20, x1: 126, y1: 32, pixels: 100 };
    const fragments = buildFragments([blob, glyph, next], { minGlyph: 3, gapFactor: 0.8, solidToRim: () => false });
    expect(fragments.filter((f) => f.reversed)).toHaveLength(1);
    expect(fragments.filter((f) => !f.reversed).flatMap((f) => f.parts)).toEqual([glyph, next]);
  });

  it('at web resolution a mid-gray blob of two headline glyphs, solid to its rim, stays headline type (s4 web page 1)', () => {
    const page = new DrawnPage(700, 500, 245);
    // Headline glyphs blurred two by two into gray blobs (20 px high, 40 wide) over body text of 10 px glyphs.
    for (let i = 0; i < 4; i++) page.fill({ x0: 40 + i * 46, y0: 30, x1: 80 + i * 46, y1: 50 }, 150);
    for (let c = 0; c < 2; c++) for (let l = 0; l < 12; l++) for (let g = 0; g < 12; g++) page.fill({ x0: 40 + c * 170 + g * 13, y0: 70 + l * 15, x1: 50 + c * 170 + g * 13, y1: 80 + l * 15 }, 40);
    const blocks = stories(analysePage(page.image(90)).blocks);
    expect(blocks.flatMap((b) => b.headline).map((l) => l.reversed)).toEqual([false]);
    expect(blocks.flatMap((b) => b.section)).toEqual([]);
  });

  it('drops the ink standing inside a label solid to its rim (the holes of its white glyphs)', () => {
    const label = { x0: 0, y0: 0, x1: 120, y1: 60, pixels: 0.7 * 120 * 60 };
    const hole = { x0: 20, y0: 20, x1: 32, y1: 32, pixels: 100 };
    const hole2 = { x0: 34, y0: 20, x1: 46, y1: 32, pixels: 100 };
    const fragments = buildFragments([label, hole, hole2], { minGlyph: 3, gapFactor: 0.8, solidToRim: (c) => c === label });
    expect(fragments.map((f) => f.reversed)).toEqual([true]);
  });
});

describe('a picture on a low-resolution gray scan', () => {
  it('ends at the blank line under a headline set just over it (s8 web page 2, s3 web page 2)', () => {
    const page = new DrawnPage(600, 500, 248);
    // Headline type 20 px high at 90 dpi, 2 px over a picture with a light sky and a darker ground.
    page.glyphs(100, 78, 8, 20, 3);
    page.fill({ x0: 100, y0: 100, x1: 400, y1: 180 }, 200);
    page.fill({ x0: 100, y0: 180, x1: 400, y1: 300 }, 90);
    for (let y = 100; y < 180; y += 3) for (let x = 100; x < 400; x += 7) page.fill({ x0: x, y0: y, x1: x + 1, y1: y + 1 }, 150);
    const image = page.image(90);
    const { photos } = findPictures(image, paperLevel(image), { cell: 8, minSide: 45, growLightTones: true, inkThreshold: inkMask(image).threshold });
    expect(photos).toEqual([{ x0: 100, y0: 100, x1: 400, y1: 300 }]);
  });
});

describe('a jump line heading a column beside another story', () => {
  const line = (text: string, x: number, y: number) => ({ text, box: { x0: x, y0: y, x1: x + 300, y1: y + 40 }, confidence: 0.9, indented: false });
  const column = (x: number, y: number, texts: readonly string[]): RecognizedColumn => ({
    box: { x0: x, y0: y, x1: x + 300, y1: y + texts.length * 62 },
    lines: texts.map((t, i) => line(t, x, y + i * 62)),
  });
  it('opens a story of its own, also level with the top of the story beside it (s8 office page 2)', () => {
    const block: RecognizedBlock = {
      layout: emptyBlock({ x0: 100, y0: 100, x1: 1500, y1: 1200 }, [], {}),
      section: [],
      headline: [line('世界艾滋病日主题宣传活动进校园', 100, 100)],
      author: [],
      captions: [],
      columns: [
        column(100, 600, ['本报讯（记者 高燕）12月1日是世界艾滋病日，', '我国今年宣传主题为凝聚社会力量。']),
        column(450, 600, ['是日，在大同大学北校区图书馆门前，', '预防艾滋病宣传展板吸引了众多学生。']),
        column(800, 100, ['（上接第1版）', '据悉，他返乡创业，扎根农村，', '通过引进高科技农业设备。']),
        column(1150, 100, ['此次被表彰的全国乡村振兴青年先锋，', '是各地乡村振兴一线的优秀代表。']),
      ],
      other: [],
    };
    const parts = splitAtContinuation(block);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.columns.map((c) => c.box.x0)).toEqual([100, 450]);
    expect(parts[1]!.columns.map((c) => c.lines[0]!.text)).toEqual(['（上接第1版）', '此次被表彰的全国乡村振兴青年先锋，']);
  });
});
