/**
 * Recognise the regions layout analysis found: each body column as one block, headline, kicker and
 * author lines as single lines, caption groups as blocks. Boxes come back in page coordinates.
 */
import { cropGray, type GrayImage } from '../../image/gray-image.js';
import { grayFromSharp, sharpFromGray } from '../../image/sharp-gray.js';
import type { Box } from '../../image/geometry.js';
import { overlap1d } from '../../image/geometry.js';
import type { BlockParts, LayoutBlock, LayoutLine, PageLayout, PartColumn } from '../layout/types.js';
import { cleanLineText, closeTrailingQuote, prepareLineImage, type PreparedLine } from './line-prep.js';
import type { RecognizedLine, Recognizer, SegmentationMode } from '../../ocr/types.js';

export interface TextLine {
  readonly text: string;
  readonly box: Box;
  readonly confidence: number;
  /** Body lines: the line starts a paragraph (printed indent). */
  readonly indented: boolean;
  /**
   * Body lines: the printed line stops well short of the column's right edge, so it ends a
   * paragraph (justified text runs to the edge), and the next line starts one even when it is not
   * indented (an inter-title set flush left).
   */
  readonly endsShort?: boolean;
  /** Display lines: read as white on dark (a reversed label), whether or not layout flagged it so. */
  readonly reversed?: boolean;
  /** A vertical headline's glyph cell, or its whole reading (see cellLines). */
  readonly vertical?: boolean;
}

export type RecognizedColumn = PartColumn<TextLine>;

/** A layout block's parts read as text. */
export interface RecognizedBlock extends BlockParts<TextLine> {
  readonly layout: LayoutBlock;
}

export interface RecognizedPage {
  readonly mastheads: readonly TextLine[];
  readonly blocks: readonly RecognizedBlock[];
}

/**
 * Glyph height, px, body columns and captions are scaled to before recognition. Measured on the
 * development scans over 22-32 px: 26 px gave the lowest article CER (office 0.014 → 0.007) and cut
 * the OCR time by about a sixth.
 */
const BODY_GLYPH_TARGET = 26;
/**
 * Body glyphs under this height, px (a 72-150 dpi scan), are enlarged region by region before
 * recognition: chi_sim cannot tell characters apart at 7-9 px. The page itself is left at its size
 * (layout works on it as it is), only the crops are enlarged.
 */
const LOW_RES_GLYPH = 20;
/**
 * The glyph height, px, such small body text is enlarged to. Not BODY_GLYPH_TARGET: a 9 px glyph
 * enlarged has no more detail, only more blur, and chi_sim reads the blur worse the larger it is.
 * Measured on the 72 dpi real scan's ground-truth column boxes (every third, 1514 characters):
 * CER 0.78 at 9 px (as scanned), 0.46 at 12, 0.36 at 14, 0.37 at 18, 0.41 at 26.
 */
const LOW_RES_GLYPH_TARGET = 14;

/**
 * The kernel small body text is enlarged with. A soft one: lanczos3's ringing around one-pixel
 * strokes reads as extra strokes. On the real scan's ground-truth column boxes (6100 characters,
 * 14 px): bilinear CER 0.354, lanczos3/cubic/mitchell 0.367, nearest 0.53; sharpening after the
 * enlargement 0.47-0.51, Otsu binarisation 0.59.
 */
const ENLARGE_KERNEL = 'linear';

/** How much more a display line of a low-resolution page is enlarged for its second reading. */
const LOW_RES_LINE_BOOST = 1.4;

/** The factor body-text crops are scaled by: down from large print, up from small print. */
export function bodyScaleFor(bodyGlyphHeight: number): number {
  if (bodyGlyphHeight > 1.1 * BODY_GLYPH_TARGET) return BODY_GLYPH_TARGET / bodyGlyphHeight;
  if (bodyGlyphHeight > 0 && bodyGlyphHeight < LOW_RES_GLYPH) return Math.max(1, LOW_RES_GLYPH_TARGET / bodyGlyphHeight);
  return 1;
}

/**
 * Reads one region of the page: OCR of its pixels, or a born-digital page's text layer. `lines`: a
 * block's lines as layout found them (page coordinates), for a recogniser that reads line by line.
 */
export type RegionReader = ((box: Box, mode: SegmentationMode, within: Box, invert: boolean, glyphHeight: number, lines?: readonly Box[]) => Promise<TextLine[]>) & {
  /** Reads a vertical headline's glyph cells (in reading order) as one line; absent: each cell is read as a line. */
  readonly readCells?: (cells: readonly LayoutLine[]) => Promise<TextLine[]>;
};

export async function recognisePage(image: GrayImage, layout: PageLayout, recognizer: Recognizer, pageKey: string): Promise<RecognizedPage> {
  return readLayout(layout, ocrReader(image, layout, recognizer, pageKey));
}

/**
 * The OCR reader: crops the region and recognises it. A single display line (headline, kicker,
 * author) gets a wider margin at the sides (a line-initial quote or dash is often outside the layout
 * box) and an image prepared for the recogniser (see line-prep), and its text is cleaned up.
 */
export function ocrReader(image: GrayImage, layout: PageLayout, recognizer: Recognizer, pageKey: string): RegionReader {
  const pad = Math.round(layout.bodyGlyphHeight * 0.3);
  // The recogniser reads best at about body-text size: large type is scaled down to it.
  const targetGlyph = Math.max(24, Math.min(48, layout.bodyGlyphHeight * 1.1));
  const lowResolution = layout.bodyGlyphHeight > 0 && layout.bodyGlyphHeight < LOW_RES_GLYPH;
  /**
   * On a low-resolution page a display line is read a second time, enlarged by LOW_RES_LINE_BOOST:
   * thin display faces (a 宋体 headline) have one-pixel strokes there that read only when enlarged,
   * bold ones read as well either way; the reading with the higher confidence is kept. On the
   * 72 dpi real scan: "人断信息工作数旺关" (0.00) → "农业市场信息工作成效显基" (0.34).
   */
  const readDisplayLine = async (box: Box, within: Box, reversed: boolean, glyphHeight: number, source: GrayImage = image): Promise<TextLine[]> => {
    const once = await readDisplayLineAt(box, within, reversed, glyphHeight, source);
    if (!lowResolution || glyphHeight <= 0) return once;
    const enlarged = await readDisplayLineAt(box, within, reversed, glyphHeight / LOW_RES_LINE_BOOST, source);
    return (enlarged[0]?.confidence ?? 0) > (once[0]?.confidence ?? 0) ? enlarged : once;
  };
  const readDisplayLineAt = async (box: Box, within: Box, reversed: boolean, glyphHeight: number, source: GrayImage): Promise<TextLine[]> => {
    const side = reversed ? pad : pad + Math.round(0.5 * glyphHeight);
    const region = padBox(box, pad, within, source, side);
    const crop = cropGray(source, { x: region.x0, y: region.y0, w: region.x1 - region.x0, h: region.y1 - region.y0 });
    const lineBox = { x0: box.x0 - region.x0, y0: box.y0 - region.y0, x1: box.x1 - region.x0, y1: box.y1 - region.y0 };
    const prepared = await prepareLineImage(crop, { glyphHeight, reversed, lineBox });
    const result = await recognizer.recognize({ image: prepared.image, mode: 'line', pageKey });
    const merged = mergeIntoOne(result.lines.map((l) => toPageLine(fromPrepared(l, prepared), region)));
    if (!merged) return [];
    let text = cleanLineText(merged.text);
    if (prepared.leadingDash && !text.startsWith('\u2014')) text = `\u2014\u2014${text}`;
    if (prepared.leadingBullet) text = `\u25A0 ${text}`;
    return text ? [{ ...merged, text, ...(prepared.reversed ? { reversed: true } : {}) }] : [];
  };
  const readCells = async (cells: readonly LayoutLine[]): Promise<TextLine[]> => {
    const strip = verticalStrip(image, cells);
    if (!strip) return [];
    const read = await readDisplayLine(strip.line, strip.whole, false, strip.glyphHeight, strip.image);
    return read.map((l) => ({ ...l, box: strip.cellsBox }));
  };
  const reader = async (box: Box, mode: SegmentationMode, within: Box, invert: boolean, glyphHeight: number, lines?: readonly Box[]): Promise<TextLine[]> => {
    if (mode === 'line') return readDisplayLine(box, within, invert, glyphHeight);
    const region = padBox(box, pad, within, image);
    let crop = cropGray(image, { x: region.x0, y: region.y0, w: region.x1 - region.x0, h: region.y1 - region.y0 });
    if (invert) for (let i = 0; i < crop.data.length; i++) crop.data[i] = 255 - (crop.data[i] ?? 0);
    // Body text at 300 dpi is larger than the recogniser needs: scaled to BODY_GLYPH_TARGET it reads
    // both faster and better; body text of a low-resolution scan is enlarged to it.
    const bodyScale = bodyScaleFor(layout.bodyGlyphHeight);
    const scale = glyphHeight > 1.3 * targetGlyph ? targetGlyph / glyphHeight : bodyScale;
    const scaled = Math.abs(scale - 1) > 0.01;
    if (scaled) {
      const kernel = scale > 1 ? ENLARGE_KERNEL : 'lanczos3';
      crop = await grayFromSharp(sharpFromGray(crop).resize(Math.max(1, Math.round(crop.width * scale)), Math.max(1, Math.round(crop.height * scale)), { kernel }), Math.round(crop.dpi * scale));
    }
    const hints = lines?.map((l) => ({ x: (l.x0 - region.x0) * scale, y: (l.y0 - region.y0) * scale, w: (l.x1 - l.x0) * scale, h: (l.y1 - l.y0) * scale }));
    const result = await recognizer.recognize({ image: crop, mode, pageKey, ...(hints ? { lines: hints } : {}) });
    return result.lines.map((l) => toPageLine(scaled ? unscale(l, scale) : l, region));
  };
  return Object.assign(reader, { readCells });
}

/**
 * A vertical headline's glyph cells, in reading order, set side by side in one horizontal line on
 * white: chi_sim reads a line with its context far better than one glyph at a time, and a cell
 * cropped on its own takes in the neighbouring column's glyphs at the sides.
 */
export function verticalStrip(image: GrayImage, cells: readonly LayoutLine[]): { image: GrayImage; line: Box; whole: Box; glyphHeight: number; cellsBox: Box } | undefined {
  if (cells.length === 0) return undefined;
  const heights = cells.map((c) => c.y1 - c.y0).sort((a, b) => a - b);
  const glyph = heights[Math.floor(heights.length / 2)] ?? 0;
  if (glyph <= 0) return undefined;
  const margin = Math.round(glyph);
  const gap = Math.max(1, Math.round(0.12 * glyph));
  const tallest = heights[heights.length - 1] ?? glyph;
  const width = cells.reduce((w, c) => w + (c.x1 - c.x0) + gap, 2 * margin - gap);
  const height = tallest + 2 * margin;
  const data = new Uint8Array(width * height).fill(255);
  let x = margin;
  for (const cell of cells) {
    const w = cell.x1 - cell.x0;
    const h = cell.y1 - cell.y0;
    const top = margin + Math.floor((tallest - h) / 2);
    for (let row = 0; row < h; row++) {
      const sy = cell.y0 + row;
      if (sy < 0 || sy >= image.height) continue;
      for (let col = 0; col < w; col++) {
        const sx = cell.x0 + col;
        if (sx < 0 || sx >= image.width) continue;
        data[(top + row) * width + x + col] = image.data[sy * image.width + sx] ?? 255;
      }
    }
    x += w + gap;
  }
  const cellsBox = { x0: Math.min(...cells.map((c) => c.x0)), y0: Math.min(...cells.map((c) => c.y0)), x1: Math.max(...cells.map((c) => c.x1)), y1: Math.max(...cells.map((c) => c.y1)) };
  return { image: { width, height, data, dpi: image.dpi }, line: { x0: margin, y0: margin, x1: width - margin, y1: margin + tallest }, whole: { x0: 0, y0: 0, x1: width, y1: height }, glyphHeight: glyph, cellsBox };
}

/** Reads every region the layout found, by role, with `read`. */
export async function readLayout(layout: PageLayout, read: RegionReader): Promise<RecognizedPage> {
  const pad = Math.round(layout.bodyGlyphHeight * 0.3);
  const readLines = async (lines: readonly LayoutLine[], within: Box): Promise<TextLine[]> =>
    (await Promise.all(lines.map((l) => read(l, 'line', within, l.reversed, l.glyphHeight)))).map(mergeIntoOne).filter((l): l is TextLine => l !== undefined);
  // Story lines: specks far below body size dropped, fragments folded into the line they sit in,
  // a closing quote lost at the very end put back.
  // The glyph cells of a vertical headline keep the order layout gave them (columns right to left,
  // each top to bottom): sorted or joined by rows, two columns would read across, interleaved.
  const readStoryLines = async (lines: readonly LayoutLine[], within: Box): Promise<TextLine[]> => {
    const cells = lines.filter((l) => l.vertical);
    const horizontal = displayLines(lines.filter((l) => !l.vertical), layout.bodyGlyphHeight);
    const cellsRead = cells.length > 0 && read.readCells ? cellLines(cells, await read.readCells(cells)) : await readLines(cells, within);
    const all = [...cellsRead, ...(await readLines(horizontal, within))];
    const texts = closeTrailingQuote(all.map((l) => l.text));
    return all.map((l, i) => ({ ...l, text: texts[i] ?? l.text }));
  };
  const readGroup = async (lines: readonly LayoutLine[], within: Box): Promise<TextLine[]> => {
    if (lines.length === 0) return [];
    return mergeSameRow(await read(union(lines), 'block', within, false, 0, lines));
  };

  const page: Box = { x0: 0, y0: 0, x1: layout.width, y1: layout.height };
  const mastheadsPromise = Promise.all(layout.mastheads.map((m) => read(m, 'sparse', page, false, 0)));
  const blocks = await Promise.all(
    layout.blocks.map(async (block): Promise<RecognizedBlock> => {
      const within = block.box;
      const [section, headline, author, captions, columns, other] = await Promise.all([
        readStoryLines(block.section, within),
        readStoryLines(block.headline, within),
        readStoryLines(block.author, within),
        Promise.all(block.captions.map((g) => readGroup(g, within))),
        Promise.all(
          block.columns.map(async (column) => {
            const columnWithin = { ...within, x0: column.box.x0 - pad, x1: column.box.x1 + pad };
            const lines = mergeSameRow(await read(column.box, 'block', columnWithin, false, 0, column.lines));
            return { box: column.box, lines: markIndents(lines, column.lines, layout.bodyGlyphHeight) };
          }),
        ),
        readLines(block.other, within),
      ]);
      // A reversed label that layout took for the headline's first line is the story's kicker.
      const label = section.length === 0 ? leadingReversed(headline) : 0;
      return { layout: block, section: label > 0 ? headline.slice(0, label) : section, headline: headline.slice(label), author, captions, columns, other };
    }),
  );
  return { mastheads: (await mastheadsPromise).flat(), blocks };
}

/**
 * A vertical headline read as one line, given back as its cells' lines: a glyph each where the
 * reading has one glyph per cell, else the whole reading on one line over all the cells.
 */
function cellLines(cells: readonly LayoutLine[], read: readonly TextLine[]): TextLine[] {
  const line = read[0];
  if (!line) return [];
  const glyphs = [...line.text.replace(/\s+/gu, '')];
  if (glyphs.length !== cells.length) return [{ ...line, vertical: true }];
  return cells.map((cell, i) => ({ text: glyphs[i] ?? '', box: { x0: cell.x0, y0: cell.y0, x1: cell.x1, y1: cell.y1 }, confidence: line.confidence, indented: false, vertical: true }));
}

/** How many of a headline's first lines were read white on dark, as long as others follow. */
function leadingReversed(headline: readonly TextLine[]): number {
  let n = 0;
  while (n < headline.length && headline[n]?.reversed) n++;
  return n < headline.length ? n : 0;
}

function padBox(box: Box, pad: number, within: Box, image: GrayImage, side = pad): Box {
  return {
    x0: Math.max(0, within.x0, box.x0 - side),
    y0: Math.max(0, within.y0, box.y0 - pad),
    x1: Math.min(image.width, within.x1, box.x1 + side),
    y1: Math.min(image.height, within.y1, box.y1 + pad),
  };
}

/**
 * The section, headline or author lines of a story worth reading: specks under half the body glyph
 * height are no display type (rule ends, bar edges), and a small line lying in the row of a larger
 * one (the top of one glyph, a detached opening quote) is part of that line, so it widens it.
 */
export function displayLines(lines: readonly LayoutLine[], bodyGlyphHeight: number): LayoutLine[] {
  const area = (l: Box): number => (l.x1 - l.x0) * (l.y1 - l.y0);
  const out = lines.filter((l) => l.glyphHeight >= 0.5 * bodyGlyphHeight).sort((a, b) => area(b) - area(a));
  for (let i = out.length - 1; i >= 0; i--) {
    const small = out[i];
    if (!small) continue;
    const host = out.findIndex(
      (o, k) =>
        k !== i &&
        area(o) >= area(small) &&
        overlap1d(o.y0, o.y1, small.y0, small.y1) >= 0.7 * (small.y1 - small.y0) &&
        Math.max(o.x0, small.x0) - Math.min(o.x1, small.x1) <= o.glyphHeight,
    );
    const o = out[host];
    if (!o) continue;
    out[host] = { ...o, x0: Math.min(o.x0, small.x0), y0: Math.min(o.y0, small.y0), x1: Math.max(o.x1, small.x1), y1: Math.max(o.y1, small.y1) };
    out.splice(i, 1);
  }
  return out.sort((a, b) => a.y0 - b.y0);
}

function union(lines: readonly Box[]): Box {
  return {
    x0: Math.min(...lines.map((l) => l.x0)),
    y0: Math.min(...lines.map((l) => l.y0)),
    x1: Math.max(...lines.map((l) => l.x1)),
    y1: Math.max(...lines.map((l) => l.y1)),
  };
}

function unscale(line: RecognizedLine, scale: number): RecognizedLine {
  const b = line.bbox;
  return { ...line, bbox: { x: b.x / scale, y: b.y / scale, w: b.w / scale, h: b.h / scale } };
}

/** A box found in a prepared line image, back in the coordinates of the crop it was made from. */
function fromPrepared(line: RecognizedLine, prepared: PreparedLine): RecognizedLine {
  const b = line.bbox;
  const x = Math.max(0, (b.x - prepared.margin) / prepared.scale + prepared.originX);
  const y = Math.max(0, (b.y - prepared.margin) / prepared.scale + prepared.originY);
  return { ...line, bbox: { x, y, w: b.w / prepared.scale, h: b.h / prepared.scale } };
}

function toPageLine(line: RecognizedLine, origin: Box): TextLine {
  const box = { x0: origin.x0 + line.bbox.x, y0: origin.y0 + line.bbox.y, x1: origin.x0 + line.bbox.x + line.bbox.w, y1: origin.y0 + line.bbox.y + line.bbox.h };
  return { text: line.text, box, confidence: line.confidence, indented: false };
}

/** One printed line read as a single line may still come back in pieces: put them together. */
function mergeIntoOne(lines: readonly TextLine[]): TextLine | undefined {
  if (lines.length === 0) return undefined;
  const sorted = [...lines].sort((a, b) => a.box.x0 - b.box.x0);
  return {
    text: sorted.map((l) => l.text).join(' '),
    box: union(sorted.map((l) => l.box)),
    confidence: sorted.reduce((s, l) => s + l.confidence * l.text.length, 0) / Math.max(1, sorted.reduce((s, l) => s + l.text.length, 0)),
    indented: false,
    ...(sorted.every((l) => l.reversed) ? { reversed: true } : {}),
  };
}

/** Items whose boxes share most of their height stand in one row: the rows, top down. */
function rowsOf<T>(items: readonly T[], boxOf: (item: T) => Box): T[][] {
  const rows: T[][] = [];
  for (const item of [...items].sort((a, b) => boxOf(a).y0 - boxOf(b).y0)) {
    const box = boxOf(item);
    const row = rows.find((r) => r.some((other) => {
      const o = boxOf(other);
      return overlap1d(o.y0, o.y1, box.y0, box.y1) > 0.5 * Math.min(o.y1 - o.y0, box.y1 - box.y0);
    }));
    if (row) row.push(item);
    else rows.push([item]);
  }
  return rows;
}

/** tesseract sometimes splits a justified line in two; lines sharing most of their height are one. */
function mergeSameRow(lines: readonly TextLine[]): TextLine[] {
  return rowsOf(lines, (l) => l.box).map((r) => mergeIntoOne(r)).filter((l): l is TextLine => l !== undefined).sort((a, b) => a.box.y0 - b.box.y0);
}

/**
 * The printed lines of a column from layout's lines: pieces of one row (a line layout found in two
 * parts where a wide gap between glyphs fell, as on a 100 dpi scan) are one line, from the first
 * piece's start to the last one's end; else the piece after the gap looks indented and the one
 * before it looks short, and each starts a paragraph.
 */
function printedLines(layoutLines: readonly LayoutLine[]): LayoutLine[] {
  return rowsOf(layoutLines, (l) => l).map((row) => ({ ...row[0]!, ...union(row), glyphHeight: Math.max(...row.map((l) => l.glyphHeight)) }));
}

/**
 * A body line starts a paragraph when the printed line is indented against the column's left edge.
 * The layout lines (from the ink) decide; recognised lines take the flag of the layout line they cover.
 */
function markIndents(lines: readonly TextLine[], columnLines: readonly LayoutLine[], bodyH: number): TextLine[] {
  const layoutLines = printedLines(columnLines);
  // The column's left edge: a low quantile of line starts (a short column can have as many indented
  // lines as flush ones, so the median would sit on an indent).
  const starts = layoutLines.map((l) => l.x0).sort((a, b) => a - b);
  const left = starts[Math.floor(0.25 * (starts.length - 1))] ?? 0;
  // The print indents two ems; one em (a thin first glyph like 一 lost to the ink filter) is not enough.
  const indent = 1.5 * bodyH;
  const indentedRows = layoutLines.filter((l) => l.x0 - left > indent);
  // The right edge likewise, from a high quantile of line ends. A line ending in a comma or a full
  // stop ends up to an em short in ink (the mark sits in the left of its em), a paragraph's last
  // line short of it by more.
  const ends = layoutLines.map((l) => l.x1).sort((a, b) => a - b);
  const right = ends[Math.floor(0.75 * (ends.length - 1))] ?? 0;
  const short = 1.5 * bodyH;
  return lines.map((line) => {
    const layoutLine = bestOverlap(line.box, layoutLines);
    const indented = layoutLine ? indentedRows.includes(layoutLine) : line.box.x0 - left > indent;
    const endsShort = right - (layoutLine ?? line.box).x1 > short;
    return { ...line, indented, endsShort };
  });
}

function bestOverlap(box: Box, candidates: readonly LayoutLine[]): LayoutLine | undefined {
  let best: LayoutLine | undefined;
  let bestOv = 0;
  for (const c of candidates) {
    const ov = overlap1d(c.y0, c.y1, box.y0, box.y1);
    if (ov > bestOv) {
      best = c;
      bestOv = ov;
    }
  }
  return best;
}
