import { readFileSync } from 'node:fs';

import sharp from 'sharp';

import type { GrayImage } from '../../src/image/gray-image.js';
import { resolveRasteriseOptions } from '../../src/stages/rasterise/options.js';
import { readPageVectors } from '../../src/stages/rasterise/page-vectors.js';
import { PdfObjects } from '../../src/stages/rasterise/pdf-objects.js';
import { PdfRef } from '../../src/stages/rasterise/pdf-syntax.js';
import { scanPageContent } from '../../src/stages/rasterise/pdfjs-content.js';
import { loadDocument, loadPdfJs } from '../../src/stages/rasterise/pdfjs-load.js';

/** A file under the repository root (samples/, tests/fixtures/), as a plain Uint8Array. */
export function repoFile(relative: string): Uint8Array {
  return Uint8Array.from(readFileSync(new URL(`../../${relative}`, import.meta.url)));
}

export function meanGray(image: Pick<GrayImage, 'data'>): number {
  let sum = 0;
  for (const v of image.data) sum += v;
  return sum / image.data.length;
}

/** Share of pixels darker than mid-gray. */
export function inkShare(image: Pick<GrayImage, 'data'>): number {
  let dark = 0;
  for (const v of image.data) if (v < 128) dark++;
  return dark / image.data.length;
}

/** Mean absolute difference of two same-sized rasters. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}

/** Gray pixels (0 = black) as an image file of the given format, with a resolution. */
export async function encodeGray(
  data: Uint8Array,
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'tiff-g4',
  dpi?: number,
): Promise<Uint8Array> {
  let img = sharp(data, { raw: { width, height, channels: 1 } });
  if (dpi !== undefined) img = img.withMetadata({ density: dpi });
  const out =
    format === 'jpeg'
      ? await img.jpeg({ quality: 90 }).toBuffer()
      : format === 'png'
        ? await img.png().toBuffer()
        : await img.tiff({ compression: 'ccittfax4', bitdepth: 1 }).toBuffer();
  return Uint8Array.from(out);
}

/** A threshold at 128: 0 or 255. */
export function threshold(data: Uint8Array): Uint8Array {
  return data.map((v) => (v >= 128 ? 255 : 0));
}

/** How many pixels differ (a cheap stand-in for toEqual on megapixel arrays, which is slow). */
export function differingPixels(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** True when every pixel is 0 or 255. */
export function isBitonal(data: Uint8Array): boolean {
  for (const v of data) if (v !== 0 && v !== 255) return false;
  return true;
}

interface Vectors {
  readonly paths: readonly { readonly bounds: readonly number[]; readonly gray: number | undefined; readonly stroked?: boolean }[];
  readonly images: readonly { readonly ctm: readonly number[] }[];
  readonly drawsOther: boolean;
}
const round = (values: readonly number[]): number[] => values.map((v) => Math.round(v * 1000) / 1000);
const comparable = (c: Vectors) => ({
  paths: c.paths.map((p) => ({ bounds: round(p.bounds), gray: p.gray, stroked: Boolean(p.stroked) })),
  images: c.images.map((i) => round(i.ctm)),
  drawsOther: c.drawsOther,
});

/**
 * Page 1's painted vectors read both ways, in one comparable shape: from its content stream by
 * readPageVectors (undefined when it declines), and from pdf.js's operator list by scanPageContent.
 */
export async function bothReadings(bytes: Uint8Array): Promise<{ pdfJs: ReturnType<typeof comparable>; ours: ReturnType<typeof comparable> | undefined }> {
  const pdfjs = await loadPdfJs();
  const doc = await loadDocument(pdfjs, new Uint8Array(bytes), resolveRasteriseOptions());
  try {
    const page = await doc.getPage(1);
    const ops = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.ENABLE });
    const ours = readPageVectors(new PdfObjects(bytes), new PdfRef(page.ref!.num, page.ref!.gen));
    return { pdfJs: comparable(scanPageContent(ops, pdfjs.OPS)), ours: 'declined' in ours ? undefined : comparable(ours) };
  } finally {
    await doc.destroy();
  }
}
