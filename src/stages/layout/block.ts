/**
 * Roles inside one story block, from geometry alone: glyph size tells headlines from body text,
 * position under a picture tells captions, shared gutters tell body columns.
 */
import type { Box } from '../../image/geometry.js';
import { boxWidth, median, overlap1d, unionBox } from '../../image/geometry.js';
import type { Component } from './components.js';
import { buildFragments, clipFragment, groupIntoLines, type Fragment } from './lines.js';
import type { BodyColumn, LayoutBlock, LayoutLine } from './types.js';
import { verticalColumns, writingModeOf } from './writing-mode.js';

export interface BlockOptions {
  /** Body glyph height of the page, px. */
  readonly bodyHeight: number;
  /** A line at least this many body heights tall is a headline. */
  readonly headlineFactor: number;
  /** Components smaller than this on both sides are noise, px. */
  readonly minGlyph: number;
}

/** Fewer body lines than this in a block without a headline are no story (a notice, a stray line). */
const MIN_STORY_LINES = 5;

export function analyseBlock(box: Box, given: readonly Fragment[], photos: readonly Box[], options: BlockOptions): LayoutBlock {
  let fragments = given;
  const bodyH = options.bodyHeight;
  const isHeadlineSized = (f: Fragment): boolean => !f.reversed && f.height >= options.headlineFactor * bodyH;
  const vertical = verticalHeadline(fragments.filter(isHeadlineSized), options.minGlyph, fragments.filter((f) => !f.reversed && !isHeadlineSized(f)));
  fragments = [...fragments.filter((f) => !vertical.fragments.has(f)), ...vertical.beside];
  const isBig = (f: Fragment): boolean => !f.reversed && f.height >= options.headlineFactor * bodyH;
  const verticalLines = vertical.cells;
  const verticalHead = verticalLines.length > 0 ? ({ headlineWritingMode: 'vertical-rl' } as const) : {};
  const headlineLines = groupIntoLines(fragments.filter(isBig));
  const kickerLines: LayoutLine[] = labelsBesideVertical(headlineLines, verticalLines);
  const rest = fragments.filter((f) => !isBig(f));

  const captionGroups: LayoutLine[][] = [];
  const used = new Set<Fragment>();
  // Where the body columns run (body lines dominate): a row set in them is body, not caption.
  const columnRanges = photos.length > 0 ? findColumns(rest, box, bodyH).map((c): [number, number] => [c.box.x0, c.box.x1]) : [];
  for (const photo of [...photos].sort((a, b) => a.y0 - b.y0)) {
    const group = captionsUnder(photo, rest, headlineLines, bodyH, used, columnRanges);
    if (group.length > 0) captionGroups.push(group);
  }
  const remaining = rest.filter((f) => !used.has(f));
  const bodyParts = remaining.flatMap((f) => f.parts);
  if (writingModeOf(bodyParts, bodyH) === 'vertical-rl') {
    return emptyBlock(box, photos, {
      headline: [...verticalLines, ...headlineLines],
      captions: captionGroups,
      columns: verticalColumns(bodyParts, bodyH),
      bodyWritingMode: 'vertical-rl',
      ...(headlineLines.length === 0 ? verticalHead : {}),
    });
  }

  if (headlineLines.length === 0) {
    const lines = groupIntoLines(remaining);
    const columns = findColumns(remaining, box, bodyH);
    const bodyLines = columns.reduce((n, c) => n + c.lines.length, 0);
    if (photos.length > 0) {
      // Columns of running text under a picture (its headline lost in it, or none) are a story, not
      // its caption: a caption is a line or two under the picture, or a column beside it.
      const under = columns.filter((c) => photos.some((ph) => c.box.y0 >= ph.y1 - bodyH && overlap1d(c.box.x0, c.box.x1, ph.x0, ph.x1) > 0));
      if (under.length >= 2 && under.reduce((n, c) => n + c.lines.length, 0) >= MIN_STORY_LINES && hasRunningText(under)) {
        const labels = groupIntoLines(remaining.filter((f) => f.reversed));
        return emptyBlock(box, photos, { section: [...kickerLines, ...labels], headline: verticalLines, columns, captions: captionGroups, ...verticalHead });
      }
      // A picture with its caption standing alone: everything that is not the picture is caption.
      if (lines.length > 0) captionGroups.push(lines);
      return emptyBlock(box, photos, { captions: captionGroups });
    }
    if (bodyLines >= MIN_STORY_LINES && columns.length > 0) {
      // Beside a vertical headline the byline stands over the first column.
      const columnAuthor = verticalLines.length > 0 ? authorAtColumnTop(columns, bodyH) : undefined;
      const storyColumns = columnAuthor ? columns.map((c, i) => (i === 0 ? columnAuthor.rest : c)) : columns;
      return emptyBlock(box, photos, { section: kickerLines, headline: verticalLines, author: columnAuthor ? [columnAuthor.line] : [], columns: storyColumns, captions: captionGroups, ...verticalHead });
    }
    return emptyBlock(box, photos, { furniture: true, other: lines });
  }

  // A picture in a block of its own (a framed photo) with nothing but a few lines right under it:
  // those are its caption, the large type the caption's title, the small type its text.
  const captionBand = (f: Box): boolean => photos.some((p) => f.y0 >= p.y1 - bodyH && f.y1 <= p.y1 + 6 * bodyH);
  if (photos.length > 0 && fragments.every(captionBand)) {
    const title = headlineLines;
    const small = groupIntoLines(rest);
    return emptyBlock(box, photos, { captions: [title, small].filter((g) => g.length > 0) });
  }

  // A smaller line over a bigger headline is a kicker (section label), not part of the headline.
  const tallest = Math.max(...headlineLines.map((l) => l.glyphHeight));
  while (headlineLines.length > 1 && (headlineLines[0]?.glyphHeight ?? tallest) < 0.8 * tallest) {
    const kicker = headlineLines.shift();
    if (kicker) kickerLines.push(kicker);
  }
  const headTop = Math.min(...headlineLines.map((l) => l.y0));
  const headBottom = Math.max(...headlineLines.map((l) => l.y1));
  const above = remaining.filter((f) => (f.y0 + f.y1) / 2 < headTop);
  const below = remaining.filter((f) => (f.y0 + f.y1) / 2 >= headTop);
  const sectionLines = [...kickerLines, ...groupIntoLines(above)].sort((a, b) => a.y0 - b.y0);
  const besideHeadline = below.filter((f) => (f.y0 + f.y1) / 2 < headBottom);
  let bodyFragments = below.filter((f) => (f.y0 + f.y1) / 2 >= headBottom);

  const deck = deckLines(bodyFragments, bodyH);
  if (deck.length > 0) bodyFragments = bodyFragments.filter((f) => !deck.some((d) => overlap1d(f.y0, f.y1, d.y0, d.y1) > 0));

  // An author line is a short line alone between the headline and the body: centred under the
  // headline, or set off from the body by more space than the body's own leading.
  const authorLines: LayoutLine[] = [];
  const firstRows = groupIntoLines(bodyFragments);
  const first = firstRows[0];
  if (first && boxWidth(first) < 0.3 * boxWidth(box) && (isCentred(first, box) || setOff(firstRows))) {
    authorLines.push(first);
    bodyFragments = bodyFragments.filter((f) => overlap1d(f.y0, f.y1, first.y0, first.y1) <= 0);
  }
  const found = findColumns(bodyFragments, box, bodyH);
  const columnAuthor = authorLines.length === 0 ? authorAtColumnTop(found, bodyH) : undefined;
  if (columnAuthor) authorLines.push(columnAuthor.line);
  const columns = columnAuthor ? found.map((c, i) => (i === 0 ? columnAuthor.rest : c)) : found;
  const runningText = hasRunningText(columns);
  if (!runningText && captionGroups.length === 0) {
    // Large type with no running text: an advertisement or a notice.
    return emptyBlock(box, photos, { furniture: true, other: groupIntoLines(fragments) });
  }
  // Small glyphs on a headline's own line (quotes, dashes) belong to it; other lines between
  // headline lines (a smaller second line) are headline lines of their own.
  const onHeadline = (f: Fragment): boolean => headlineLines.some((l) => overlap1d(l.y0, l.y1, f.y0, f.y1) >= 0.5 * (f.y1 - f.y0));
  const between = groupIntoLines(besideHeadline.filter((f) => !onHeadline(f))).filter((l) => l.glyphHeight >= 0.8 * bodyH);
  const headline = [
    ...groupIntoLines([...fragments.filter((f) => isBig(f) && !kickerLines.some((k) => overlap1d(k.y0, k.y1, f.y0, f.y1) > 0.5 * (f.y1 - f.y0))), ...besideHeadline.filter(onHeadline)]),
    ...between,
    ...deck,
  ].sort((a, b) => a.y0 - b.y0);
  return emptyBlock(box, photos, { section: sectionLines, headline: [...verticalLines, ...headline], author: authorLines, captions: captionGroups, columns, ...(headline.length === 0 ? verticalHead : {}) });
}

/**
 * A headline set top to bottom (竖排) beside the columns: big type standing in a stack at least
 * three rows high, each row one glyph wide, or two where the headline runs in two columns side by
 * side (their glyphs, close across, make one fragment per row). Its glyph cells, each as a line of
 * its own, in reading order (columns right to left, each top to bottom), and the fragments it took.
 */
export function verticalHeadline(big: readonly Fragment[], minGlyph: number, small: readonly Fragment[] = []): { cells: LayoutLine[]; fragments: Set<Fragment>; beside: Fragment[] } {
  const rows = big.filter((f) => f.x1 - f.x0 <= 2.6 * f.height).sort((a, b) => a.y0 - b.y0);
  // Rows of one column stay one stack across a gap of up to a glyph and a half: the small quote
  // marks of a phrase quoted in the column (“双提升”) are too small to count as rows of their own.

  const stacks: Fragment[][] = [];
  for (const f of rows) {
    const stack = stacks.find((s) => {
      const last = s[s.length - 1]!;
      return overlap1d(last.x0, last.x1, f.x0, f.x1) >= 0.5 * Math.min(last.x1 - last.x0, f.x1 - f.x0) && f.y0 - last.y1 < 1.5 * last.height;
    });
    if (stack) stack.push(f);
    else stacks.push([f]);
  }
  joinOverlappingStacks(stacks);
  const cells: LayoutLine[] = [];
  const fragments = new Set<Fragment>();
  const leftover: Component[] = [];
  for (const stack of stacks.filter((s) => s.length >= 3).sort((a, b) => b[0]!.x0 - a[0]!.x0)) {
    for (const f of stack) fragments.add(f);
    const columns = glyphColumns(stack);
    const glyph = median(stack.map((f) => f.height));
    const top = Math.min(...stack.map((f) => f.y0)) - 0.5 * glyph;
    const bottom = Math.max(...stack.map((f) => f.y1)) + 0.5 * glyph;
    for (const [x0, x1] of columns) {
      const inColumn: LayoutLine[] = [];
      for (const row of stack) {
        const cell = clipFragment(row, x0, x1);
        if (!cell) continue;
        // A glyph that broke into two rows (its top and its foot apart) is one cell: the two
        // together overlap, or stand no taller than a glyph as wide as the column.
        const last = inColumn[inColumn.length - 1];
        if (last && (cell.y0 < last.y1 || Math.max(cell.y1, last.y1) - last.y0 <= 1.15 * (x1 - x0))) {
          const merged = { x0: Math.min(last.x0, cell.x0), y0: Math.min(last.y0, cell.y0), x1: Math.max(last.x1, cell.x1), y1: Math.max(last.y1, cell.y1) };
          inColumn[inColumn.length - 1] = { ...merged, glyphHeight: merged.y1 - merged.y0, reversed: false, vertical: true };
        } else inColumn.push({ x0: cell.x0, y0: cell.y0, x1: cell.x1, y1: cell.y1, glyphHeight: cell.height, reversed: false, vertical: true });
      }
      // Parts of the column too small to be rows: the lower half of a glyph built in two pieces
      // (变: 亦 over 又) joins the cell it completes; a quote mark or a comma is a cell of its own.
      for (const f of small) {
        const centre = (f.x0 + f.x1) / 2;
        if (fragments.has(f) || centre < x0 || centre >= x1 || f.y0 < top || f.y1 > bottom || f.height < 0.2 * glyph) continue;
        fragments.add(f);
        const host = inColumn.find((c) => Math.max(c.y1, f.y1) - Math.min(c.y0, f.y0) <= 1.2 * glyph && Math.max(c.y0, f.y0) - Math.min(c.y1, f.y1) <= 0.4 * glyph);
        if (host) inColumn.splice(inColumn.indexOf(host), 1, { ...host, x0: Math.min(host.x0, f.x0), y0: Math.min(host.y0, f.y0), x1: Math.max(host.x1, f.x1), y1: Math.max(host.y1, f.y1), glyphHeight: Math.max(host.y1, f.y1) - Math.min(host.y0, f.y0) });
        else inColumn.push({ x0: f.x0, y0: f.y0, x1: f.x1, y1: f.y1, glyphHeight: f.height, reversed: false, vertical: true });
      }
      cells.push(...inColumn.sort((a, b) => a.y0 - b.y0));
    }
    // Body glyphs beside the headline that its big type strung into its rows.
    const inColumns = (p: Box): boolean => columns.some(([x0, x1]) => (p.x0 + p.x1) / 2 >= x0 && (p.x0 + p.x1) / 2 < x1);
    for (const row of stack) for (const p of row.parts) if (!inColumns(p)) leftover.push({ ...p, pixels: (p as Partial<Component>).pixels ?? 0 });
  }
  return { cells, fragments, beside: buildFragments(leftover, { minGlyph, gapFactor: 0.8 }) };
}

/**
 * Stacks of rows that overlap across and down are one headline's (a glyph of one column set a
 * little higher than its neighbour's starts a stack of its own): joined, their rows top to bottom.
 */
function joinOverlappingStacks(stacks: Fragment[][]): void {
  const box = (s: readonly Fragment[]): Box => unionBox(s)!;
  const overlapping = (a: Box, b: Box): boolean => overlap1d(a.x0, a.x1, b.x0, b.x1) > 0 && overlap1d(a.y0, a.y1, b.y0, b.y1) > 0;
  for (let joined = true; joined; ) {
    joined = false;
    outer: for (let i = 0; i < stacks.length; i++) {
      for (let j = i + 1; j < stacks.length; j++) {
        if (!overlapping(box(stacks[i]!), box(stacks[j]!))) continue;
        stacks[i]!.push(...stacks[j]!);
        stacks[i]!.sort((a, b) => a.y0 - b.y0);
        stacks.splice(j, 1);
        joined = true;
        break outer;
      }
    }
  }
}

/** The columns of a vertical headline, right to left: x-ranges its glyphs cover, parted by blank gaps. */
function glyphColumns(stack: readonly Fragment[]): Array<[number, number]> {
  const x0 = Math.min(...stack.map((f) => f.x0));
  const x1 = Math.max(...stack.map((f) => f.x1));
  // The size of its rows, not the smallest one: a glyph broken in two rows would halve it.
  const glyph = median(stack.map((f) => f.height));
  const covered = new Uint8Array(x1 - x0);
  for (const f of stack) for (const p of f.parts) if (p.y1 - p.y0 >= 0.3 * glyph) covered.fill(1, p.x0 - x0, p.x1 - x0);
  const columns: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= covered.length; i++) {
    const on = i < covered.length && covered[i] === 1;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      const last = columns[columns.length - 1];
      // Gaps inside a glyph (between its strokes) are narrower than a quarter of it.
      if (last && x0 + start - last[1] < 0.25 * glyph) last[1] = x0 + i;
      else columns.push([x0 + start, x0 + i]);
      start = -1;
    }
  }
  // Two columns set close, the gap between them blurred shut (a 100 dpi scan), cover one range about
  // two glyphs wide: cut it where the fewest glyph parts stand, in its middle third.
  const split = columns.flatMap(([c0, c1]): Array<[number, number]> => {
    if (c1 - c0 < 1.6 * glyph) return [[c0, c1]];
    let cut = Math.round((c0 + c1) / 2);
    let fewest = Infinity;
    for (let x = Math.round(c0 + (c1 - c0) / 3); x <= Math.round(c1 - (c1 - c0) / 3); x++) {
      const count = stack.reduce((n, f) => n + f.parts.filter((p) => p.x0 <= x && p.x1 > x).length, 0);
      if (count < fewest || (count === fewest && Math.abs(x - (c0 + c1) / 2) < Math.abs(cut - (c0 + c1) / 2))) [cut, fewest] = [x, count];
    }
    return [[c0, cut], [cut, c1]];
  });
  return split.reverse();
}

/**
 * Running text fills lines one under another; an ad's small print stands in single lines here and
 * there (a slogan, the sponsor's name in a corner), each taken for a column of its own.
 */
function hasRunningText(columns: readonly BodyColumn[]): boolean {
  const bodyLines = columns.reduce((n, c) => n + c.lines.length, 0);
  return bodyLines >= 3 && columns.some((c) => c.lines.length >= 2);
}

/**
 * A byline set as the first line of the first column ("本报记者 X" above the text, flush left, no
 * headline-wide author line): a short line standing alone at the top, the story's first paragraph
 * (indented) starting under it. Returns it and the column without it.
 */
function authorAtColumnTop(columns: readonly BodyColumn[], bodyH: number): { line: LayoutLine; rest: BodyColumn } | undefined {
  const column = columns[0];
  const [first, second, third] = column?.lines ?? [];
  if (!column || !first || !second || !third) return undefined;
  const width = boxWidth(column.box);
  const flush = first.x0 - column.box.x0 < 0.5 * bodyH;
  const short = boxWidth(first) < 0.5 * width;
  const paragraphUnder = second.x0 - column.box.x0 >= 1.5 * bodyH && third.x0 - column.box.x0 < 0.5 * bodyH;
  if (!flush || !short || !paragraphUnder) return undefined;
  return { line: first, rest: { box: { ...column.box, y0: second.y0 }, lines: column.lines.slice(1) } };
}

/**
 * A vertical headline's kicker (快讯, 链接) stands beside it over the columns in type too big for
 * body text but clearly smaller than the headline's glyphs, and short: a label, not a second
 * headline. Takes such lines out of `headlineLines` and returns them.
 */
function labelsBesideVertical(headlineLines: LayoutLine[], verticalCells: readonly LayoutLine[]): LayoutLine[] {
  if (verticalCells.length === 0) return [];
  const verticalGlyph = median(verticalCells.map((c) => c.glyphHeight));
  const labels = headlineLines.filter((l) => l.glyphHeight < 0.8 * verticalGlyph && boxWidth(l) <= 5 * l.glyphHeight);
  for (const label of labels) headlineLines.splice(headlineLines.indexOf(label), 1);
  return labels;
}

/** A deck line's glyphs are at least this many body glyphs tall (measured 1.27-1.64 on decks; body rows 1.0). */
const DECK_GLYPH = 1.15;

/**
 * The deck (副题) under a headline: one or two rows of type between headline and body size, set
 * centred over the columns, before the running text starts. Being wider than a column, it would
 * otherwise be cut at the gutter into the first body line of two columns. A body row spanning the
 * columns is not centred with room at both ends: it starts at the left column's edge (or its indent)
 * and runs to the right one's.
 */
function deckLines(bodyFragments: readonly Fragment[], bodyH: number): LayoutLine[] {
  const rows = groupIntoLines(bodyFragments);
  const deck: LayoutLine[] = [];
  for (const row of rows.slice(0, 2)) {
    const parts = bodyFragments.filter((f) => overlap1d(f.y0, f.y1, row.y0, row.y1) >= 0.5 * (f.y1 - f.y0));
    const others = bodyFragments.filter((f) => !parts.includes(f) && f.y0 >= row.y1);
    const extent = unionBox(others);
    if (!extent || parts.length === 0) break;
    const typical = median(parts.map((f) => f.height));
    const inset = 2 * typical;
    const centred = Math.abs((row.x0 + row.x1) / 2 - (extent.x0 + extent.x1) / 2) < 0.1 * boxWidth(extent);
    if (typical < DECK_GLYPH * bodyH || !centred || row.x0 - extent.x0 < inset || extent.x1 - row.x1 < inset) break;
    deck.push(row);
  }
  return deck;
}

function isCentred(line: Box, box: Box): boolean {
  return Math.abs((line.x0 + line.x1) / 2 - (box.x0 + box.x1) / 2) < 0.1 * boxWidth(box);
}

/** The first row is followed by a gap clearly wider than the gaps between the rows after it. */
function setOff(rows: readonly LayoutLine[]): boolean {
  if (rows.length < 4) return false;
  const gaps: number[] = [];
  for (let i = 1; i + 1 < rows.length; i++) gaps.push((rows[i + 1]?.y0 ?? 0) - (rows[i]?.y1 ?? 0));
  gaps.sort((a, b) => a - b);
  const typical = gaps[Math.floor(gaps.length / 2)] ?? 0;
  const first = (rows[1]?.y0 ?? 0) - (rows[0]?.y1 ?? 0);
  return first > 1.8 * Math.max(1, typical) && first > typical + 0.3 * (rows[0]!.y1 - rows[0]!.y0);
}

/** A block with nothing in it but what `parts` gives. */
export function emptyBlock(box: Box, photos: readonly Box[], parts: Partial<LayoutBlock>): LayoutBlock {
  return {
    box,
    furniture: false,
    photos,
    section: [],
    headline: [],
    author: [],
    captions: [],
    columns: [],
    other: [],
    ...parts,
  };
}

function captionsUnder(
  photo: Box,
  fragments: readonly Fragment[],
  headlines: readonly LayoutLine[],
  bodyH: number,
  used: Set<Fragment>,
  columns: ReadonlyArray<readonly [number, number]>,
): LayoutLine[] {
  const under = fragments.filter(
    (f) => !used.has(f) && f.y0 >= photo.y1 - bodyH && overlap1d(f.x0, f.x1, photo.x0, photo.x1) > 0.5 * (f.x1 - f.x0),
  );
  const rows = groupIntoLines(under);
  const nextHeadline = Math.min(...headlines.filter((h) => h.y0 >= photo.y1).map((h) => h.y0), Infinity);
  const group: LayoutLine[] = [];
  let bottom = photo.y1;
  for (const row of rows) {
    const gap = row.y0 - bottom;
    const limit = group.length === 0 ? 2 * bodyH : 0.9 * bodyH;
    if (gap > limit || row.y0 >= nextHeadline || row.glyphHeight > 1.3 * bodyH || group.length >= 6) break;
    if (setInColumns(row, under, columns)) break;
    group.push(row);
    bottom = row.y1;
  }
  for (const f of under) if (group.some((l) => overlap1d(l.y0, l.y1, f.y0, f.y1) > 0 && f.y0 >= l.y0 - 2 && f.y1 <= l.y1 + 2)) used.add(f);
  return group;
}

/** A row whose pieces sit inside two or more body columns without crossing a gutter is body text. */
function setInColumns(row: Box, fragments: readonly Fragment[], columns: ReadonlyArray<readonly [number, number]>): boolean {
  if (columns.length < 2) return false;
  const pieces = fragments.filter((f) => overlap1d(f.y0, f.y1, row.y0, row.y1) > 0.5 * (f.y1 - f.y0));
  const used = new Set<number>();
  for (const f of pieces) {
    const inside = columns.findIndex(([x0, x1]) => f.x0 >= x0 - 2 && f.x1 <= x1 + 2);
    if (inside < 0) return false;
    used.add(inside);
  }
  return used.size >= 2;
}

/**
 * Body columns: x ranges that many body lines cover, separated by gutters no line crosses.
 * A caption or a stray line may bridge a gutter; a share threshold keeps them from merging columns.
 */
export function findColumns(fragments: readonly Fragment[], box: Box, bodyH: number): BodyColumn[] {
  const body = fragments.filter((f) => !f.reversed && f.height >= 0.5 * bodyH && f.height <= 1.5 * bodyH);
  if (body.length === 0) return [];
  const width = box.x1 - box.x0;
  // Coverage by glyph-sized components only: specks in a gutter must not bridge it.
  const coverage = new Float64Array(width);
  for (const f of body) {
    for (const p of f.parts) {
      const h = p.y1 - p.y0;
      const w = p.x1 - p.x0;
      if (h < 0.3 * bodyH && w < 0.3 * bodyH) continue;
      for (let x = Math.max(box.x0, p.x0); x < Math.min(box.x1, p.x1); x++) coverage[x - box.x0]! += 1;
    }
  }
  const peak = percentile([...coverage].filter((v) => v > 0), 0.9);
  // A short column (the last of a story, 6-8 lines) has little coverage at all: measured against the
  // long columns' peak, the blanks its punctuation leaves in a few lines at once read as gutters.
  // So a gutter is judged against the coverage around it.
  const local = localMaximum(coverage, Math.round(3 * bodyH));
  const intervals: Array<[number, number]> = [];
  let start = -1;
  for (let x = 0; x <= width; x++) {
    const threshold = Math.max(0.5, 0.15 * Math.min(peak, local[x] ?? peak));
    const on = x < width && (coverage[x] ?? 0) >= threshold;
    if (on && start < 0) start = x;
    if (!on && start >= 0) {
      intervals.push([start + box.x0, x + box.x0]);
      start = -1;
    }
  }
  const merged: Array<[number, number]> = [];
  for (const iv of intervals) {
    const last = merged[merged.length - 1];
    if (last && iv[0] - last[1] < 0.5 * bodyH) last[1] = iv[1];
    else merged.push([iv[0], iv[1]]);
  }
  const columns: BodyColumn[] = [];
  for (const [x0, x1] of merged) {
    if (x1 - x0 < 2.5 * bodyH) continue;
    const members = fragments
      .filter((f) => f.height <= 1.5 * bodyH && f.x1 > x0 && f.x0 < x1)
      .map((f) => clipFragment(f, x0, x1))
      .filter((f): f is Fragment => f !== undefined && (f.glyphs > 1 || f.height >= 0.3 * bodyH));
    const lines = mainRun(groupIntoLines(members), bodyH);
    const lineBox = unionBox(lines);
    if (!lineBox || lines.length === 0) continue;
    columns.push({ box: { x0: Math.min(x0, lineBox.x0), y0: lineBox.y0, x1: Math.max(x1, lineBox.x1), y1: lineBox.y1 }, lines });
  }
  return columns;
}

/**
 * A column's lines run down without large gaps; a few lines far away from the rest (specks at a
 * picture's edge, a stray line) are not part of it.
 */
/** The largest value within `radius` of each position. */
function localMaximum(values: Float64Array, radius: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let x = 0; x < values.length; x++) {
    let max = 0;
    for (let k = Math.max(0, x - radius); k <= Math.min(values.length - 1, x + radius); k++) max = Math.max(max, values[k] ?? 0);
    out[x] = max;
  }
  return out;
}

function mainRun(lines: LayoutLine[], bodyH: number): LayoutLine[] {
  const runs: LayoutLine[][] = [];
  for (const line of lines) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && line.y0 - last.y1 <= 4 * bodyH) run.push(line);
    else runs.push([line]);
  }
  if (runs.length <= 1) return lines;
  const longest = Math.max(...runs.map((r) => r.length));
  return runs.filter((r) => r.length >= 3 || r.length === longest).flat();
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? 0;
}
