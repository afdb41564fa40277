/**
 * The lines PP-OCR's recogniser reads, cut from a request image, and their input tensor. The
 * recogniser reads one line at a time: a region that is a block of lines is split into its lines
 * first, by the layout's own lines when the request names them (RecognizeRequest.lines), else by
 * the rows of ink in the image. Each line is cut to its ink with a margin in units of its own
 * height, scaled to the model's 48 px height (width kept in proportion) and normalised as PaddleOCR
 * does: (x / 255 - 0.5) / 0.5, the gray value in all three channels.
 */
import type { GrayImage, Rect } from '../../image/gray-image.js';
import { overlap1d } from '../../image/geometry.js';
import { otsuThreshold } from '../../image/gray-stats.js';
import type { SegmentationMode } from '../types.js';

/** The recognition model's input height, px. */
export const MODEL_HEIGHT = 48;
/**
 * Margin around a line's ink, as a share of the ink's height: above and below, and at the sides.
 * PP-OCR's training crops (its DB detector's boxes) leave about this much paper around the text.
 */
export const VERTICAL_MARGIN = 0.15;
export const SIDE_MARGIN = 0.25;
/** Ink boxes overlapping by more than this share of the lower one's height are one printed line. */
const INK_OVERLAP = 0.25;
/** Two rows each under this share of the median row height, together within SPAN of it, are one line. */
const SPLIT_GLYPH_SHARE = 0.7;
const SPLIT_GLYPH_SPAN = 1.2;
/** A row of ink lower than this share of the tallest row is a speck or a rule end, not a line. */
const MIN_ROW_SHARE = 0.3;

/** One line to read: its ink box (the line's box in the output) and the part read, the ink with margins. */
export interface LineCut {
  readonly ink: Rect;
  readonly rect: Rect;
}

/** Pixels darker than this are ink: Otsu's threshold of the image, clamped into a sensible range. */
function inkLevel(image: GrayImage): number {
  return Math.max(64, Math.min(200, otsuThreshold(image.data)));
}

/** The ink box of `area` (the area when it has no ink). */
function inkBox(image: GrayImage, area: Rect, level: number): Rect | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  const xa = Math.max(0, Math.floor(area.x));
  const ya = Math.max(0, Math.floor(area.y));
  const xb = Math.min(image.width, Math.ceil(area.x + area.w));
  const yb = Math.min(image.height, Math.ceil(area.y + area.h));
  for (let y = ya; y < yb; y++) {
    const row = y * image.width;
    for (let x = xa; x < xb; x++) {
      if ((image.data[row + x] ?? 255) < level) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return undefined;
  return { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** The ink box grown by the margins, inside the image. */
function withMargins(image: GrayImage, ink: Rect): Rect {
  const dy = Math.round(VERTICAL_MARGIN * ink.h);
  const dx = Math.round(SIDE_MARGIN * ink.h);
  const x0 = Math.max(0, ink.x - dx);
  const y0 = Math.max(0, ink.y - dy);
  const x1 = Math.min(image.width, ink.x + ink.w + dx);
  const y1 = Math.min(image.height, ink.y + ink.h + dy);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Bands of rows with ink, top to bottom: the lines of a block read without the layout's lines. */
function inkRows(image: GrayImage, level: number): Rect[] {
  const counts = new Uint32Array(image.height);
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width;
    let n = 0;
    for (let x = 0; x < image.width; x++) if ((image.data[row + x] ?? 255) < level) n++;
    counts[y] = n;
  }
  const bands: Rect[] = [];
  let start = -1;
  for (let y = 0; y <= image.height; y++) {
    const ink = y < image.height && (counts[y] ?? 0) > 0;
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) {
      bands.push({ x: 0, y: start, w: image.width, h: y - start });
      start = -1;
    }
  }
  return bands;
}

/**
 * Merges boxes that share more than `share` of the lower one's height (one printed line found in
 * pieces) and orders them top to bottom.
 */
function mergeRows(lines: readonly Rect[], share: number): Rect[] {
  const rows: Rect[] = [];
  for (const line of [...lines].sort((a, b) => a.y - b.y)) {
    const i = rows.findIndex((r) => overlap1d(r.y, r.y + r.h, line.y, line.y + line.h) > share * Math.min(r.h, line.h));
    const r = rows[i];
    if (!r) {
      rows.push(line);
      continue;
    }
    const x0 = Math.min(r.x, line.x);
    const y0 = Math.min(r.y, line.y);
    rows[i] = { x: x0, y: y0, w: Math.max(r.x + r.w, line.x + line.w) - x0, h: Math.max(r.y + r.h, line.y + line.h) - y0 };
  }
  return rows;
}

/**
 * Joins neighbouring rows that are each well under a line high and together about one line: a
 * glyph the layout cut across (the roof of 会 above, 云 below, as two lines). Rows top to bottom.
 */
function joinSplitGlyphs(rows: readonly Rect[]): Rect[] {
  const heights = rows.map((r) => r.h).sort((a, b) => a - b);
  const lineHeight = heights[Math.floor(heights.length / 2)] ?? 0;
  const out: Rect[] = [];
  for (const row of rows) {
    const last = out[out.length - 1];
    const small = (r: Rect): boolean => r.h < SPLIT_GLYPH_SHARE * lineHeight;
    if (last && small(last) && small(row) && row.y + row.h - last.y <= SPLIT_GLYPH_SPAN * lineHeight) {
      const x0 = Math.min(last.x, row.x);
      out[out.length - 1] = { x: x0, y: last.y, w: Math.max(last.x + last.w, row.x + row.w) - x0, h: row.y + row.h - last.y };
    } else {
      out.push(row);
    }
  }
  return out;
}

/**
 * The lines to read in a request image: one line for `line` mode; else the layout's lines (`hints`,
 * in the image's coordinates) or the image's rows of ink. Each is cut to its ink, with margins.
 */
export function cutLines(image: GrayImage, mode: SegmentationMode, hints?: readonly Rect[]): LineCut[] {
  if (image.width < 2 || image.height < 2) return [];
  const level = inkLevel(image);
  const whole: Rect = { x: 0, y: 0, w: image.width, h: image.height };
  // A layout line names a band of rows, searched for ink across the whole region: a line's glyphs
  // the layout left out of it, or found as a line of their own, are read with it.
  const bands = (lines: readonly Rect[]): Rect[] => mergeRows(lines, 0.5).map((l) => ({ x: 0, y: l.y, w: image.width, h: l.h }));
  const areas = mode === 'line' ? [whole] : hints && hints.length > 0 ? bands(hints) : inkRows(image, level);
  // The ink of two layout lines can still be one printed line (the lower half of a paragraph's last
  // glyph, 会 or 等, found as a line of its own): ink of different lines never overlaps in height.
  const found = areas.map((a) => inkBox(image, a, level)).filter((r): r is Rect => r !== undefined && r.w >= 2 && r.h >= 2);
  const inks = joinSplitGlyphs(mergeRows(found, INK_OVERLAP));
  const tallest = Math.max(0, ...inks.map((r) => r.h));
  return inks.filter((r) => mode === 'line' || r.h >= MIN_ROW_SHARE * tallest).map((ink) => ({ ink, rect: withMargins(image, ink) }));
}

/** The width, px, a line is scaled to at the model's height. */
export function scaledWidth(rect: Rect): number {
  return Math.max(MODEL_HEIGHT / 4, Math.ceil((MODEL_HEIGHT * rect.w) / Math.max(1, rect.h)));
}

/**
 * Writes the line `rect` of `image` into `tensor` (NCHW, 3 x 48 x `batchWidth` per line) at line
 * `index` of the batch: scaled to 48 px high and `width` wide (each output pixel the mean of the
 * source pixels it covers, bilinear when enlarging), normalised; the rest of the row stays 0, as
 * PaddleOCR pads.
 */
export function writeLine(tensor: Float32Array, index: number, batchWidth: number, image: GrayImage, rect: Rect, width: number): void {
  const plane = MODEL_HEIGHT * batchWidth;
  const base = index * 3 * plane;
  tensor.fill(0, base, base + 3 * plane);
  const sx = rect.w / width;
  const sy = rect.h / MODEL_HEIGHT;
  const row = new Float32Array(width);
  for (let oy = 0; oy < MODEL_HEIGHT; oy++) {
    const fy0 = rect.y + oy * sy;
    const fy1 = fy0 + sy;
    for (let ox = 0; ox < width; ox++) {
      const fx0 = rect.x + ox * sx;
      row[ox] = sample(image, fx0, fy0, fx0 + sx, fy1);
    }
    const at = base + oy * batchWidth;
    for (let ox = 0; ox < width; ox++) {
      const v = ((row[ox] ?? 255) / 255 - 0.5) / 0.5;
      tensor[at + ox] = v;
      tensor[at + plane + ox] = v;
      tensor[at + 2 * plane + ox] = v;
    }
  }
}

/** The mean gray of the source area [x0,x1) x [y0,y1); bilinear at its centre when it is under a pixel. */
function sample(image: GrayImage, x0: number, y0: number, x1: number, y1: number): number {
  const w = image.width;
  if (x1 - x0 <= 1 && y1 - y0 <= 1) {
    const cx = Math.min(w - 1, Math.max(0, (x0 + x1) / 2 - 0.5));
    const cy = Math.min(image.height - 1, Math.max(0, (y0 + y1) / 2 - 0.5));
    const ix = Math.floor(cx);
    const iy = Math.floor(cy);
    const fx = cx - ix;
    const fy = cy - iy;
    const ix1 = Math.min(w - 1, ix + 1);
    const iy1 = Math.min(image.height - 1, iy + 1);
    const d = image.data;
    const top = (d[iy * w + ix] ?? 255) * (1 - fx) + (d[iy * w + ix1] ?? 255) * fx;
    const bottom = (d[iy1 * w + ix] ?? 255) * (1 - fx) + (d[iy1 * w + ix1] ?? 255) * fx;
    return top * (1 - fy) + bottom * fy;
  }
  const xa = Math.max(0, Math.floor(x0));
  const xb = Math.min(w, Math.max(xa + 1, Math.ceil(x1)));
  const ya = Math.max(0, Math.floor(y0));
  const yb = Math.min(image.height, Math.max(ya + 1, Math.ceil(y1)));
  let sum = 0;
  let n = 0;
  for (let y = ya; y < yb; y++) {
    const r = y * w;
    for (let x = xa; x < xb; x++) {
      sum += image.data[r + x] ?? 255;
      n++;
    }
  }
  return n ? sum / n : 255;
}
