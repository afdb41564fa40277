/**
 * A born-digital page: its text layer from pdf.js's text content, and the page as a vector sketch
 * with that layer (see sketch.ts) instead of a rendering, when the layer has enough text.
 */
import { unitSquareBounds } from './place-image.js';
import type { PDFPageProxy } from './pdfjs-load.js';
import { sketchPage, type SketchArea } from './sketch.js';
import { toTextLayer, type Matrix, type PdfTextItem, type PdfTextStyle } from './text-layer.js';
import type { PageRaster, RasterProvenance, TextLayerItem } from './types.js';

/** What a sketch is drawn from: painted paths and where images are placed. */
export interface SketchContent {
  readonly paths: readonly SketchArea[];
  readonly images: ReadonlyArray<{ readonly ctm: Matrix }>;
}

/** A born-digital page as a vector sketch at `dpi` with its text layer (see sketch.ts). */
export function sketchBornDigital(
  page: PDFPageProxy,
  pageNumber: number,
  content: SketchContent,
  text: TextContent,
  dpi: number,
  provenance: Omit<RasterProvenance, 'path'>,
): PageRaster {
  const viewport = page.getViewport({ scale: dpi / 72 });
  const width = Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));
  const userToPixel = viewport.transform as unknown as Matrix;
  const textLayer = textLayerOf(text, userToPixel);
  const pictures = content.images.map((img) => ({ bounds: unitSquareBounds(img.ctm), gray: undefined }));
  const image = sketchPage([...content.paths, ...pictures], textLayer, userToPixel, width, height, dpi);
  return { pageNumber, image, origin: 'vector-sketch', dpiSource: 'render', provenance: { path: 'vector-sketch', ...provenance }, textLayer };
}

export type TextContent = Awaited<ReturnType<PDFPageProxy['getTextContent']>>;

/** Characters of visible text on the page (whitespace not counted). */
export function textLength(content: TextContent): number {
  let n = 0;
  for (const item of content.items) if ('str' in item) n += item.str.replace(/\s+/gu, '').length;
  return n;
}

/** The text runs in the pixels `userToPixel` maps to. */
export function textLayerOf(content: TextContent, userToPixel: Matrix): TextLayerItem[] {
  // Marked-content entries have no `str`; they are not asked for, but skip them all the same.
  const items = content.items.filter((item) => 'str' in item) as unknown as PdfTextItem[];
  return toTextLayer(items, content.styles as Record<string, PdfTextStyle>, userToPixel);
}
