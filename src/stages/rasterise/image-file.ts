/**
 * Image files (TIFF incl. CCITT G4 and multi-page, JPEG, PNG) to 8-bit gray through sharp.
 * Size is checked from the header before any pixel is decoded.
 */
import type { Metadata, Sharp, SharpOptions } from 'sharp';

import { InputError, keepTypedOr, errorMessage, type NewsprintError } from '../../errors.js';
import type { GrayImage } from '../../image/gray-image.js';
import { DEFAULT_DPI, isPlausibleDpi, snapDpi } from './dpi.js';
import type { InputKind } from './sniff.js';
import { resolveRasteriseOptions, tooLarge } from './options.js';
import type { DpiSource, PageRaster, PageSource, RasteriseOptions } from './types.js';

export type ImageKind = Exclude<InputKind, 'pdf'>;

/** A resolution that makes the page longer than this many inches is a placeholder (72 dpi), not a scan. */
const MAX_PAGE_INCHES = 30;

type SharpFactory = (input: Uint8Array, options?: SharpOptions) => Sharp;
let sharpModule: Promise<SharpFactory> | undefined;
function loadSharp(): Promise<SharpFactory> {
  sharpModule ??= import('sharp').then((m) => m.default);
  return sharpModule;
}

function corrupt(kind: ImageKind, err: unknown): NewsprintError {
  return keepTypedOr(
    err,
    (untyped) =>
      new InputError(`corrupt or truncated ${kind.toUpperCase()} image: ${errorMessage(untyped)}`, {
        stage: 'rasterise',
        cause: untyped,
      }),
  );
}

/** Width and height as displayed, after the EXIF/TIFF orientation is applied. */
function orientedSize(meta: Metadata): { width: number; height: number } {
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new Error('image header gives no size');
  return { width, height };
}

function resolutionOf(meta: Metadata, size: { width: number; height: number }): { dpi: number; source: DpiSource } {
  const density = meta.density;
  if (isPlausibleDpi(density) && Math.max(size.width, size.height) / density <= MAX_PAGE_INCHES) {
    return { dpi: snapDpi(density), source: 'metadata' };
  }
  return { dpi: DEFAULT_DPI, source: 'default' };
}

/**
 * Opens an image file. `kind` comes from {@link sniffFormat}. Every page of a multi-page TIFF is a
 * page of the document; JPEG and PNG have one.
 */
export async function openImageFile(
  bytes: Uint8Array,
  kind: ImageKind,
  options: RasteriseOptions = {},
): Promise<PageSource> {
  const { maxPixels, logger } = resolveRasteriseOptions(options);
  const sharp = await loadSharp();
  const limitInputPixels = Math.max(1, Math.floor(maxPixels));
  const open = (page: number): Sharp => sharp(bytes, { page, limitInputPixels, failOn: 'warning' });

  let first: Metadata;
  try {
    // Header only: no pixels are decoded here, so a huge image costs nothing yet.
    first = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw corrupt(kind, err);
  }
  const pageCount = kind === 'tiff' ? Math.max(1, first.pages ?? 1) : 1;
  let closed = false;

  async function renderPage(pageNumber: number): Promise<PageRaster> {
    if (closed) throw new Error('renderPage called after close()');
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > pageCount) {
      throw new RangeError(`page ${pageNumber} out of range 1..${pageCount}`);
    }
    try {
      const meta = pageNumber === 1 ? first : await sharp(bytes, { page: pageNumber - 1, limitInputPixels: false }).metadata();
      const size = orientedSize(meta);
      if (size.width * size.height > maxPixels) throw tooLarge(`page ${pageNumber}`, size.width, size.height, maxPixels);
      const { dpi, source } = resolutionOf(meta, size);
      if (source === 'default') {
        logger?.warn('image has no usable resolution; assuming the default', {
          page: pageNumber,
          density: meta.density,
          dpi,
        });
      }
      const { data, info } = await open(pageNumber - 1)
        .autoOrient()
        .flatten({ background: '#ffffff' })
        .toColourspace('b-w')
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 1) throw new Error(`expected 1 channel after conversion, got ${info.channels}`);
      const image: GrayImage = {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        dpi,
      };
      return { pageNumber, image, origin: 'image-file', dpiSource: source, provenance: { path: 'image-file' } };
    } catch (err) {
      throw corrupt(kind, err);
    }
  }

  return {
    kind,
    pageCount,
    renderPage,
    close: async () => {
      closed = true;
    },
  };
}
