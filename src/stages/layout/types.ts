import type { Box } from '../../image/geometry.js';
import type { WritingMode } from './writing-mode.js';

export type RegionRole = 'section' | 'headline' | 'author' | 'body' | 'caption' | 'photo' | 'furniture' | 'label';

/** A text line found by layout analysis, before recognition. */
export interface LayoutLine extends Box {
  /** Glyph height of the line, px (the tallest fragments). */
  readonly glyphHeight: number;
  /** White text on a dark bar (needs inverting before recognition). */
  readonly reversed: boolean;
  /** One glyph cell of a vertical headline (竖排): the block lists its cells in reading order. */
  readonly vertical?: boolean;
}

/** A column of running text: its box and its lines, as line boxes (layout) or as text (recognise). */
export interface PartColumn<Line> {
  readonly box: Box;
  readonly lines: readonly Line[];
}

/**
 * The parts of a block by role, in print order. Layout finds them as line boxes; recognise reads
 * the same parts as text, so both stages share this one shape.
 */
export interface BlockParts<Line> {
  readonly section: readonly Line[];
  readonly headline: readonly Line[];
  readonly author: readonly Line[];
  /** Caption lines grouped per photo, in print order. */
  readonly captions: readonly (readonly Line[])[];
  readonly columns: readonly PartColumn<Line>[];
  /** Lines of a block that is neither story nor photo (ads, notices), for furniture text. */
  readonly other: readonly Line[];
}

export type BodyColumn = PartColumn<LayoutLine>;

/** One story block (or furniture/ad block) found on the page, in reading order. */
export interface LayoutBlock extends BlockParts<LayoutLine> {
  readonly box: Box;
  readonly furniture: boolean;
  readonly photos: readonly Box[];
  /** `vertical-rl`: the headline stands top to bottom beside the columns (its lines are glyph cells). Absent: horizontal. */
  readonly headlineWritingMode?: WritingMode;
  /** `vertical-rl`: the body runs top to bottom, columns right to left (its lines are glyph cells). Absent: horizontal. */
  readonly bodyWritingMode?: WritingMode;
}

export interface PageLayout {
  readonly width: number;
  readonly height: number;
  /** Body glyph height, px. */
  readonly bodyGlyphHeight: number;
  /** Masthead / folio area (furniture). */
  readonly mastheads: readonly Box[];
  readonly blocks: readonly LayoutBlock[];
}
