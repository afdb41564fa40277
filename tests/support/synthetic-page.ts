/**
 * Synthetic newspaper pages for layout tests, drawn without fonts: every "glyph" is a filled black
 * square on white paper (255 paper, 0 ink), 300 dpi. The page is laid out on a grid of columns;
 * rows are separated by full-width horizontal rules, blocks of a row by vertical rules in the
 * gutters, stacked blocks of a slot by horizontal rules across the slot. A masthead sits above a
 * full-width double rule. The helper returns the image and what it drew (the ground truth), in
 * reading order, so tests can compare analysePage's answer to it.
 */
import type { GrayImage } from '../../src/image/gray-image.js';
import type { Box } from '../../src/image/geometry.js';

/** Sizes, px at 300 dpi. */
export const SYNTH = {
  dpi: 300,
  bodyGlyph: 40,
  glyphGap: 6,
  linePitch: 62,
  headlineGlyph: 110,
  headlineGap: 14,
  headlineLinePitch: 130,
  adGlyph: 70,
  mastheadGlyph: 120,
  gutter: 55,
  rule: 3,
  margin: 80,
  /** Paper between a rule and the ink of the block next to it. */
  pad: 24,
  indentGlyphs: 2,
  photoGray: 120,
} as const;

const GLYPH_PITCH = SYNTH.bodyGlyph + SYNTH.glyphGap;

export type SyntheticBlockKind = 'story' | 'photo' | 'ad';

export interface SyntheticBlockSpec {
  /** story (default): headline and body columns; photo: a picture with its caption alone; ad: large type, no running text. */
  readonly kind?: SyntheticBlockKind;
  /** Headline lines of a story (default 1). */
  readonly headlineLines?: number;
  /** Glyphs per headline line (default: as many as fit in 70% of the block width). */
  readonly headlineGlyphs?: number;
  /** A short centred author line between headline and body. */
  readonly author?: boolean;
  /** Body columns of a story (default: the slot's span of grid columns). */
  readonly columns?: number;
  /** Body lines per column (default 8). */
  readonly linesPerColumn?: number;
  /**
   * Paragraph length in lines, counted across the block's columns (text runs on from column to
   * column). The first line of each paragraph is indented by two glyphs and its last line is short.
   * 0 = one run of text with no indents. Default 4.
   */
  readonly paragraphLines?: number;
  /** A photo (mid-gray rectangle) across the block under the headline (story) or alone (photo). */
  readonly photo?: { readonly height: number; readonly captionLines?: number };
}

export interface SyntheticSlotSpec {
  /** Grid columns the slot spans. */
  readonly span: number;
  /** Blocks stacked top to bottom, separated by horizontal rules across the slot. */
  readonly blocks: readonly SyntheticBlockSpec[];
}

export interface SyntheticRowSpec {
  /** Slots left to right; their spans add up to the page's grid columns. */
  readonly slots: readonly SyntheticSlotSpec[];
}

export interface SyntheticPageSpec {
  readonly gridColumns: number;
  readonly rows: readonly SyntheticRowSpec[];
  /** Page width, px (default 2000). The height follows from the content. */
  readonly width?: number;
  /** Largest page height allowed, px (default 2800): a spec that does not fit throws. */
  readonly maxHeight?: number;
  /** Masthead above a double rule (default true). */
  readonly masthead?: boolean;
}

export interface DrawnLine extends Box {
  /** The line starts a paragraph (indented). */
  readonly indented: boolean;
  readonly glyphs: number;
}

export interface DrawnColumn {
  readonly box: Box;
  readonly lines: readonly DrawnLine[];
}

export interface DrawnBlock {
  readonly kind: SyntheticBlockKind;
  /** Row (top to bottom), slot in the row (left to right), place in the slot's stack (top to bottom). */
  readonly row: number;
  readonly slot: number;
  readonly stack: number;
  /** Where the block's content may go (between its rules, less padding). */
  readonly area: Box;
  /** Box of the ink actually drawn. */
  readonly ink: Box;
  readonly headlineLines: readonly Box[];
  readonly authorLine?: Box;
  readonly photo?: Box;
  readonly captionLines: readonly Box[];
  readonly columns: readonly DrawnColumn[];
  readonly adLines: readonly Box[];
}

export interface SyntheticPage {
  readonly image: GrayImage;
  readonly masthead?: Box;
  /** Blocks in reading order: rows top to bottom, slots left to right, stacked blocks top to bottom. */
  readonly blocks: readonly DrawnBlock[];
  readonly rules: readonly Box[];
}

class Canvas {
  readonly data: Uint8Array;
  constructor(readonly width: number, readonly height: number) {
    this.data = new Uint8Array(width * height).fill(255);
  }

  fill(box: Box, value: number): void {
    const x0 = Math.max(0, Math.round(box.x0));
    const x1 = Math.min(this.width, Math.round(box.x1));
    const y0 = Math.max(0, Math.round(box.y0));
    const y1 = Math.min(this.height, Math.round(box.y1));
    if (x1 <= x0 || y1 <= y0) throw new Error(`synthetic page: box outside the page ${JSON.stringify(box)}`);
    for (let y = y0; y < y1; y++) this.data.fill(value, y * this.width + x0, y * this.width + x1);
  }

  /** A run of square glyphs from (x, y); returns its box. */
  glyphs(x: number, y: number, count: number, size: number, gap: number): Box {
    for (let i = 0; i < count; i++) this.fill({ x0: x + i * (size + gap), y0: y, x1: x + i * (size + gap) + size, y1: y + size }, 0);
    return { x0: x, y0: y, x1: x + count * (size + gap) - gap, y1: y + size };
  }
}

interface PlannedBlock {
  readonly spec: SyntheticBlockSpec;
  readonly height: number;
}

function bodyHeight(lines: number): number {
  return lines > 0 ? lines * SYNTH.linePitch - (SYNTH.linePitch - SYNTH.bodyGlyph) : 0;
}

/** Height of a block's content (without padding). */
function contentHeight(spec: SyntheticBlockSpec): number {
  const kind = spec.kind ?? 'story';
  if (kind === 'ad') return 2 * SYNTH.adGlyph + 30 + 40 + SYNTH.bodyGlyph;
  const captionLines = spec.photo?.captionLines ?? 1;
  const photo = spec.photo ? spec.photo.height + 30 + bodyHeight(captionLines) : 0;
  if (kind === 'photo') return photo;
  const headlines = spec.headlineLines ?? 1;
  let h = headlines > 0 ? headlines * SYNTH.headlineLinePitch - (SYNTH.headlineLinePitch - SYNTH.headlineGlyph) + 40 : 0;
  if (spec.author) h += SYNTH.bodyGlyph + 40;
  if (spec.photo) h += photo + 60;
  h += bodyHeight(spec.linesPerColumn ?? 8);
  return h;
}

export function drawSyntheticPage(spec: SyntheticPageSpec): SyntheticPage {
  const width = spec.width ?? 2000;
  const maxHeight = spec.maxHeight ?? 2800;
  const { margin, gutter, rule, pad } = SYNTH;
  const contentW = width - 2 * margin;
  const colW = (contentW - (spec.gridColumns - 1) * gutter) / spec.gridColumns;
  if (colW < 3 * GLYPH_PITCH) throw new Error('synthetic page: grid columns too narrow');

  // Vertical plan first (the height of the page follows from it).
  let y = margin;
  const mastheadTop = y;
  const withMasthead = spec.masthead ?? true;
  const doubleRule: number[] = [];
  if (withMasthead) {
    y += SYNTH.mastheadGlyph + 30;
    doubleRule.push(y, y + rule + 6);
    y += 2 * rule + 6;
  }
  const rowPlans = spec.rows.map((row) => {
    const spans = row.slots.reduce((n, s) => n + s.span, 0);
    if (spans !== spec.gridColumns) throw new Error(`synthetic page: row spans ${spans} of ${spec.gridColumns} grid columns`);
    const slots = row.slots.map((slot) => {
      const blocks: PlannedBlock[] = slot.blocks.map((b) => ({ spec: b, height: contentHeight(b) + 2 * pad }));
      const height = blocks.reduce((n, b) => n + b.height, 0) + (blocks.length - 1) * rule;
      return { slot, blocks, height };
    });
    return { slots, height: Math.max(...slots.map((s) => s.height)) };
  });
  const rowTops: number[] = [];
  for (const [i, row] of rowPlans.entries()) {
    if (i > 0) y += rule; // the rule between rows
    rowTops.push(y);
    y += row.height;
  }
  const height = Math.ceil(y + 60);
  if (height > maxHeight) throw new Error(`synthetic page: ${height} px tall, more than ${maxHeight}`);

  const canvas = new Canvas(width, height);
  const rules: Box[] = [];
  const drawRule = (box: Box): void => {
    canvas.fill(box, 0);
    rules.push(box);
  };

  let masthead: Box | undefined;
  if (withMasthead) {
    const n = 5;
    const w = n * (SYNTH.mastheadGlyph + 30) - 30;
    const title = canvas.glyphs(Math.round((width - w) / 2), mastheadTop, n, SYNTH.mastheadGlyph, 30);
    const date = canvas.glyphs(width - margin - 6 * GLYPH_PITCH + SYNTH.glyphGap, mastheadTop + SYNTH.mastheadGlyph - SYNTH.bodyGlyph, 6, SYNTH.bodyGlyph, SYNTH.glyphGap);
    masthead = { x0: title.x0, y0: title.y0, x1: date.x1, y1: title.y1 };
    for (const ry of doubleRule) drawRule({ x0: margin, y0: ry, x1: width - margin, y1: ry + rule });
  }

  const blocks: DrawnBlock[] = [];
  rowPlans.forEach((row, r) => {
    const top = rowTops[r] ?? 0;
    const bottom = top + row.height;
    if (r > 0) drawRule({ x0: margin, y0: top - rule, x1: width - margin, y1: top });
    let gridIndex = 0;
    row.slots.forEach((slot, s) => {
      const x0 = margin + gridIndex * (colW + gutter);
      const x1 = x0 + slot.slot.span * colW + (slot.slot.span - 1) * gutter;
      gridIndex += slot.slot.span;
      if (s > 0) {
        const rx = Math.round(x0 - gutter / 2 - rule / 2);
        drawRule({ x0: rx, y0: top + 8, x1: rx + rule, y1: bottom - 8 });
      }
      let by = top;
      slot.blocks.forEach((block, b) => {
        if (b > 0) {
          drawRule({ x0: Math.round(x0), y0: by, x1: Math.round(x1), y1: by + rule });
          by += rule;
        }
        // The last block of a slot takes what is left of the row.
        const blockBottom = b === slot.blocks.length - 1 ? bottom : by + block.height;
        const area = { x0: Math.round(x0), y0: by + pad, x1: Math.round(x1), y1: blockBottom - pad };
        blocks.push({ ...drawBlock(canvas, block.spec, area, slot.slot.span), row: r, slot: s, stack: b });
        by = blockBottom;
      });
    });
  });

  return {
    image: { width, height, data: canvas.data, dpi: SYNTH.dpi },
    ...(masthead ? { masthead } : {}),
    blocks,
    rules,
  };
}

function union(boxes: readonly Box[]): Box {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

function drawBlock(canvas: Canvas, spec: SyntheticBlockSpec, area: Box, span: number): Omit<DrawnBlock, 'row' | 'slot' | 'stack'> {
  const kind = spec.kind ?? 'story';
  const width = area.x1 - area.x0;
  const fit = (size: number, gap: number, share: number): number => Math.max(1, Math.floor((share * width + gap) / (size + gap)));
  const centred = (count: number, size: number, gap: number): number => Math.round(area.x0 + (width - (count * (size + gap) - gap)) / 2);
  let y = area.y0;
  const headlineLines: Box[] = [];
  const captionLines: Box[] = [];
  const adLines: Box[] = [];
  const columns: DrawnColumn[] = [];
  let authorLine: Box | undefined;
  let photo: Box | undefined;

  const drawPhoto = (ph: { readonly height: number; readonly captionLines?: number }): void => {
    photo = { x0: area.x0, y0: y, x1: area.x1, y1: y + ph.height };
    canvas.fill(photo, SYNTH.photoGray);
    y += ph.height + 30;
    const n = ph.captionLines ?? 1;
    for (let i = 0; i < n; i++) {
      const glyphs = i === n - 1 ? Math.max(3, fit(SYNTH.bodyGlyph, SYNTH.glyphGap, 0.6)) : fit(SYNTH.bodyGlyph, SYNTH.glyphGap, 1);
      captionLines.push(canvas.glyphs(area.x0, y, glyphs, SYNTH.bodyGlyph, SYNTH.glyphGap));
      y += SYNTH.linePitch;
    }
    y -= SYNTH.linePitch - SYNTH.bodyGlyph;
  };

  if (kind === 'ad') {
    const n = fit(SYNTH.adGlyph, 20, 0.6);
    adLines.push(canvas.glyphs(centred(n, SYNTH.adGlyph, 20), y, n, SYNTH.adGlyph, 20));
    y += SYNTH.adGlyph + 30;
    adLines.push(canvas.glyphs(centred(n - 1, SYNTH.adGlyph, 20), y, n - 1, SYNTH.adGlyph, 20));
    y += SYNTH.adGlyph + 40;
    const m = fit(SYNTH.bodyGlyph, SYNTH.glyphGap, 0.5);
    adLines.push(canvas.glyphs(centred(m, SYNTH.bodyGlyph, SYNTH.glyphGap), y, m, SYNTH.bodyGlyph, SYNTH.glyphGap));
  } else if (kind === 'photo') {
    if (!spec.photo) throw new Error('synthetic page: a photo block needs a photo');
    drawPhoto(spec.photo);
  } else {
    const headlines = spec.headlineLines ?? 1;
    for (let i = 0; i < headlines; i++) {
      const n = spec.headlineGlyphs ?? Math.min(fit(SYNTH.headlineGlyph, SYNTH.headlineGap, 1), Math.max(2, fit(SYNTH.headlineGlyph, SYNTH.headlineGap, 0.7)));
      headlineLines.push(canvas.glyphs(centred(n, SYNTH.headlineGlyph, SYNTH.headlineGap), y, n, SYNTH.headlineGlyph, SYNTH.headlineGap));
      y += SYNTH.headlineLinePitch;
    }
    if (headlines > 0) y += 40 - (SYNTH.headlineLinePitch - SYNTH.headlineGlyph);
    if (spec.author) {
      const n = Math.max(2, Math.min(5, fit(SYNTH.bodyGlyph, SYNTH.glyphGap, 0.25)));
      authorLine = canvas.glyphs(centred(n, SYNTH.bodyGlyph, SYNTH.glyphGap), y, n, SYNTH.bodyGlyph, SYNTH.glyphGap);
      y += SYNTH.bodyGlyph + 40;
    }
    if (spec.photo) {
      drawPhoto(spec.photo);
      y += 60;
    }
    const count = spec.columns ?? span;
    const colW = (width - (count - 1) * SYNTH.gutter) / count;
    const perLine = Math.floor((colW + SYNTH.glyphGap) / GLYPH_PITCH);
    const linesPerColumn = spec.linesPerColumn ?? 8;
    const paragraph = spec.paragraphLines ?? 4;
    let k = 0;
    for (let c = 0; c < count; c++) {
      const cx = Math.round(area.x0 + c * (colW + SYNTH.gutter));
      const lines: DrawnLine[] = [];
      for (let i = 0; i < linesPerColumn; i++, k++) {
        const indented = paragraph > 0 && k % paragraph === 0;
        const last = paragraph > 0 && k % paragraph === paragraph - 1;
        const start = indented ? SYNTH.indentGlyphs : 0;
        const glyphs = last ? Math.max(2, Math.ceil(perLine * 0.5)) : perLine - start;
        const box = canvas.glyphs(cx + start * GLYPH_PITCH, y + i * SYNTH.linePitch, glyphs, SYNTH.bodyGlyph, SYNTH.glyphGap);
        lines.push({ ...box, indented, glyphs });
      }
      columns.push({ box: { x0: cx, y0: y, x1: Math.round(cx + colW), y1: y + bodyHeight(linesPerColumn) }, lines });
    }
  }

  const drawn = [...headlineLines, ...captionLines, ...adLines, ...(authorLine ? [authorLine] : []), ...(photo ? [photo] : []), ...columns.flatMap((c) => c.lines)];
  if (drawn.length === 0) throw new Error('synthetic page: empty block');
  const ink = union(drawn);
  if (ink.y1 > area.y1 || ink.x1 > area.x1) throw new Error('synthetic page: block content overflows its area');
  return { kind, area, ink, headlineLines, ...(authorLine ? { authorLine } : {}), ...(photo ? { photo } : {}), captionLines, columns, adLines };
}
