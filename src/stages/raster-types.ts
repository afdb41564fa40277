import type { GrayImage } from '../image/gray-image.js';

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
 * `vector-sketch`: a born-digital page drawn from its vector content (rules, filled areas, text boxes)
 * instead of rendered; its text comes from the text layer.
 */
export type RasterOrigin = 'embedded-image' | 'rendered' | 'image-file' | 'vector-sketch';

export interface PageRaster {
  /** 1-based page number within the document. */
  readonly pageNumber: number;
  readonly image: GrayImage;
  readonly origin: RasterOrigin;
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
export interface RasterDocument {
  readonly kind: 'pdf' | 'tiff' | 'jpeg' | 'png';
  readonly pageCount: number;
  renderPage(pageNumber: number, options?: PageRenderOptions): Promise<PageRaster>;
  close(): Promise<void>;
}
