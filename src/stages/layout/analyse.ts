/**
 * Page layout analysis, before any recognition: rules and pictures first, then story blocks by rules,
 * then lines, headlines, captions and columns inside each block. Sizes come from the page itself
 * (its dpi and its measured body glyph height), not from a known layout.
 */
import type { GrayImage } from '../../image/gray-image.js';
import { analyseBlock } from './block.js';
import { connectedComponents, type Component } from './components.js';
import type { Box } from '../../image/geometry.js';
import { boxHeight, boxWidth, centreInside } from '../../image/geometry.js';
import { bodyGlyphHeight, buildFragments, glyphHeight, splitMixedSizes, type Fragment } from './lines.js';
import { inkMask, LOW_RESOLUTION_DPI, withTints, type InkMask } from './mask.js';
import { findPictures, paperLevel } from './photos.js';
import { findFrames, findRules, type Rule } from './rules.js';
import { segmentByRules } from './segment.js';
import { solidToRim } from './solid-bar.js';
import { storiesIn } from './stories.js';
import { fragmentsFromTextLayer } from './text-fragments.js';
import type { TextLayerItem } from '../rasterise/index.js';
import type { PageLayout } from './types.js';

export interface AnalyseOptions {
  /** A born-digital page's text layer (in the image's pixels): lines come from it, not from the ink. */
  readonly textLayer?: readonly TextLayerItem[];
  /** The page was scanned bilevel (see findPictures). */
  readonly bilevelSource?: boolean;
  /** `inkMask(image)`, when the caller has made it already. */
  readonly mask?: InkMask;
}

export function analysePage(image: GrayImage, options: AnalyseOptions = {}): PageLayout {
  const dpi = image.dpi;
  const paperGray = paperLevel(image);
  const scanMask = options.mask ?? inkMask(image);
  const { photos, tints } = findPictures(image, paperGray, {
    cell: Math.max(4, Math.round(dpi / 12)),
    minSide: dpi / 2,
    bilevelSource: options.bilevelSource ?? false,
    growLightTones: dpi < LOW_RESOLUTION_DPI,
    inkThreshold: scanMask.threshold,
  });
  const mask = withTints(scanMask, image, tints, paperGray);
  const rules = findRules(mask, {
    minLength: Math.round(dpi),
    // A scan blurs a rule by about a pixel on each side: at low resolution that is more than the rule.
    maxThickness: Math.max(3, Math.round(dpi / 25)) + (dpi < LOW_RESOLUTION_DPI ? 2 : 0),
    maxGap: Math.max(1, Math.round(dpi / 100)),
    // A dashed rule's dashes stand up to 0.8 mm apart (measured: 6-7 px at 300 dpi); the leading
    // between lines of text, which a vertical run down a column would have to bridge, is wider.
    maxDashGap: Math.max(1, Math.round(dpi / 30)),
  });
  const page: Box = { x0: 0, y0: 0, x1: image.width, y1: image.height };
  const mastheadRule = topRule(rules, image);
  const minSide = dpi / 8;
  const minGlyph = Math.max(3, Math.round(dpi / 60));
  const textFragments = options.textLayer ? fragmentsFromTextLayer(options.textLayer) : undefined;
  const pageGlyph = pageGlyphHeight(mask, page, dpi, photos, textFragments, minGlyph);
  const regions = segmentByRules(page, rules, mask, {
    coverage: 0.75,
    edgeMargin: Math.round(dpi / 6),
    minInk: (dpi * dpi) / 100,
    // Stories set off by whitespace alone: a gutter wider than a column gutter (about one glyph
    // on the real scans) parts them. Measured in the page's own body glyphs.
    minGutter: STORY_GUTTER_GLYPHS * pageGlyph,
    guttersBelow: mastheadRule ? mastheadRule.y1 + dpi / 20 : 0,
  }).filter((b) => boxWidth(b) >= minSide && boxHeight(b) >= minSide);

  const mastheads = mastheadRule ? regions.filter((r) => r.y1 <= mastheadRule.y0 + dpi / 20) : [];
  const stories = regions.filter((r) => !mastheads.includes(r));

  // Glyphs, and the whitespace between stories, are looked for with the rules taken out: a frame
  // is no glyph, and a short rule under a story must not bridge the gutter beside it.
  const paper = withoutRules(mask, rules);
  const fragmentsByBlock = stories.map((region): Fragment[] => {
    if (textFragments) return textFragments.filter((f) => centreInside(region, f));
    const inPhotos = photos.filter((p) => centreInside(region, p));
    const components = connectedComponents(paper, region).filter((c) => !inPhotos.some((p) => centreInside(p, c)));
    // Only a box as tall as headline type could be taken for it; smaller solid boxes are body
    // glyphs that a low-resolution scan blurred into blobs. Under LOW_RESOLUTION_DPI two headline
    // glyphs blur into such a blob too (s4 web page 1, mean gray 150): there a label's box must also
    // be darker than mid-gray on average (labels there: 80-90), as recognise asks of a bar.
    const labelBox = (c: Component): boolean =>
      c.y1 - c.y0 >= HEADLINE_FACTOR * pageGlyph && solidToRim(paper, c) && (dpi >= LOW_RESOLUTION_DPI || meanGray(image, c) < MID_GRAY);
    return buildFragments(components, { minGlyph, gapFactor: 0.8, solidToRim: labelBox });
  });
  if (!textFragments) {
    // Sized by single glyphs, not by fragments: a fragment that strings body lines to large type is
    // as tall as the large type. But on a worn scan many glyphs break into parts, and the size of
    // single components falls to a radical's, under the body lines': then body glyphs read as large
    // type. Body lines (fragments under twice that size: none strung to large type) keep it up.
    const single = glyphHeight(fragmentsByBlock.flat(), minGlyph);
    const glyph = Math.max(single, bodyGlyphHeight(fragmentsByBlock.flat().filter((f) => f.height < 2 * single)));
    if (glyph > 0) fragmentsByBlock.forEach((list, i) => (fragmentsByBlock[i] = splitMixedSizes(list, glyph, { minGlyph, gapFactor: 0.8 })));
  }
  const bodyHeight = bodyGlyphHeight(fragmentsByBlock.flat()) || dpi / 7;
  const blockOptions = { bodyHeight, headlineFactor: HEADLINE_FACTOR, minGlyph };
  const frames = findFrames(rules, bodyHeight);
  const blocks = stories.flatMap((region, i) => {
    const inRegion = photos.filter((p) => centreInside(region, p));
    const found = textFragments ? [{ box: region, fragments: fragmentsByBlock[i] ?? [], photos: inRegion }] : storiesIn(region, fragmentsByBlock[i] ?? [], inRegion, frames, blockOptions);
    return found.map((story) => analyseBlock(story.box, story.fragments, story.photos, blockOptions));
  });
  return { width: image.width, height: image.height, bodyGlyphHeight: bodyHeight, mastheads, blocks };
}

/** The ink mask with the pixels of every rule set to paper. */
function withoutRules(mask: InkMask, rules: readonly Rule[]): InkMask {
  const data = Uint8Array.from(mask.data);
  for (const r of rules) {
    for (let y = Math.max(0, r.y0 - 1); y < Math.min(mask.height, r.y1 + 1); y++) data.fill(0, y * mask.width + Math.max(0, r.x0 - 1), y * mask.width + Math.min(mask.width, r.x1 + 1));
  }
  return { ...mask, data };
}

/** Mid-gray: a reversed label's box is darker than this on average, its white glyphs included. */
const MID_GRAY = 128;

/** The mean gray level of `box` in `image`. */
function meanGray(image: GrayImage, box: Box): number {
  let sum = 0;
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) sum += image.data[y * image.width + x] ?? 255;
  return sum / Math.max(1, (box.x1 - box.x0) * (box.y1 - box.y0));
}

/** Type at least this many body glyph heights tall is headline type. */
const HEADLINE_FACTOR = 1.45;

/** A blank band this many body glyph heights wide, running down a region, parts two stories. */
const STORY_GUTTER_GLYPHS = 1.8;

/**
 * The body glyph height of the whole page, before it is cut into stories (the gutters need it).
 * Measured on a sample, bands one inch high every three inches down the page: body text is
 * everywhere, and labelling the whole page again cost 0.3-0.9 s on a 300 dpi broadsheet.
 */
function pageGlyphHeight(mask: InkMask, page: Box, dpi: number, photos: readonly Box[], textFragments: readonly Fragment[] | undefined, minGlyph: number): number {
  if (textFragments) return bodyGlyphHeight(textFragments);
  const fragments: Fragment[] = [];
  const band = Math.max(1, Math.round(dpi));
  for (let y = page.y0; y < page.y1; y += 3 * band) {
    const strip = { ...page, y0: y, y1: Math.min(page.y1, y + band) };
    const components = connectedComponents(mask, strip).filter((c) => !photos.some((p) => centreInside(p, c)));
    fragments.push(...buildFragments(components, { minGlyph, gapFactor: 0.8 }));
  }
  return bodyGlyphHeight(fragments);
}

/** The first rule across (nearly) the whole page in its top quarter: what is above it is masthead or folio. */
function topRule(rules: readonly Rule[], image: GrayImage): Rule | undefined {
  return rules
    .filter((r) => r.orientation === 'horizontal' && r.x1 - r.x0 >= 0.75 * image.width && r.y0 < 0.25 * image.height)
    .sort((a, b) => a.y0 - b.y0)[0];
}
