import { ConfigError, InputError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { PageRaster, PageRenderOptions, RasterDocument } from '../raster-types.js';

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

/**
 * Where a page's dpi came from: the image file's own metadata, the size the PDF draws the image
 * at, the render resolution we chose, or the default because the file said nothing usable.
 */
export type DpiSource = 'metadata' | 'page-size' | 'render' | 'default';

/** A PageRaster with its provenance; assignable wherever a PageRaster is expected. */
export interface RasterPage extends PageRaster {
  readonly dpiSource: DpiSource;
}

export interface RasterisedDocument extends RasterDocument {
  renderPage(pageNumber: number, options?: PageRenderOptions): Promise<RasterPage>;
}

export interface ResolvedOptions {
  readonly maxPixels: number;
  readonly renderDpi: number;
  readonly logger: Logger | undefined;
}

/** Defaults filled in; a bad value throws a ConfigError saying what was expected. */
export function resolveRasteriseOptions(options: RasteriseOptions = {}): ResolvedOptions {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!Number.isFinite(maxPixels) || maxPixels <= 0) {
    throw new ConfigError(`maxPixels must be a positive number, got ${String(options.maxPixels)}`);
  }
  const renderDpi = options.renderDpi ?? DEFAULT_RENDER_DPI;
  if (!Number.isFinite(renderDpi) || renderDpi < 36 || renderDpi > 1200) {
    throw new ConfigError(`renderDpi must be between 36 and 1200, got ${String(options.renderDpi)}`);
  }
  return { maxPixels, renderDpi, logger: options.logger };
}

/** The InputError for a raster over the limit, naming its size. */
export function tooLarge(what: string, width: number, height: number, maxPixels: number): InputError {
  const mp = (n: number): string => `${(n / 1e6).toFixed(1)} Mpx`;
  return new InputError(
    `${what} is ${width}x${height} px (${mp(width * height)}), over the limit of ${mp(maxPixels)}`,
    { stage: 'rasterise' },
  );
}
