/**
 * Image preparation and text clean-up for one printed line read on its own (headline, section kicker,
 * author line). Display type is bold and large; tesseract's chi_sim model reads it best when the
 * glyphs are scaled to a small, fixed height and the line sits on a white margin. A kicker printed
 * white on a dark bar is cut to the bar's inside before it is inverted, so the paper around the bar
 * does not turn into a black frame that reads as "|" or "[". Two marks the model has no glyph for, a
 * leading ■ bullet and a leading —— dash, are taken out of the image and reported instead.
 */
import type { GrayImage } from '../../image/gray-image.js';
import { grayFromSharp, sharpFromGray } from '../../image/sharp-gray.js';
import { HAN, isCjk } from '../../text/cjk.js';
import { otsuThreshold } from '../../image/gray-stats.js';

/** Glyph height, px, that display lines are scaled to before recognition (measured best over 24-48). */
export const LINE_GLYPH_TARGET = 28;
/** White border, px, put around the prepared line. */
export const LINE_MARGIN = 12;
/** Never enlarge a line more than this. */
const MAX_UPSCALE = 2;

export interface LinePrepOptions {
  /** Glyph height of the line as layout measured it, px (0 = unknown: no scaling). */
  readonly glyphHeight: number;
  /** White text on a dark bar. */
  readonly reversed: boolean;
  /** Where the layout's line box lies in the crop (the crop reaches past it at the sides). */
  readonly lineBox?: PixelBox;
}

export interface PreparedLine {
  readonly image: GrayImage;
  /** Prepared pixel = (crop pixel - origin) * scale + margin. */
  readonly scale: number;
  readonly originX: number;
  readonly originY: number;
  readonly margin: number;
  /** A solid square bullet (■) led the line; it was blanked out of the image (the model has no such glyph). */
  readonly leadingBullet: boolean;
  /** A dash (——) led the line outside the layout's line box; it was blanked out of the image. */
  readonly leadingDash: boolean;
  /** Read as white on dark: layout said so, or the line box turned out to be one dark bar. */
  readonly reversed: boolean;
}

export async function prepareLineImage(crop: GrayImage, options: LinePrepOptions): Promise<PreparedLine> {
  // A private copy: marks are painted out in place.
  let image: GrayImage = { ...crop, data: new Uint8Array(crop.data) };
  let originX = 0;
  let originY = 0;
  let leadingDash = false;
  const reversed = options.reversed || (options.lineBox !== undefined && fillsWithBar(image, options.lineBox));
  if (options.glyphHeight > 0) despeckle(image, options.glyphHeight);
  if (!reversed && options.lineBox && options.glyphHeight > 0) {
    leadingDash = blankLeadingDash(image, options.lineBox, options.glyphHeight);
  }
  if (reversed) {
    const bar = barInterior(image);
    if (bar) {
      image = cropTo(image, bar);
      originX = bar.x0;
      originY = bar.y0;
    }
    image = invert(image);
    image = await grayFromSharp(sharpFromGray(image).normalise(), image.dpi);
  }
  let scale = 1;
  if (options.glyphHeight > 0) scale = Math.min(MAX_UPSCALE, LINE_GLYPH_TARGET / options.glyphHeight);
  if (Math.abs(scale - 1) > 0.05) {
    const width = Math.max(1, Math.round(image.width * scale));
    const height = Math.max(1, Math.round(image.height * scale));
    // tesseract warns about (and ignores) a resolution under 70 dpi.
    image = await grayFromSharp(sharpFromGray(image).resize(width, height, { kernel: 'lanczos3', fit: 'fill' }), Math.max(70, Math.round(image.dpi * scale)));
  } else {
    scale = 1;
  }
  const leadingBullet = blankLeadingBullet(image, options.glyphHeight > 0 ? options.glyphHeight * scale : LINE_GLYPH_TARGET);
  image = await grayFromSharp(
    sharpFromGray(image).extend({ top: LINE_MARGIN, bottom: LINE_MARGIN, left: LINE_MARGIN, right: LINE_MARGIN, background: { r: 255, g: 255, b: 255 } }),
    image.dpi,
  );
  return { image, scale, originX, originY, margin: LINE_MARGIN, leadingBullet, leadingDash, reversed };
}

export interface PixelBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

function invert(image: GrayImage): GrayImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = 255 - (image.data[i] ?? 0);
  return { ...image, data };
}

function cropTo(image: GrayImage, box: PixelBox): GrayImage {
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (box.y0 + y) * image.width + box.x0;
    data.set(image.data.subarray(from, from + width), y * width);
  }
  return { width, height, data, dpi: image.dpi };
}

/** Otsu's threshold of the image's gray levels, as the last gray level of the dark class. */
const darkThreshold = (image: GrayImage): number => otsuThreshold(image.data) - 1;

interface Component extends PixelBox {
  /** Number of pixels. */
  readonly size: number;
}

/** 4-connected components of the pixels at or below `threshold` (ink), optionally only those with a pixel in `seedBox`. */
function darkComponents(image: GrayImage, threshold: number, seedBox?: PixelBox): Component[] {
  const { width, height, data } = image;
  const seen = new Uint8Array(width * height);
  // Every pixel is pushed at most once: a typed stack of the image's size never overflows.
  const stack = new Int32Array(width * height);
  const out: Component[] = [];
  const sx0 = Math.max(0, seedBox?.x0 ?? 0);
  const sy0 = Math.max(0, seedBox?.y0 ?? 0);
  const sx1 = Math.min(width, seedBox?.x1 ?? width);
  const sy1 = Math.min(height, seedBox?.y1 ?? height);
  const isNewInk = (j: number): boolean => seen[j] === 0 && data[j]! <= threshold;
  for (let sy = sy0; sy < sy1; sy++) {
    for (let sx = sx0; sx < sx1; sx++) {
      const start = sy * width + sx;
      if (!isNewInk(start)) continue;
      seen[start] = 1;
      let top = 0;
      stack[top++] = start;
      let size = 0;
      let x0 = width;
      let y0 = height;
      let x1 = -1;
      let y1 = -1;
      while (top > 0) {
        const i = stack[--top]!;
        const y = (i / width) | 0;
        const x = i - y * width;
        size++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (x > 0 && isNewInk(i - 1)) {
          seen[i - 1] = 1;
          stack[top++] = i - 1;
        }
        if (x < width - 1 && isNewInk(i + 1)) {
          seen[i + 1] = 1;
          stack[top++] = i + 1;
        }
        if (y > 0 && isNewInk(i - width)) {
          seen[i - width] = 1;
          stack[top++] = i - width;
        }
        if (y < height - 1 && isNewInk(i + width)) {
          seen[i + width] = 1;
          stack[top++] = i + width;
        }
      }
      out.push({ x0, y0, x1: x1 + 1, y1: y1 + 1, size });
    }
  }
  return out;
}

function fill(image: GrayImage, box: PixelBox, pad: number): void {
  for (let y = Math.max(0, box.y0 - pad); y < Math.min(image.height, box.y1 + pad); y++) {
    for (let x = Math.max(0, box.x0 - pad); x < Math.min(image.width, box.x1 + pad); x++) image.data[y * image.width + x] = 255;
  }
}

/**
 * The inside of the dark bar a reversed line is printed on: the bounding box of the largest dark
 * connected region (the bar, its white glyphs being holes in it), pulled in by a few pixels so the
 * bar's soft edge stays out. Undefined if no bar is seen.
 */
function barInterior(image: GrayImage): PixelBox | undefined {
  const { width, height } = image;
  if (width < 8 || height < 8) return undefined;
  const best = largestDark(image);
  if (!best) return undefined;
  const barW = best.x1 - best.x0;
  const barH = best.y1 - best.y0;
  // A bar covers most of its own box; scattered ink (no bar after all) does not.
  if (barH < 0.3 * height || barW < 0.3 * width || best.size < 0.4 * barW * barH) return undefined;
  const inset = Math.max(1, Math.round(0.08 * barH));
  const box = { x0: best.x0 + inset, y0: best.y0 + inset, x1: best.x1 - inset, y1: best.y1 - inset };
  return box.x1 - box.x0 >= 4 && box.y1 - box.y0 >= 4 ? box : undefined;
}

function largestDark(image: GrayImage): Component | undefined {
  let best: Component | undefined;
  for (const c of darkComponents(image, darkThreshold(image))) if (!best || c.size > best.size) best = c;
  return best;
}

/**
 * The line layout found is one solid dark bar: a reversed label (a two-glyph kicker such as 链接 on
 * a dark box) that layout, at low resolution, took for one big glyph. The largest dark region spans
 * most of the line box both ways and is mostly ink; no run of dark glyphs on paper does that.
 */
function fillsWithBar(image: GrayImage, lineBox: PixelBox): boolean {
  const bar = largestDark(image);
  if (!bar) return false;
  const across = Math.min(bar.x1, lineBox.x1) - Math.max(bar.x0, lineBox.x0);
  const down = Math.min(bar.y1, lineBox.y1) - Math.max(bar.y0, lineBox.y0);
  const solid = bar.size >= 0.5 * (bar.x1 - bar.x0) * (bar.y1 - bar.y0);
  const spans = across >= 0.8 * (lineBox.x1 - lineBox.x0) && down >= 0.8 * (lineBox.y1 - lineBox.y0);
  return solid && spans && meanGray(image, bar) < MID_GRAY && darkRim(image, bar) >= 0.8;
}

/**
 * The share of dark pixels on a ring just inside a box's edge. A bar is solid to its edges; bold
 * glyphs run together at low resolution (one blob as wide as the line) touch their box's edge only
 * here and there.
 */
function darkRim(image: GrayImage, box: PixelBox): number {
  const inset = Math.max(1, Math.round(0.1 * (box.y1 - box.y0)));
  const x0 = box.x0 + inset;
  const y0 = box.y0 + inset;
  const x1 = box.x1 - 1 - inset;
  const y1 = box.y1 - 1 - inset;
  if (x1 <= x0 || y1 <= y0) return 0;
  const threshold = darkThreshold(image);
  let dark = 0;
  let all = 0;
  const count = (x: number, y: number): void => {
    all++;
    if ((image.data[y * image.width + x] ?? 255) <= threshold) dark++;
  };
  for (let x = x0; x <= x1; x++) {
    count(x, y0);
    count(x, y1);
  }
  for (let y = y0 + 1; y < y1; y++) {
    count(x0, y);
    count(x1, y);
  }
  return dark / all;
}

/**
 * A dark bar is darker than mid-gray over its whole box, white glyphs included; a tinted panel
 * behind dark glyphs (a framed story on a light tint, which Otsu's threshold may also part from the
 * paper as one region) is lighter.
 */
const MID_GRAY = 128;

function meanGray(image: GrayImage, box: PixelBox): number {
  let sum = 0;
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) sum += image.data[y * image.width + x] ?? 255;
  return sum / Math.max(1, (box.x1 - box.x0) * (box.y1 - box.y0));
}

/**
 * Paints out specks (dust, scanner noise) that tesseract reads as quotes, commas or an ellipsis
 * around a display line with glyphs `glyph` px high: blobs far smaller than any stroke, and small
 * blobs standing well apart from every glyph (punctuation sits next to the glyph it follows).
 */
function despeckle(image: GrayImage, glyph: number): void {
  const threshold = Math.min(160, darkThreshold(image));
  const all = darkComponents(image, threshold);
  const extent = (c: PixelBox): number => Math.max(c.x1 - c.x0, c.y1 - c.y0);
  const glyphs = all.filter((c) => extent(c) >= 0.2 * glyph);
  const gap = (a: PixelBox, b: PixelBox): number => Math.max(0, b.x0 - a.x1, a.x0 - b.x1, b.y0 - a.y1, a.y0 - b.y1);
  for (const c of all) {
    const size = extent(c);
    if (size >= 0.2 * glyph) continue;
    const alone = glyphs.every((g) => gap(c, g) > 0.6 * glyph);
    if (size < Math.max(2, 0.08 * glyph) || alone) fill(image, c, 0);
  }
}

/**
 * A subheadline often opens with a dash (——), which chi_sim cannot output (it reads "-", "一" or
 * "一一"). The first mark of the line is taken for that dash when it is a thin horizontal stroke at
 * mid-line height that is either about two glyphs long, or (layout having taken it for a rule and
 * left it out of the line box) starts left of the line box and ends at its edge. It is painted out
 * and reported, so the caller can put "——" in front of the text.
 */
function blankLeadingDash(image: GrayImage, line: PixelBox, glyph: number): boolean {
  const lineH = line.y1 - line.y0;
  const threshold = Math.min(160, darkThreshold(image));
  const marks = darkComponents(image, threshold, { x0: 0, y0: line.y0, x1: image.width, y1: line.y1 })
    .filter((c) => c.x1 - c.x0 >= 0.1 * glyph || c.y1 - c.y0 >= 0.1 * glyph)
    .sort((a, b) => a.x0 - b.x0);
  const c = marks[0];
  if (!c) return false;
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  const cy = (c.y0 + c.y1) / 2;
  const thin = h <= 0.22 * glyph && w >= 3 * h && c.size >= 0.4 * w * h;
  const midLine = cy >= line.y0 + 0.3 * lineH && cy <= line.y0 + 0.75 * lineH;
  const long = w >= 1.4 * glyph;
  const leftOut = c.x0 < line.x0 && w >= 0.3 * glyph && c.x1 <= line.x0 + 0.3 * glyph && c.x1 >= line.x0 - 0.6 * glyph;
  if (!thin || !midLine || !(long || leftOut)) return false;
  fill(image, c, Math.max(1, Math.round(0.03 * glyph)));
  return true;
}

/**
 * A kicker may open with a solid square (■), which chi_sim cannot output and reads as 国/图. If the
 * left-most ink blob is a filled square about glyph-sized and stands apart from the next glyph, it
 * is painted white and reported, so the caller can put the ■ back in front of the text.
 */
function blankLeadingBullet(image: GrayImage, glyph: number): boolean {
  const { width, height, data } = image;
  const threshold = Math.min(160, darkThreshold(image));
  // Column extent of ink, to find the first blob and the gap after it.
  const inkInColumn = (x: number): boolean => {
    for (let y = 0; y < height; y++) if ((data[y * width + x] ?? 255) <= threshold) return true;
    return false;
  };
  let x0 = 0;
  while (x0 < width && !inkInColumn(x0)) x0++;
  if (x0 >= width) return false;
  let x1 = x0;
  while (x1 < width && inkInColumn(x1)) x1++;
  let next = x1;
  while (next < width && !inkInColumn(next)) next++;
  const w = x1 - x0;
  let y0 = height;
  let y1 = -1;
  let ink = 0;
  for (let y = 0; y < height; y++) {
    for (let x = x0; x < x1; x++) {
      if ((data[y * width + x] ?? 255) <= threshold) {
        ink++;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  const h = y1 - y0 + 1;
  if (h <= 0) return false;
  const square = w >= 0.4 * glyph && w <= 1.1 * glyph && h >= 0.4 * glyph && h <= 1.1 * glyph && w / h > 0.8 && w / h < 1.25;
  const solid = ink >= 0.85 * w * h;
  const apart = next < width && next - x1 >= 0.15 * glyph;
  if (!square || !solid || !apart) return false;
  const pad = Math.max(1, Math.round(0.05 * glyph));
  for (let y = Math.max(0, y0 - pad); y <= Math.min(height - 1, y1 + pad); y++) {
    for (let x = Math.max(0, x0 - pad); x < Math.min(width, x1 + pad); x++) data[y * width + x] = 255;
  }
  return true;
}

/** A run of dash-like marks with at least one real hyphen or dash in it ("-", "--", "=-", "—"). */
const DASH_RUN = /[-=\u2010-\u2015\u2212]*[-\u2010-\u2015\u2212][-=\u2010-\u2015\u2212]*/gu;
/** Two or three 一 (the Han "one") right after a closing quote or title mark. */
const DASH_AFTER_CLOSE = /([\u201D\u2019\u300B\u300D\u300F\uFF09])\u4E00{2,3}/gu;
/**
 * ASCII marks that, at either end of a CJK line, are rule or bar edges and specks, never text.
 * (Not . , : ; — they may stand for a fullwidth mark or an ellipsis.)
 */
const EDGE_JUNK = new Set(['|', '[', ']', '`', "'", '_', '~', '\\', '/', '*', '^']);
/** ASCII marks that are junk even inside a CJK line, when CJK (or a space, or the line end) is on both sides. */
const INNER_JUNK = new Set(['|', '[', ']', '`', '_', '~', '\\', '*', '^']);

function cjkOrGap(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || isCjk(ch);
}

/**
 * Clean-up of a display line as tesseract returns it, for Chinese print only (lines without a Han
 * character are left alone):
 * - a closing quote misread as a dash or speck at the end of a line with an unclosed "“" is put back;
 * - a run of hyphens/dashes at a line end or next to CJK punctuation is the Chinese dash "——" (the
 *   chi_sim model has no "—"); a lone "-" between two Han characters may be a range and stays;
 * - ASCII pipes, brackets, asterisks and specks at the ends of the line, or between CJK characters,
 *   are rule or bar edges, not text; an ASCII double quote at an end is the Chinese quote.
 */
export function cleanLineText(raw: string): string {
  let text = raw.trim();
  if (!HAN.test(text)) return text;
  const opened = (text.match(/\u201C/gu) ?? []).length > (text.match(/\u201D/gu) ?? []).length;
  if (opened) text = text.replace(/(\p{Script=Han})[-=\u2010-\u2015\u2212'"]+$/u, '$1\u201D');
  text = text.replace(DASH_RUN, (run: string, offset: number, whole: string) => {
    const before = [...whole.slice(0, offset)].pop();
    const after = [...whole.slice(offset + run.length)][0];
    if (!(isCjk(before) || isCjk(after)) || !cjkOrGap(before) || !cjkOrGap(after)) return run;
    // A lone hyphen between two Han characters may be a range ("北京-上海"): left as it is.
    const betweenHan = HAN.test(before ?? '') && HAN.test(after ?? '');
    return betweenHan && run.length === 1 && run === '-' ? run : '\u2014\u2014';
  });
  // chi_sim reads the dash after a closing quote or title mark as "一一" (two Han "one"s): no word
  // starts with 一一 right after a quotation is closed, so there it is the dash.
  text = text.replace(DASH_AFTER_CLOSE, '$1\u2014\u2014');
  const chars = [...text];
  const keep = chars.map(() => true);
  for (let i = 0; i < chars.length && (EDGE_JUNK.has(chars[i] ?? '') || chars[i] === '!' || chars[i] === ' '); i++) keep[i] = false;
  for (let i = chars.length - 1; i >= 0 && (EDGE_JUNK.has(chars[i] ?? '') || chars[i] === ' '); i--) keep[i] = false;
  for (let i = 0; i < chars.length; i++) {
    if (keep[i] && INNER_JUNK.has(chars[i] ?? '') && cjkOrGap(chars[i - 1]) && cjkOrGap(chars[i + 1])) keep[i] = false;
  }
  const kept = chars.filter((_, i) => keep[i]);
  if (kept[0] === '"') kept[0] = '\u201C';
  if (kept.length > 1 && kept[kept.length - 1] === '"') kept[kept.length - 1] = '\u201D';
  return kept.join('').replace(/\s+/gu, ' ').trim();
}

/**
 * The closing quote of a phrase quoted at the very end of a headline is small and sits at the top of
 * the line, and tesseract drops it now and then. When the lines of one headline (or kicker) end in an
 * open "“" followed only by a short run of Han characters, the "”" is put back at the end.
 */
export function closeTrailingQuote(lines: readonly string[]): string[] {
  const last = lines[lines.length - 1];
  if (last === undefined) return [...lines];
  const joined = lines.join('');
  const open = joined.lastIndexOf('\u201C');
  if (open < 0 || joined.indexOf('\u201D', open) >= 0) return [...lines];
  const tail = [...joined.slice(open + 1)];
  if (tail.length < 1 || tail.length > 12 || !tail.every((ch) => HAN.test(ch))) return [...lines];
  return [...lines.slice(0, -1), `${last}\u201D`];
}
