/**
 * Which pixels layout analysis looks at. A noisy scan is despeckled for finding structure only (the
 * recogniser reads the unfiltered pixels); a bilevel scan, rotated by deskewing, is smoothed the same
 * way, since its edges are all jaggies. A born-digital page is laid out from its text layer.
 */
import type { GrayImage } from '../../image/gray-image.js';
import { analysePage } from './analyse.js';
import { inkMask, speckRate } from './mask.js';
import { median3 } from './median3.js';
import { isBilevel } from './photos.js';
import type { LayoutInput } from './index.js';
import type { PageLayout } from './types.js';

/** Above this share of lone ink pixels a scan is noisy (clean scans: under 0.1 %; archive: about 1 %). */
const NOISY_SPECK_RATE = 0.004;

export function layoutPage(input: LayoutInput): PageLayout {
  if ('textLayer' in input) return analysePage(input.image, { textLayer: input.textLayer });
  return layoutScan(input.image, input.scanned);
}

function layoutScan(image: GrayImage, scanned: GrayImage): PageLayout {
  const bilevelSource = isBilevel(scanned);
  if (bilevelSource) return analysePage(median3(image), { bilevelSource });
  // The mask that measures the specks is the one layout analysis starts from on a clean page.
  const mask = inkMask(image);
  if (speckRate(mask) > NOISY_SPECK_RATE) return analysePage(median3(image), { bilevelSource });
  return analysePage(image, { bilevelSource, mask });
}
