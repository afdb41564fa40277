/** The rasterise options with their defaults filled in and checked, and the refusal of an oversized raster. */
import { ConfigError, InputError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { DEFAULT_MAX_PIXELS, DEFAULT_RENDER_DPI, type RasteriseOptions } from './types.js';

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
