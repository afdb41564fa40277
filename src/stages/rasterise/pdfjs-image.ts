/**
 * A page's one image as pdf.js decoded it, to gray; and the images pdf.js leaves out for being
 * over the pixel limit, found in the file so that the page fails saying so.
 */
import { InputError } from '../../errors.js';
import { rgbToGray, unpackBits } from './gray.js';
import { tooLarge, type ResolvedOptions } from './options.js';
import { placePageImage, type Raster } from './place-image.js';
import type { ImageOp, PdfImageObject } from './pdfjs-content.js';
import type { PDFPageProxy } from './pdfjs-load.js';

function waitForObject(page: PDFPageProxy, objId: string): Promise<unknown> {
  const store = objId.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => {
    store.get(objId, resolve);
  });
}

/** pdf.js image kinds (`ImageKind`). */
const GRAYSCALE_1BPP = 1;
const RGB_24BPP = 2;
const RGBA_32BPP = 3;

function imageObjectToGray(obj: PdfImageObject, op: ImageOp): Uint8Array | undefined {
  const { width, height, data } = obj;
  if (!data) return undefined;
  if (op.isMask) {
    // pdf.js normalises masks so that a 0 bit is painted (with the fill colour) and 1 is not.
    return unpackBits(data as Uint8Array, width, height, op.maskFill, 255);
  }
  switch (obj.kind) {
    case GRAYSCALE_1BPP:
      // pdf.js applies /Decode and BlackIs1 before handing over: 1 is white, 0 is black.
      return unpackBits(data as Uint8Array, width, height, 0, 255);
    case RGB_24BPP:
      return rgbToGray(data, width, height, 3);
    case RGBA_32BPP:
      return rgbToGray(data, width, height, 4);
    default:
      return undefined;
  }
}

export async function extractPageImage(
  page: PDFPageProxy,
  op: ImageOp,
  pageNumber: number,
  options: ResolvedOptions,
): Promise<Raster | undefined> {
  const obj = (op.objId === null ? op.inline : await waitForObject(page, op.objId)) as PdfImageObject | null;
  if (obj === null || obj === undefined) {
    throw new InputError(`page ${pageNumber}: the page image could not be decoded`, { stage: 'rasterise' });
  }
  if (obj.bitmap || !obj.data) return undefined; // an ImageBitmap: let the renderer draw it
  if (obj.width * obj.height > options.maxPixels) throw tooLarge(`page ${pageNumber} image`, obj.width, obj.height, options.maxPixels);
  const gray = imageObjectToGray(obj, op);
  return gray ? placePageImage(page, { width: obj.width, height: obj.height, data: gray }, op.ctm, options) : undefined;
}

export interface Dimensions {
  readonly width: number;
  readonly height: number;
}

/**
 * Image XObjects whose declared size is over `maxPixels`. Streams never sit in object streams,
 * and dictionaries are not encrypted, so the raw bytes show every image dictionary. Only run when
 * a page paints no image at all (pdf.js may have dropped one), so the common case pays nothing.
 */
export function findOversizedImages(bytes: Uint8Array, maxPixels: number): Dimensions[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a view, no copy
  const found: Dimensions[] = [];
  const WINDOW = 4096;
  for (let at = buf.indexOf('/Image', 0, 'latin1'); at >= 0; at = buf.indexOf('/Image', at + 6, 'latin1')) {
    // The dictionary around the match: from the object header before it to the stream after it.
    const around = buf.toString('latin1', Math.max(0, at - WINDOW), Math.min(buf.length, at + WINDOW));
    const mid = Math.min(at, WINDOW);
    if (!/\/Subtype\s*$/.test(around.slice(0, mid)) || /^\/Image[A-Za-z]/.test(around.slice(mid))) continue;
    const start = Math.max(0, around.lastIndexOf('obj', mid));
    const streamAt = around.indexOf('stream', mid);
    const dict = around.slice(start, streamAt < 0 ? around.length : streamAt);
    const w = /\/(?:Width|W)\s+(\d+)/.exec(dict);
    const h = /\/(?:Height|H)\s+(\d+)/.exec(dict);
    if (!w || !h) continue;
    const width = Number(w[1]);
    const height = Number(h[1]);
    if (width * height > maxPixels) found.push({ width, height });
  }
  return found;
}
