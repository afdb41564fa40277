/** Resolution of a raster from the physical size it is drawn at. */

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Resolutions scanners and renderers actually use; a derived value this close to one is snapped. */
export const COMMON_DPI: readonly number[] = [72, 96, 100, 150, 200, 240, 300, 400, 600];

/** Relative distance within which a derived dpi is snapped to a common value. */
const SNAP_TOLERANCE = 0.01;

/** Derived values outside this range mean a bogus page size, not a real scan. */
export const MIN_PLAUSIBLE_DPI = 10;
export const MAX_PLAUSIBLE_DPI = 4800;

export const DEFAULT_DPI = 300;

/** Snap to a common value when within 1 %, else round to a whole number. */
export function snapDpi(dpi: number): number {
  for (const common of COMMON_DPI) {
    if (Math.abs(dpi - common) <= common * SNAP_TOLERANCE) return common;
  }
  return Math.round(dpi);
}

/**
 * Dots per inch of `pixels` drawn over `pagePoints` (PDF points, 1/72 inch), e.g. 4133 px over
 * 992.1 pt = 300. The two axes are averaged (they differ only for anamorphic scans). Returns
 * `fallback` when the sizes are missing or give an absurd value.
 */
export function deriveDpi(pagePoints: Size, pixels: Size, fallback = DEFAULT_DPI): number {
  const estimates: number[] = [];
  if (pagePoints.width > 0 && pixels.width > 0) estimates.push(pixels.width / (pagePoints.width / 72));
  if (pagePoints.height > 0 && pixels.height > 0) estimates.push(pixels.height / (pagePoints.height / 72));
  if (estimates.length === 0) return fallback;
  const dpi = estimates.reduce((a, b) => a + b, 0) / estimates.length;
  if (!Number.isFinite(dpi) || dpi < MIN_PLAUSIBLE_DPI || dpi > MAX_PLAUSIBLE_DPI) return fallback;
  return snapDpi(dpi);
}

/** True when `dpi` (from file metadata) is usable as is. */
export function isPlausibleDpi(dpi: number | undefined): dpi is number {
  return dpi !== undefined && Number.isFinite(dpi) && dpi >= MIN_PLAUSIBLE_DPI && dpi <= MAX_PLAUSIBLE_DPI;
}
