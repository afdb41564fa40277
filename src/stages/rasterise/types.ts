/**
 * The rasterise stage's contract: an input's bytes open as a {@link PageSource}, whose pages are
 * rasterised one at a time, on demand, into {@link PageRaster}s. Later stages import these types
 * only (through index.ts), never the implementations beside this file.
 */
import type { GrayImage } from '../../image/gray-image.js';
import type { Logger } from '../../logger.js';

/** Default refusal limit: a page raster above this many pixels is not decoded. */
export const DEFAULT_MAX_PIXELS = 150e6;
/** Default resolution for pages that must be rendered. */
export const DEFAULT_RENDER_DPI = 300;

export interface RasteriseOptions {
  /** Refuse any page whose raster would exceed this many pixels, before decoding it. Default 150e6. */
  readonly maxPixels?: number;
  /** Resolution for rendered PDF pages. Default 300. */
  readonly renderDpi?: number;
  /** Where warnings go (an image without resolution, a page rendered for lack of one image). Default: none. */
  readonly logger?: Logger;
}

/** A text run taken from a PDF text layer (born-digital pages), in page pixels at the page's dpi. */
export interface TextLayerItem {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Font size in pixels. */
  readonly size: number;
}

/**
 * What the pixels are: a PDF page's own image, a rendering of the page, an image file, or
 * (`vector-sketch`) a born-digital page drawn from its vector content (rules, filled areas, text
 * boxes) instead of rendered, its text coming from the text layer.
 */
export type RasterOrigin = 'embedded-image' | 'rendered' | 'image-file' | 'vector-sketch';

/**
 * Where a page's dpi came from: the image file's own metadata, the size the PDF draws the image
 * at, the render resolution we chose, or the default because the file said nothing usable.
 */
export type DpiSource = 'metadata' | 'page-size' | 'render' | 'default';

/**
 * Which code made the raster. `jpeg-passthrough`: the page's one JPEG, found through the file's
 * objects and decoded natively (page-jpeg.ts); `embedded-image`: the page's one image as pdf.js
 * decoded it; `vector-sketch`: see {@link RasterOrigin}; `rendered`: pdf.js drew the page;
 * `image-file`: a TIFF, JPEG or PNG input.
 */
export type RasterPath = 'jpeg-passthrough' | 'embedded-image' | 'vector-sketch' | 'rendered' | 'image-file';

/**
 * How a PDF page's objects were read to choose its path. `via-xref`: this project's reader found
 * them through the cross-reference data (tables, streams, object streams, updates);
 * `repaired-scan`: the same reader, the cross-reference data being broken, found them by their
 * `n g obj` headers; `fell-back-to-pdfjs`: that reader could not settle the page, and pdf.js's
 * reading of it decided (the reason says why).
 */
export type ObjectAccess = 'via-xref' | 'repaired-scan' | 'fell-back-to-pdfjs';

/** The path a page took, recorded in the page's provenance in the output. */
export interface RasterProvenance {
  readonly path: RasterPath;
  /** PDF pages only. */
  readonly objects?: ObjectAccess;
  /** Why the cross-reference data was not used, or why the fast paths left the page to pdf.js. */
  readonly reason?: string;
}

/** One page, rasterised. */
export interface PageRaster {
  /** 1-based page number within the document. */
  readonly pageNumber: number;
  readonly image: GrayImage;
  readonly origin: RasterOrigin;
  readonly dpiSource: DpiSource;
  readonly provenance: RasterProvenance;
  /** Present when the PDF page has a text layer. */
  readonly textLayer?: readonly TextLayerItem[];
}

export interface PageRenderOptions {
  /**
   * When a page that must be rendered has a text layer of at least `minChars` characters, it is not
   * rendered: a sketch at `dpi` of its rules, filled areas (photos) and text boxes stands in, and the
   * text comes from the layer.
   */
  readonly textLayerRender?: { readonly dpi: number; readonly minChars: number };
}

/** An opened input (PDF or image file). Pages are rasterised one at a time, on demand. */
export interface PageSource {
  readonly kind: 'pdf' | 'tiff' | 'jpeg' | 'png';
  readonly pageCount: number;
  /** Fails with an InputError (stage 'rasterise') for a page that cannot be rasterised. */
  renderPage(pageNumber: number, options?: PageRenderOptions): Promise<PageRaster>;
  close(): Promise<void>;
}
