import type { GrayImage } from '../image.js';

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

export type RasterOrigin = 'embedded-image' | 'rendered' | 'image-file';

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
   * When a page that must be rendered has a text layer of at least `minChars` characters, render it
   * at `dpi` instead: the text comes from the layer, so the picture only has to show rules and photos.
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
