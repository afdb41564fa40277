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

export interface StoryOptions {
  /** Body glyph height of the page, px. */
  readonly bodyHeight: number;
  /** A fragment at least this many body heights tall is headline type. */
  readonly headlineFactor: number;
}

/** One story found in a region: its box, and the fragments and pictures that belong to it. */
export interface Story {
  readonly box: Box;
  readonly fragments: readonly Fragment[];
  readonly photos: readonly Box[];
}

/** No body glyph is taller than this many body glyph heights (the body glyph height is their median). */
const TALLEST_BODY_GLYPHS = 1.2;
/** A component smaller than this many body glyphs on both sides is a speck or a dot. */
const SPECK_GLYPHS = 0.3;
/** A vertical gutter this many body glyphs wide parts two pieces (a column gutter is 1-1.6). */
const GUTTER_GLYPHS = 0.8;
/** A blank band this many body glyphs tall parts two pieces (between body lines: about 0.5). */
const BAND_GLYPHS = 1.0;

/**
 * The stories of `region`. One story (the common case on a ruled page) is the region itself with
 * all its fragments and pictures, exactly as given.
 */
export function storiesIn(region: Box, fragments: readonly Fragment[], photos: readonly Box[], frames: readonly Box[], options: StoryOptions): Story[] {
  const whole: Story = { box: region, fragments, photos };
  const bodyH = options.bodyHeight;
  // Specks, and thin dashes (a broken rule between two stories, which no rule finder sees whole),
  // bridge no gutter.
  const dash = (p: Box): boolean => Math.min(boxWidth(p), boxHeight(p)) <= 0.15 * bodyH && Math.max(boxWidth(p), boxHeight(p)) >= 2 * Math.min(boxWidth(p), boxHeight(p));
  const glyphs = fragments.flatMap((f) => f.parts).filter((p) => Math.max(boxWidth(p), boxHeight(p)) >= SPECK_GLYPHS * bodyH && !dash(p));
  // Headline type is the parts of a headline's line taller than any body glyph: body glyphs beside a
  // headline on its baseline, a column gutter away, are strung into its fragment too.
  const headlineType = new Set(
    fragments
      .filter((f) => !f.reversed && f.height >= options.headlineFactor * bodyH)
      .flatMap((f) => f.parts)
      .filter((p) => boxHeight(p) > TALLEST_BODY_GLYPHS * bodyH),
  );
  const boxes = whitespacePieces([...glyphs, ...photos], { gutter: GUTTER_GLYPHS * bodyH, band: BAND_GLYPHS * bodyH, isHeadline: (b) => headlineType.has(b) });
  // A fragment may straddle a cut (a headline's words apart, a speck in a gutter): each piece gets
  // the part of it that it holds, a speck or a dash outside every piece going with the rest.
  const members = boxes.map((): Fragment[] => []);
  for (const f of fragments) {
    const byPiece = new Map<number, Box[]>();
    for (const part of f.parts) {
      const at = boxes.findIndex((b) => centreInside(b, part));
      byPiece.set(at, [...(byPiece.get(at) ?? []), part]);
    }
    const stray = byPiece.get(-1) ?? [];
    byPiece.delete(-1);
    const held = [...byPiece];
    if (held.length === 0) continue;
    if (held.length === 1) {
      members[held[0]![0]]!.push(f);
      continue;
    }
    held.sort((a, b) => b[1].length - a[1].length);
    held[0]![1].push(...stray);
    for (const [at, parts] of held) members[at]!.push(fragmentOf(f, parts));
  }
  // Frames from the smallest: a piece is in the innermost frame around it.
  const inside = frames.filter((f) => centreInside(region, f)).sort((a, b) => boxWidth(a) * boxHeight(a) - boxWidth(b) * boxHeight(b));
  const pieces = boxes.map((box, i) => describe(box, members[i] ?? [], photos, inside, options));
  // A picture in a frame with a headline is that story's.
  const framedStory = new Set(pieces.filter((p) => p.headline && p.frame >= 0).map((p) => p.frame));
  const standsAlone = (p: Piece): boolean => p.photo !== undefined && boxWidth(p.photo) < 0.8 * boxWidth(region) && !framedStory.has(p.frame);
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

/** The fragment made of some of `f`'s parts. */
function fragmentOf(f: Fragment, parts: readonly Box[]): Fragment {
  const box = unionBox(parts)!;
  return { ...box, height: boxHeight(box), glyphs: parts.length, reversed: f.reversed, parts: [...parts] };
}

interface Piece {
  readonly box: Box;
  readonly fragments: Fragment[];
  /** Holds headline type. */
  readonly headline: boolean;
  /** The box of its headline type, and that type's height. */
  readonly headlineType: (Box & { readonly glyph: number }) | undefined;
  /** Lines of headline type, top to bottom. */
  readonly headlineRows: readonly Box[];
  /** Holds a picture. */
  readonly photo: Box | undefined;
  /** Lines of body-size type. */
  readonly bodyLines: number;
  /** The innermost frame around it (an index), or -1. */
  readonly frame: number;
}

function describe(box: Box, inside: Fragment[], photos: readonly Box[], frames: readonly Box[], options: StoryOptions): Piece {
  const bodyH = options.bodyHeight;
  const big = inside.filter((f) => !f.reversed && f.height >= options.headlineFactor * bodyH);
  const headline = big.length > 0;
  const bigBox = unionBox(big);
  const headlineType = bigBox ? { ...bigBox, glyph: Math.min(...big.map((f) => f.height)) } : undefined;
  const headlineRows = groupIntoLines(big);
  const photo = photos.find((p) => centreInside(box, p));
  const bodyLines = groupIntoLines(inside.filter((f) => !f.reversed && f.height >= 0.5 * bodyH && f.height < options.headlineFactor * bodyH)).length;
  const frame = frames.findIndex((f) => centreInside(f, box));
  return { box, fragments: inside, headline, headlineType, headlineRows, photo, bodyLines, frame };
}

/**
 * Whitespace XY cut over what is printed: glyphs (specks left out, so the dust of an archive scan
 * bridges no gutter) and pictures. At vertical gutters first (they part stories set side by side),
 * then at horizontal bands. Where neither parts a piece that holds a headline set across over
 * running text, it is cut at the headline's foot (the space under a headline is often narrower
 * than a band): the headline stands apart from the columns under it, which are cut on at their
 * gutters, so that what stands over each column can be told. Each piece is the box of what it holds.
 */
function whitespacePieces(items: readonly Box[], limits: { gutter: number; band: number; isHeadline: (b: Box) => boolean }): Box[] {
  const out: Box[] = [];
  const cut = (held: readonly Box[], depth: number): void => {
    const box = unionBox(held);
    if (!box) return;
    if (depth > 60) {
      out.push(box);
      return;
    }
    for (const [orientation, minWidth] of [['vertical', limits.gutter], ['horizontal', limits.band]] as const) {
      const parts = splitAtBlanks(held, box, orientation, minWidth);
      if (parts.length > 1) {
        for (const part of parts) cut(part, depth + 1);
        return;
      }
    }
    const parts = splitAtHeadlineFoot(held, limits);
    if (parts) {
      for (const part of parts) cut(part, depth + 1);
      return;
    }
    out.push(box);
  };
  cut(items, 0);
  return out;
}

/**
 * `items` parted at the foot of the headline type among them, when it is set across (not a
 * vertical headline) and more than two bands of other print stand under it.
 */
function splitAtHeadlineFoot(items: readonly Box[], limits: { band: number; isHeadline: (b: Box) => boolean }): Box[][] | undefined {
  const head = unionBox(items.filter(limits.isHeadline));
  if (!head || boxHeight(head) > boxWidth(head)) return undefined;
  const under = items.filter((b) => (b.y0 + b.y1) / 2 > head.y1);
  const underBox = unionBox(under);
  if (!underBox || boxHeight(underBox) < 2 * limits.band || under.length === items.length) return undefined;
  return [items.filter((b) => !under.includes(b)), under];
}

/** `items` split at every blank band at least `minWidth` wide across `box`, each item by its centre. */
function splitAtBlanks(items: readonly Box[], box: Box, orientation: 'vertical' | 'horizontal', minWidth: number): Box[][] {
  const vertical = orientation === 'vertical';
  const origin = vertical ? box.x0 : box.y0;
  const covered = new Uint8Array(vertical ? boxWidth(box) : boxHeight(box));
  for (const b of items) covered.fill(1, (vertical ? b.x0 : b.y0) - origin, (vertical ? b.x1 : b.y1) - origin);
  const cuts: number[] = [];
  let start = -1;
  for (let i = 0; i < covered.length; i++) {
    if (!covered[i] && start < 0) start = i;
    if (covered[i] && start >= 0) {
      if (i - start >= minWidth) cuts.push(origin + (start + i) / 2);
      start = -1;
    }
  }
  if (cuts.length === 0) return [[...items]];
  const parts: Box[][] = cuts.map(() => []);
  parts.push([]);
  for (const b of items) {
    const centre = vertical ? (b.x0 + b.x1) / 2 : (b.y0 + b.y1) / 2;
    let k = 0;
    while (k < cuts.length && centre > cuts[k]!) k++;
    parts[k]!.push(b);
  }
  return parts.filter((p) => p.length > 0);
}

/**
 * Pieces into stories, by where they stand, not by the order of the cut (a story's last column may
 * stand beside the next row's first story). Headline pieces next to each other (a headline's words,
 * its decks) make one headline. Every other piece goes to the headline nearest above it, the
 * distance being the blank space between them across and down: its own headline is above or
 * beside-above it, another story's is a whole story further up or a row away. A vertical headline
 * claims first the columns beside it, on either side, out to another story's (see
 * columnsBesideVertical). A picture that does not span the region stands alone with its captions;
 * pieces before the first headline (a kicker, a picture over the headline) go to the headline under
 * them, unless they are running text: a story continued from another page, without a headline, is
 * a story of its own.
 */
function groupPieces(pieces: readonly Piece[], bodyH: number, standsAlone: (p: Piece) => boolean): Piece[][] {
  const captionOf = captionsBeside(pieces, bodyH);
  const heads = headlines(pieces.filter((p) => p.headline), bodyH);
  const groups: Piece[][] = heads.map((h) => [...h.pieces]);
  // A vertical headline's columns beside it are its, before anything else claims them.
  const besideVertical = new Set<Piece>();
  const aside = (q: Piece): boolean => q.photo !== undefined || captionOf.has(q) || q.bodyLines < 3;
  heads.forEach((h, i) => {
    if (!h.vertical) return;
    for (const p of columnsBesideVertical(h, pieces, heads, bodyH, (q) => captionOf.has(q) || besideVertical.has(q), aside)) {
      groups[i]!.push(p);
      besideVertical.add(p);
    }
  });
  const headless: Piece[] = [];
  // Columns that start together are claimed together (see runStarts).
  const runOwner = new Map<Piece, number>();
  const freshRuns: Piece[][] = [];
  for (const run of columnRuns(pieces.filter((p) => !besideVertical.has(p)), bodyH, captionOf)) {
    const start = runStart(run, pieces, heads, bodyH, captionOf);
    if (start === 'fresh') freshRuns.push(run);
    else if (start >= 0) for (const p of run) runOwner.set(p, start);
  }
  groups.push(...freshRuns);
  // Top down, so that a story's text is claimed piece under piece.
  for (const piece of [...pieces].sort((a, b) => a.box.y0 - b.box.y0)) {
    if (piece.headline || captionOf.has(piece) || groups.some((g) => g.includes(piece))) continue;
    if (standsAlone(piece)) {
      groups.push([piece]);
      continue;
    }
    const claimed = runOwner.get(piece);
    if (claimed !== undefined) {
      groups[claimed]!.push(piece);
      continue;
    }
    const owner = nearestHeadline(piece, heads, bodyH);
    if (owner >= 0 && withinReach(piece, groups[owner]!, bodyH)) groups[owner]!.push(piece);
    else headless.push(piece);
  }
  // Headless running text: one story per frame (or outside any).
  const running = new Map<number, Piece[]>();
  // A column beside a text block that starts by itself, starting a line lower or higher, is its.
  const beside = (p: Piece, run: readonly Piece[]): boolean =>
    run.some((q) => q.frame === p.frame && Math.max(q.box.x0 - p.box.x1, p.box.x0 - q.box.x1) <= RUN_GUTTER_GLYPHS * bodyH && Math.abs(q.box.y0 - p.box.y0) <= 2 * bodyH);
  for (const p of headless) {
    if (p.bodyLines < 3) continue;
    const run = freshRuns.find((r) => beside(p, r));
    if (run) run.push(p);
    else running.set(p.frame, [...(running.get(p.frame) ?? []), p]);
  }
  for (const piece of headless) {
    if (piece.bodyLines >= 3) continue;
    const below = nearestHeadline(piece, heads, bodyH, 'below');
    // A line or two over a text block that starts by itself (its jump line) is that block's.
    const over = freshRuns.find((run) => run.some((p) => p.frame === piece.frame && p.box.y0 >= piece.box.y1 && p.box.y0 - piece.box.y1 <= 2 * bodyH && overlap1d(p.box.x0, p.box.x1, piece.box.x0, piece.box.x1) > 0));
    if (below >= 0) groups[below]!.push(piece);
    else if (over) over.push(piece);
    else running.set(piece.frame, [...(running.get(piece.frame) ?? []), piece]);
  }
  groups.push(...running.values());
  for (const [caption, holder] of captionOf) groups.find((g) => g.includes(holder))?.push(caption);
  // Reading order: a story where its first piece stood in the cut.
  const first = (g: readonly Piece[]): number => Math.min(...g.map((p) => pieces.indexOf(p)));
  return groups.filter((g) => g.length > 0).sort((a, b) => first(a) - first(b));
}

/** A vertical headline stands this many body glyphs or less from the column beside it (its margin and a gutter). */
const VERTICAL_GAP_GLYPHS = 3;

/**
 * The pieces a vertical headline (竖排) claims: the columns beside it, on whichever side it stands,
 * that start level with it (between its head and its foot), walked outward column by column across
 * gaps no wider than a gutter, with what stands over them inside that span (a byline, a subhead).
 * The walk stops at another headline, at a picture, and at a column under another story's headline
 * set across (nothing but a byline, a picture or a caption between them): that column and those
 * beyond it are that story's, however near its headline stands.
 */
function columnsBesideVertical(h: Headline, pieces: readonly Piece[], heads: readonly Headline[], bodyH: number, taken: (p: Piece) => boolean, aside: (p: Piece) => boolean): Piece[] {
  // Level: starting between the headline's head (a byline's line or two above it) and its foot.
  const level = (p: Piece): boolean => p.frame === h.frame && p.box.y0 >= h.box.y0 - 3 * bodyH && p.box.y0 < h.box.y1;
  // Looking up from a column past bylines, pictures and captions (as runStart does): another
  // story's headline set across, not running text or nothing.
  const foreignHeadOver = (p: Piece): boolean => {
    const c = p.box;
    const above = pieces
      .filter((q) => q !== p && q.frame === p.frame && q.box.y1 <= c.y0 + 0.5 * bodyH && overlap1d(q.box.x0, q.box.x1, c.x0, c.x1) >= 0.3 * boxWidth(c))
      .sort((a, b) => b.box.y1 - a.box.y1);
    for (const q of above) {
      if (h.pieces.includes(q)) return false;
      if (heads.some((o) => o.pieces.includes(q))) return true;
      if (!aside(q)) return false;
    }
    return false;
  };
  const candidates = pieces.filter((p) => level(p) && !h.pieces.includes(p) && !taken(p));
  const claimed: Piece[] = [];
  let zone: [number, number] = [h.box.x0, h.box.x1];
  const within = (p: Piece): boolean => (p.box.x0 + p.box.x1) / 2 >= zone[0] && (p.box.x0 + p.box.x1) / 2 <= zone[1];
  const open = { left: true, right: true };
  for (let grown = true; grown; ) {
    grown = false;
    for (const side of ['left', 'right'] as const) {
      if (!open[side]) continue;
      const reach = (claimed.length === 0 ? VERTICAL_GAP_GLYPHS : RUN_GUTTER_GLYPHS) * bodyH;
      const gap = (p: Piece): number => (side === 'left' ? zone[0] - p.box.x1 : p.box.x0 - zone[1]);
      const next = candidates.filter((p) => !claimed.includes(p) && !within(p) && gap(p) >= -0.5 * bodyH && gap(p) <= reach);
      if (next.length === 0 || next.some((p) => p.headline || p.photo || foreignHeadOver(p))) {
        open[side] = false;
        continue;
      }
      claimed.push(...next);
      zone = side === 'left' ? [Math.min(zone[0], ...next.map((p) => p.box.x0)), zone[1]] : [zone[0], Math.max(zone[1], ...next.map((p) => p.box.x1))];
      grown = true;
    }
    // What stands over or under the columns claimed so far, level with the headline, is theirs.
    const between = candidates.filter((p) => !claimed.includes(p) && within(p) && !p.headline && !p.photo && !foreignHeadOver(p));
    if (between.length > 0) {
      claimed.push(...between);
      grown = true;
    }
  }
  return claimed;
}

/** Columns side by side whose tops are this many body glyphs apart or less start together. */
const RUN_TOP_GLYPHS = 0.4;
/** ... across a gap no wider than this (a column gutter is 1-1.6 body glyphs). */
const RUN_GUTTER_GLYPHS = 2.2;

/**
 * Runs of running text set side by side whose tops line up: the columns of one text block, which
 * a story sets under its headline (or a continuation from another page sets under nothing) and
 * starts all at once. A block's columns have the same width; two stories' columns side by side
 * rarely start on the same line.
 */
function columnRuns(pieces: readonly Piece[], bodyH: number, captionOf: ReadonlyMap<Piece, Piece>): Piece[][] {
  const text = pieces.filter((p) => !p.headline && !p.photo && !captionOf.has(p) && p.bodyLines >= 3).sort((a, b) => a.box.x0 - b.box.x0);
  const runs: Piece[][] = [];
  for (const p of text) {
    const run = runs.find((r) => {
      const last = r[r.length - 1]!;
      const gap = p.box.x0 - last.box.x1;
      const sameWidth = Math.abs(boxWidth(p.box) - boxWidth(last.box)) <= 0.1 * Math.max(boxWidth(p.box), boxWidth(last.box));
      return last.frame === p.frame && gap >= 0 && gap <= RUN_GUTTER_GLYPHS * bodyH && sameWidth && Math.abs(p.box.y0 - last.box.y0) <= RUN_TOP_GLYPHS * bodyH;
    });
    if (run) run.push(p);
    else runs.push([p]);
  }
  return runs.filter((r) => r.length >= 2);
}

/**
 * What stands over a run of columns decides whose they are. Over each column, looking up past
 * bylines, kickers, pictures and captions: a headline (the run's story), running text (another
 * story's column, which ended over a blank band), or nothing. A run under one headline only is
 * that headline's, also its columns beside the headline or under another story's end (a headline
 * centred over its story is narrower than it); a run under running text only (a story continued
 * from another page, set close under another story) is a story of its own. Otherwise (-1) each column is claimed
 * alone.
 */
function runStart(run: readonly Piece[], pieces: readonly Piece[], heads: readonly Headline[], bodyH: number, captionOf: ReadonlyMap<Piece, Piece>): number | 'fresh' {
  const owners = new Set<number>();
  let fresh = 0;
  let open = 0;
  for (const column of run) {
    const c = column.box;
    const above = pieces
      .filter((q) => q !== column && q.frame === column.frame && q.box.y1 <= c.y0 + 0.5 * bodyH && overlap1d(q.box.x0, q.box.x1, c.x0, c.x1) >= 0.3 * boxWidth(c))
      .sort((a, b) => b.box.y1 - a.box.y1);
    for (const q of above) {
      const head = heads.findIndex((h) => h.pieces.includes(q));
      if (head >= 0) {
        owners.add(head);
        break;
      }
      if (q.photo || captionOf.has(q) || q.bodyLines < 3) continue;
      fresh++;
      break;
    }
    if (above.every((q) => q.photo || captionOf.has(q) || q.bodyLines < 3)) open++;
  }
  if (owners.size === 1) return [...owners][0]!;
  if (owners.size === 0 && fresh === run.length) return 'fresh';
  // Columns under nothing, starting level with the top of a headline beside them, are not its text
  // (see levelBeside): they start a story of their own.
  if (owners.size === 0 && open === run.length && heads.some((h) => h.frame === run[0]!.frame && levelBeside(run[0]!.box, h, bodyH))) return 'fresh';
  return -1;
}

/** Text runs down a story's columns: a step across to another story's headline counts this many times a step down. */
const ACROSS_WEIGHT = 2;
/** ... and a step back left, against the reading direction, twice that. */
const LEFT_WEIGHT = 4;

/** Blank space wider than this many body glyphs under a story's text ends it (12 mm of air around a headline is 5). */
const STORY_REACH_GLYPHS = 5.5;

/**
 * A story's text runs on without a wide blank: a piece is within its reach beside one of its
 * pieces, or no more than STORY_REACH_GLYPHS of paper under the lowest of them above it (its
 * byline, the column above it, its headline).
 */
function withinReach(piece: Piece, story: readonly Piece[], bodyH: number): boolean {
  const p = piece.box;
  if (story.some((q) => overlap1d(q.box.y0, q.box.y1, p.y0, p.y1) > 0)) return true;
  const above = story.filter((q) => q.box.y1 <= p.y0);
  if (above.length === 0) return true;
  return Math.min(...above.map((q) => p.y0 - q.box.y1)) <= STORY_REACH_GLYPHS * bodyH;
}

interface Headline {
  readonly box: Box;
  /** Set top to bottom (taller than wide, glyphs stacked). */
  readonly vertical: boolean;
  readonly pieces: Piece[];
  readonly frame: number;
}

/**
 * Headline pieces whose headline type nearly touches are one headline: words of one line set apart
 * (a gap under one headline glyph, on the same line), decks one over the other (under two body
 * glyphs apart, overlapping across). Two pieces that each hold running text are two stories, and
 * so are two headlines of two lines or more set side by side (see besideOnEveryLine).
 */
function headlines(pieces: readonly Piece[], bodyH: number): Headline[] {
  const groups = pieces.map((p) => [p]);
  const near = (pa: Piece, pb: Piece): boolean => {
    const a = pa.headlineType;
    const b = pb.headlineType;
    if (!a || !b || pa.frame !== pb.frame || (pa.bodyLines >= 3 && pb.bodyLines >= 3)) return false;
    const dx = Math.max(a.x0, b.x0) - Math.min(a.x1, b.x1);
    const dy = Math.max(a.y0, b.y0) - Math.min(a.y1, b.y1);
    const glyph = Math.min(a.glyph, b.glyph);
    const sameLine = dy < -0.5 * glyph && dx < glyph && !besideOnEveryLine(pa.headlineRows, pb.headlineRows, glyph);
    const stacked = dx < 0 && dy < 2 * bodyH;
    return sameLine || stacked;
  };
  for (let merged = true; merged; ) {
    merged = false;
    outer: for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        if (groups[i]!.some((a) => groups[j]!.some((b) => near(a, b)))) {
          groups[i]!.push(...groups[j]!);
          groups.splice(j, 1);
          merged = true;
          break outer;
        }
      }
    }
  }
  return groups.map((g) => {
    const box = unionBox(g.map((p) => p.box))!;
    return { box, vertical: boxHeight(box) > 2.5 * boxWidth(box), pieces: g, frame: g[0]!.frame };
  });
}

/**
 * A story's running text starts under its headline (or beside a vertical one): running text beside
 * a headline set across, starting level with it (higher than its foot), is another story's, such
 * as a story continued from another page set beside this one.
 */
function levelBeside(p: Box, h: Headline, bodyH: number): boolean {
  // The headline's own type, not its pieces (a piece may hold a column beside a vertical headline).
  const b = unionBox(h.pieces.flatMap((q) => (q.headlineType ? [q.headlineType] : []))) ?? h.box;
  const across = !h.vertical && boxWidth(b) > boxHeight(b);
  return across && (p.x1 <= b.x0 || p.x0 >= b.x1) && p.y0 < b.y1 - bodyH && b.y0 <= p.y0 + bodyH;
}

/**
 * Two pieces of two lines or more of headline type each, level line for line, with a gap of a
 * headline glyph or more between them on some line: two headlines side by side, a gutter apart (the
 * gutter runs down through every line, and on the line where one of them ends short it is wider).
 * One headline cut at the same place on every line (quote marks over each other, whose blank half
 * leaves a gap) stands closer than a glyph on every line.
 */
function besideOnEveryLine(a: readonly Box[], b: readonly Box[], glyph: number): boolean {
  if (a.length < 2 || b.length < 2) return false;
  const [left, right] = a[0]!.x0 <= b[0]!.x0 ? [a, b] : [b, a];
  const gaps: number[] = [];
  for (const l of left) {
    const level = right.find((r) => overlap1d(l.y0, l.y1, r.y0, r.y1) >= 0.5 * Math.min(l.y1 - l.y0, r.y1 - r.y0));
    if (!level) return false;
    gaps.push(level.x0 - l.x1);
  }
  return Math.min(...gaps) > 0 && Math.max(...gaps) >= glyph;
}

/**
 * The headline that claims `piece`: the one above it (or, `below`, under it) with the least blank
 * space between them, across plus down. A vertical headline has claimed what it owns beside it
 * already, and claims nothing more here.
 */
function nearestHeadline(piece: Piece, heads: readonly Headline[], bodyH: number, where: 'above' | 'below' = 'above'): number {
  const p = piece.box;
  let best = -1;
  let bestCost = Infinity;
  heads.forEach((h, i) => {
    if (h.frame !== piece.frame) return;
    const b = h.box;
    const across = Math.max(0, Math.max(p.x0, b.x0) - Math.min(p.x1, b.x1));
    // A story's columns start under its headline or run on right of it: a piece left of a headline
    // is its story's only if no headline on its left is about as near.
    const leftOf = !h.vertical && p.x1 <= b.x0;
    const dx = (leftOf ? LEFT_WEIGHT : ACROSS_WEIGHT) * across;
    let cost: number;
    // A vertical headline's columns were claimed beside it (columnsBesideVertical): what it did
    // not reach is another story's, however level with it.
    if (h.vertical && where === 'above') return;
    if (where === 'above') {
      if (b.y0 > p.y0 + bodyH) return;
      if (piece.bodyLines >= 3 && levelBeside(p, h, bodyH)) return;
      cost = dx + Math.max(0, p.y0 - b.y1);
    } else {
      if (b.y0 < p.y1 - bodyH) return;
      cost = dx + Math.max(0, b.y0 - p.y1);
    }
    if (cost < bestCost) {
      bestCost = cost;
      best = i;
    }
  });
  return best;
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
      if (gap > 6 * bodyH) continue;
      if (boxHeight(p.box) > 0.5 * boxHeight(photo) || boxWidth(p.box) > boxWidth(photo)) continue;
      const level = Math.abs(p.box.y1 - photo.y1) < 2 * bodyH || Math.abs(p.box.y0 - photo.y0) < 2 * bodyH;
      if (level) captions.set(p, holder);
    }
  }
  return captions;
}
