/**
 * Stories inside one region that no rule parts: real pages set stories side by side and one over
 * another with nothing but whitespace between them, and frame only some. The region is cut at its
 * whitespace (an XY cut at blank bands: gutters as wide as a column gutter, bands taller than the
 * space between two body lines) into pieces, and the pieces are grouped into stories in their
 * reading order: a headline claims the pieces that follow it (its columns under and beside it)
 * until the next headline; a picture with its caption beside or under it stands alone unless it
 * sits between a headline and that headline's text; a few small lines before a headline (a kicker)
 * go with it.
 */
import type { Box } from '../../image/geometry.js';
import { boxHeight, boxWidth, centreInside, overlap1d, unionBox } from '../../image/geometry.js';
import { groupIntoLines, type Fragment } from './lines.js';
import { hasInk, type InkMask } from './mask.js';
import { blankBands, shrinkToInk, splitAt } from './segment.js';

export interface StoryOptions {
  /** Body glyph height of the page, px. */
  readonly bodyHeight: number;
  /** A fragment at least this many body heights tall is headline type. */
  readonly headlineFactor: number;
  /** Regions with fewer ink pixels than this are paper, px². */
  readonly minInk: number;
}

/** One story found in a region: its box, and the fragments and pictures that belong to it. */
export interface Story {
  readonly box: Box;
  readonly fragments: readonly Fragment[];
  readonly photos: readonly Box[];
}

/** A vertical gutter this many body glyphs wide parts two pieces (a column gutter is 1-1.6). */
const GUTTER_GLYPHS = 0.8;
/** A blank band this many body glyphs tall parts two pieces (between body lines: about 0.5). */
const BAND_GLYPHS = 1.0;

/**
 * The stories of `region`. One story (the common case on a ruled page) is the region itself with
 * all its fragments and pictures, exactly as given.
 */
export function storiesIn(region: Box, fragments: readonly Fragment[], photos: readonly Box[], ink: InkMask, options: StoryOptions): Story[] {
  const whole: Story = { box: region, fragments, photos };
  const bodyH = options.bodyHeight;
  const pieces: Piece[] = whitespacePieces(region, ink, photos, {
    gutter: GUTTER_GLYPHS * bodyH,
    band: BAND_GLYPHS * bodyH,
    minInk: options.minInk,
  }).map((box) => describe(box, fragments, photos, options));
  // A picture as wide as the region is the story's own (over or under its headline); a narrower
  // one may be a story of its own beside the others.
  if (process.env.NP_DEBUG) console.error('region', JSON.stringify(region), pieces.map((p) => `${p.box.x0},${p.box.y0},${p.box.x1},${p.box.y1}${p.headline ? 'H' : ''}${p.photo ? 'P' : ''}${p.bodyLines}`).join(' '));
  const standsAlone = (p: Piece): boolean => p.photo !== undefined && boxWidth(p.photo) < 0.8 * boxWidth(region);
  if (pieces.filter((p) => p.headline).length < 2 && !pieces.some(standsAlone)) return [whole];
  const groups = groupPieces(pieces, bodyH, standsAlone);
  if (groups.length < 2) return [whole];
  return groups.map((group): Story => {
    const box = unionBox(group.map((p) => p.box)) ?? region;
    return {
      box,
      fragments: group.flatMap((p) => p.fragments),
      photos: photos.filter((ph) => group.some((p) => centreInside(p.box, ph))),
    };
  });
}

interface Piece {
  readonly box: Box;
  readonly fragments: Fragment[];
  /** Holds headline type. */
  readonly headline: boolean;
  /** Holds a picture. */
  readonly photo: Box | undefined;
  /** Lines of body-size type. */
  readonly bodyLines: number;
}

function describe(box: Box, fragments: readonly Fragment[], photos: readonly Box[], options: StoryOptions): Piece {
  const bodyH = options.bodyHeight;
  const inside = fragments.filter((f) => centreInside(box, f));
  const headline = inside.some((f) => !f.reversed && f.height >= options.headlineFactor * bodyH);
  const photo = photos.find((p) => centreInside(box, p));
  const bodyLines = groupIntoLines(inside.filter((f) => !f.reversed && f.height >= 0.5 * bodyH && f.height < options.headlineFactor * bodyH)).length;
  return { box, fragments: inside, headline, photo, bodyLines };
}

/** Whitespace XY cut: at vertical gutters first (they part stories set side by side), then at bands. */
function whitespacePieces(region: Box, ink: InkMask, photos: readonly Box[], limits: { gutter: number; band: number; minInk: number }): Box[] {
  const out: Box[] = [];
  const cut = (whole: Box, depth: number): void => {
    if (!hasInk(ink, whole.x0, whole.y0, whole.x1, whole.y1, limits.minInk)) return;
    const box = shrinkToInk(whole, ink);
    if (depth > 60) {
      out.push(box);
      return;
    }
    const gutters = blankBands(box, ink, limits.gutter, 'vertical');
    if (gutters.length > 0) {
      for (const part of splitAt(box, gutters, 'vertical')) cut(part, depth + 1);
      return;
    }
    // A picture is one piece: light tones inside it can leave blank rows.
    const bands = blankBands(box, ink, limits.band, 'horizontal').filter(([y0, y1]) => !photos.some((p) => p.y0 < y0 && p.y1 > y1 && overlap1d(p.x0, p.x1, box.x0, box.x1) > 0));
    if (bands.length > 0) {
      for (const part of splitAt(box, bands, 'horizontal')) cut(part, depth + 1);
      return;
    }
    out.push(box);
  };
  cut(region, 0);
  return out;
}

/**
 * Pieces in reading order into stories. A headline opens a story, unless the story before has a
 * headline and nothing else yet (a second deck); a picture opens one of its own, unless it stands
 * between a headline and its text. Everything else follows the story before it; small lines with
 * no story before them, or right before a headline (a kicker), go with the next.
 */
function groupPieces(pieces: readonly Piece[], bodyH: number, standsAlone: (p: Piece) => boolean): Piece[][] {
  const captionOf = captionsBeside(pieces, bodyH);
  const groups: Piece[][] = [];
  const hasBody = (g: readonly Piece[]): boolean => g.some((p) => p.bodyLines >= 3 && !captionOf.has(p));
  for (const piece of pieces) {
    if (captionOf.has(piece)) continue;
    const current = groups[groups.length - 1];
    const opensStory = piece.headline || standsAlone(piece);
    const headOnly = current !== undefined && current.some((p) => p.headline) && !hasBody(current) && !current.some(standsAlone);
    const leadIn = current !== undefined && !current.some((p) => p.headline || standsAlone(p)) && !hasBody(current);
    if (!current || (opensStory && !headOnly && !leadIn)) groups.push([piece]);
    else current.push(piece);
    for (const [caption, holder] of captionOf) if (holder === piece) groups[groups.length - 1]!.push(caption);
  }
  // A lead-in with nothing after it in its own group (small lines before a headline) joins the next.
  const merged: Piece[][] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const next = groups[i + 1];
    if (next && !g.some((p) => p.headline || standsAlone(p)) && !hasBody(g)) next.unshift(...g);
    else merged.push(g);
  }
  return merged;
}

/**
 * Text pieces that are a picture's caption set beside it: next to the picture across a narrow
 * gap, no taller than half of it, and level with its foot or its head.
 */
function captionsBeside(pieces: readonly Piece[], bodyH: number): Map<Piece, Piece> {
  const captions = new Map<Piece, Piece>();
  for (const holder of pieces) {
    const photo = holder.photo;
    if (!photo) continue;
    for (const p of pieces) {
      if (p === holder || p.photo || p.headline || p.fragments.length === 0 || captions.has(p)) continue;
      const gap = p.box.x1 <= photo.x0 ? photo.x0 - p.box.x1 : p.box.x0 >= photo.x1 ? p.box.x0 - photo.x1 : Infinity;
      if (gap > 2 * bodyH) continue;
      if (boxHeight(p.box) > 0.5 * boxHeight(photo) || boxWidth(p.box) > boxWidth(photo)) continue;
      const level = Math.abs(p.box.y1 - photo.y1) < 2 * bodyH || Math.abs(p.box.y0 - photo.y0) < 2 * bodyH;
      if (level) captions.set(p, holder);
    }
  }
  return captions;
}
