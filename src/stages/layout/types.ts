import type { Box } from '../../image/geometry.js';

export type RegionRole = 'section' | 'headline' | 'author' | 'body' | 'caption' | 'photo' | 'furniture' | 'label';

/** A text line found by layout analysis, before recognition. */
export interface LayoutLine extends Box {
  /** Glyph height of the line, px (the tallest fragments). */
  readonly glyphHeight: number;
  /** White text on a dark bar (needs inverting before recognition). */
  readonly reversed: boolean;
}

export interface BodyColumn {
  readonly box: Box;
  readonly lines: readonly LayoutLine[];
}

/** One story block (or furniture/ad block) found on the page, in reading order. */
export interface LayoutBlock {
  readonly box: Box;
  readonly furniture: boolean;
  readonly photos: readonly Box[];
  readonly sectionLines: readonly LayoutLine[];
  readonly headlineLines: readonly LayoutLine[];
  readonly authorLines: readonly LayoutLine[];
  /** Caption lines grouped per photo, in print order. */
  readonly captionGroups: readonly (readonly LayoutLine[])[];
  readonly columns: readonly BodyColumn[];
  /** Lines of a block that is neither story nor photo (ads, notices), for furniture text. */
  readonly otherLines: readonly LayoutLine[];
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
