/**
 * PDF pages to 8-bit gray through pdf.js (legacy build, in-process "worker", no network).
 *
 * A scanned page that is one image covering the page is taken out of the page as is, at its native
 * resolution: 1.5-2.6x faster than rendering and half the memory. When that image is a plain JPEG,
 * it is found in the file's bytes and decoded natively, before pdf.js would decode it in JavaScript
 * (page-jpeg.ts): 6x faster again on an office scan. Any other page (born-digital,
 * several images, drawings over the scan, a rotated or mirrored placement) is rendered at
 * `renderDpi` through @napi-rs/canvas. The text layer, when there is one, comes along in the
 * pixel coordinates of whichever raster is returned.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import type * as PdfJs from 'pdfjs-dist/legacy/build/pdf.mjs';

import { InputError, NewsprintError, errorMessage } from '../../errors.js';
import type { GrayImage } from '../../image/gray-image.js';
import type { PageRenderOptions, TextLayerItem } from '../raster-types.js';
import { deriveDpi } from './dpi.js';
import { installPdfJsGlobals, keepNativeBuiltins } from './pdfjs-globals.js';
import { sketchPage, type SketchArea } from './sketch.js';
import { decodePageJpeg, findPageJpeg } from './page-jpeg.js';
import { PdfObjects, PdfRef } from './pdf-syntax.js';
import { readPageVectors } from './page-vectors.js';
import { withoutType3Glyphs } from './type3-glyphs.js';
import { lumaOf, rgbToGray, rotateGray, unpackBits, type QuarterTurns } from './gray.js';
import { IDENTITY, apply, compose, invert, toTextLayer, type Matrix, type PdfTextItem, type PdfTextStyle } from './text-layer.js';
import {
  resolveRasteriseOptions,
  tooLarge,
  type DpiSource,
  type RasteriseOptions,
  type RasterPage,
  type RasterisedDocument,
  type ResolvedOptions,
} from './types.js';

type PdfJsModule = typeof PdfJs;
type PDFDocumentProxy = PdfJs.PDFDocumentProxy;
type PDFPageProxy = PdfJs.PDFPageProxy;

export interface PdfOptions extends RasteriseOptions {
  /**
   * `auto` (default) takes a page's single full-page image as is and renders every other page;
   * `render` renders every page at `renderDpi`.
   */
  readonly pageMode?: 'auto' | 'render';
}

/** Share of the page (and of the image) the one image must cover to be taken as the page. */
const MIN_COVERAGE = 0.9;

// ---------------------------------------------------------------------------------------------
// Loading pdf.js

let pdfjsModule: Promise<PdfJsModule> | undefined;
export function loadPdfJs(): Promise<PdfJsModule> {
  pdfjsModule ??= (async () => {
    installPdfJsGlobals();
    // The worker module too, now: pdf.js would import it on the first document (it looks for
    // globalThis.pdfjsWorker first), and both bring core-js, which keepNativeBuiltins then undoes.
    const restore = keepNativeBuiltins();
    try {
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const workerModule = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
      await import(workerModule);
      return pdfjs;
    } finally {
      restore();
    }
  })();
  return pdfjsModule;
}

interface PdfJsAssets {
  readonly cMapUrl: string;
  readonly standardFontDataUrl: string;
  readonly wasmUrl: string;
  readonly iccUrl: string;
}
let assets: PdfJsAssets | undefined;
/** Folders inside the installed pdfjs-dist (pdf.js reads them with fs; it wants the trailing slash). */
function pdfJsAssets(): PdfJsAssets {
  if (!assets) {
    const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    const dir = (name: string): string => path.join(root, name) + path.sep;
    assets = {
      cMapUrl: dir('cmaps'),
      standardFontDataUrl: dir('standard_fonts'),
      wasmUrl: dir('wasm'),
      iccUrl: dir('iccs'),
    };
  }
  return assets;
}

// ---------------------------------------------------------------------------------------------
// Finding the one image of a scanned page

interface ImageOp {
  /** Object id in page.objs / commonObjs, or null for an inline image handed over in `inline`. */
  readonly objId: string | null;
  readonly inline: PdfImageObject | null;
  readonly isMask: boolean;
  /** Gray level a mask paints with (0 = black). */
  readonly maskFill: number;
  /** Maps the image's unit square to user space. */
  readonly ctm: Matrix;
}

interface PageContent {
  readonly images: readonly ImageOp[];
  readonly paths: readonly SketchArea[];
  /** Anything painted besides images: visible text, paths, shadings, groups, unknown operators. */
  readonly drawsOther: boolean;
}

/** What pdf.js hands over for a decoded image. */
interface PdfImageObject {
  readonly width: number;
  readonly height: number;
  readonly kind?: number;
  readonly data?: Uint8Array | Uint8ClampedArray | null;
  readonly bitmap?: unknown;
}

/** `#rrggbb` to gray; undefined for anything else. */
function cssColorToGray(color: unknown): number | undefined {
  if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return undefined;
  const v = Number.parseInt(color.slice(1), 16);
  return lumaOf((v >> 16) & 255, (v >> 8) & 255, v & 255);
}

/** Walks the operator list keeping the graphics state needed to place images. */
export function scanPageContent(ops: { fnArray: number[]; argsArray: unknown[] }, OPS: PdfJsModule['OPS']): PageContent {
  const neutral = new Set<number>([
    OPS.dependency, OPS.setLineWidth, OPS.setLineCap, OPS.setLineJoin, OPS.setMiterLimit, OPS.setDash,
    OPS.setRenderingIntent, OPS.setFlatness, OPS.setGState, OPS.clip, OPS.eoClip, OPS.beginText,
    OPS.endText, OPS.setCharSpacing, OPS.setWordSpacing, OPS.setHScale, OPS.setLeading, OPS.setFont,
    OPS.setTextRise, OPS.moveText, OPS.setLeadingMoveText, OPS.setTextMatrix, OPS.nextLine,
    OPS.setCharWidth, OPS.setCharWidthAndBounds, OPS.setStrokeColorSpace, OPS.setFillColorSpace,
    OPS.setStrokeColor, OPS.setStrokeColorN, OPS.setFillColor, OPS.setStrokeGray, OPS.setFillGray,
    OPS.setStrokeCMYKColor, OPS.setFillCMYKColor, OPS.markPoint,
    OPS.markPointProps, OPS.beginMarkedContent, OPS.beginMarkedContentProps, OPS.endMarkedContent,
    OPS.beginCompat, OPS.endCompat, OPS.beginAnnotation, OPS.endAnnotation, OPS.setStrokeTransparent,
  ]);
  const showsText = new Set<number>([
    OPS.showText, OPS.showSpacedText, OPS.nextLineShowText, OPS.nextLineSetSpacingShowText,
  ]);

  interface State {
    ctm: Matrix;
    textMode: number;
    fill: number | undefined;
    stroke: number | undefined;
  }
  let state: State = { ctm: IDENTITY, textMode: 0, fill: 0, stroke: 0 };
  const stack: State[] = [];
  const images: ImageOp[] = [];
  const paths: SketchArea[] = [];
  const strokeOps = new Set<number>([OPS.stroke, OPS.closeStroke]);
  let drawsOther = false;

  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i] as number;
    const args = ops.argsArray[i] as unknown[] | null;
    if (neutral.has(fn)) continue;
    switch (fn) {
      case OPS.save:
        stack.push({ ...state });
        break;
      case OPS.restore:
        state = stack.pop() ?? state;
        break;
      case OPS.transform:
        state.ctm = compose(state.ctm, args as unknown as Matrix);
        break;
      case OPS.paintFormXObjectBegin: {
        stack.push({ ...state });
        // pdf.js hands the form's /Matrix over as a typed array (or null for none).
        const matrix = args?.[0] as ArrayLike<number> | null | undefined;
        if (matrix && matrix.length === 6) state.ctm = compose(state.ctm, Array.from(matrix) as unknown as Matrix);
        break;
      }
      case OPS.paintFormXObjectEnd:
        state = stack.pop() ?? state;
        break;
      case OPS.setTextRenderingMode:
        state.textMode = Number(args?.[0] ?? 0);
        break;
      case OPS.setFillRGBColor:
        state.fill = cssColorToGray(args?.[0]);
        break;
      case OPS.setStrokeRGBColor:
        state.stroke = cssColorToGray(args?.[0]);
        break;
      case OPS.setFillColorN:
      case OPS.setFillTransparent:
        state.fill = undefined; // a pattern or no colour: a mask painted with it is not plain ink
        break;
      case OPS.constructPath: {
        // Only a path that merely sets a clip (ends with endPath) paints nothing.
        if (args?.[0] === OPS.endPath) break;
        drawsOther = true;
        const minMax = args?.[2] as ArrayLike<number> | undefined;
        if (minMax && minMax.length >= 4) {
          const corners = [apply(state.ctm, minMax[0]!, minMax[1]!), apply(state.ctm, minMax[2]!, minMax[3]!)];
          const bounds = [
            Math.min(corners[0]![0], corners[1]![0]),
            Math.min(corners[0]![1], corners[1]![1]),
            Math.max(corners[0]![0], corners[1]![0]),
            Math.max(corners[0]![1], corners[1]![1]),
          ] as const;
          const stroked = strokeOps.has(Number(args?.[0]));
          paths.push({ bounds, gray: stroked ? state.stroke : state.fill, stroked });
        }
        break;
      }
      case OPS.paintImageXObject:
        images.push({ objId: String(args?.[0]), inline: null, isMask: false, maskFill: 0, ctm: state.ctm });
        break;
      case OPS.paintInlineImageXObject:
        images.push({ objId: null, inline: args?.[0] as PdfImageObject, isMask: false, maskFill: 0, ctm: state.ctm });
        break;
      case OPS.paintImageMaskXObject: {
        const mask = args?.[0] as { data?: unknown } | undefined;
        if (state.fill === undefined) drawsOther = true;
        images.push({
          objId: typeof mask?.data === 'string' ? mask.data : null,
          inline: typeof mask?.data === 'string' ? null : (mask as PdfImageObject),
          isMask: true,
          maskFill: state.fill ?? 0,
          ctm: state.ctm,
        });
        break;
      }
      default:
        if (showsText.has(fn)) {
          // Modes 3 and 7 are invisible text: the OCR layer laid over a scan.
          if (state.textMode !== 3 && state.textMode !== 7) drawsOther = true;
        } else {
          drawsOther = true; // shadings, image groups and repeats, transparency groups, unknown ops
        }
    }
  }
  return { images, paths, drawsOther };
}

/** Axis-aligned bounds of the unit square under `m`. */
function unitSquareBounds(m: Matrix): [number, number, number, number] {
  const pts = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * The page's one image when it is the whole page: upright (no rotation, no mirroring in the
 * placement) and overlapping the page box by at least 90 % of both areas.
 */
export function findPageImage<Image extends { readonly ctm: Matrix }>(
  content: { readonly images: readonly Image[]; readonly drawsOther: boolean },
  view: readonly number[],
): Image | undefined {
  if (content.drawsOther || content.images.length !== 1) return undefined;
  const image = content.images[0] as Image;
  const [a, b, c, d] = image.ctm;
  const tilt = Math.max(Math.abs(b), Math.abs(c));
  if (!(a > 0 && d > 0) || tilt > 1e-3 * Math.max(a, d)) return undefined;
  const [vx0, vy0, vx1, vy1] = view as [number, number, number, number];
  const [ix0, iy0, ix1, iy1] = unitSquareBounds(image.ctm);
  const overlap = Math.max(0, Math.min(vx1, ix1) - Math.max(vx0, ix0)) * Math.max(0, Math.min(vy1, iy1) - Math.max(vy0, iy0));
  const pageArea = (vx1 - vx0) * (vy1 - vy0);
  const imageArea = (ix1 - ix0) * (iy1 - iy0);
  if (pageArea <= 0 || imageArea <= 0) return undefined;
  return overlap >= MIN_COVERAGE * pageArea && overlap >= MIN_COVERAGE * imageArea ? image : undefined;
}

// ---------------------------------------------------------------------------------------------
// Oversized images: pdf.js drops them unseen (maxImageSize), so they are found in the file itself

interface Dimensions {
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

// ---------------------------------------------------------------------------------------------
// Rasters

interface Raster {
  readonly image: GrayImage;
  readonly origin: 'embedded-image' | 'rendered';
  readonly dpiSource: DpiSource;
  /** PDF user space to the pixels of `image`, for the text layer. */
  readonly userToPixel: Matrix;
}

function normaliseRotation(rotate: number): QuarterTurns {
  const r = (((Math.round(rotate / 90) * 90) % 360) + 360) % 360;
  return r as QuarterTurns;
}

/** Clockwise page rotation as a pixel map for a `width` x `height` raster before rotation. */
function rotationMatrix(rotate: QuarterTurns, width: number, height: number): Matrix {
  switch (rotate) {
    case 90:
      return [0, 1, -1, 0, height, 0];
    case 180:
      return [-1, 0, 0, -1, width, height];
    case 270:
      return [0, -1, 1, 0, 0, width];
    default:
      return IDENTITY;
  }
}

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

async function extractPageImage(
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

/**
 * A scanned page that is one plain JPEG, decoded natively without pdf.js's operator list (see
 * page-jpeg.ts); undefined for any other page.
 */
async function extractPageJpeg(page: PDFPageProxy, pageRef: PdfRef, objects: PdfObjects, options: ResolvedOptions): Promise<Raster | undefined> {
  const jpeg = findPageJpeg(objects, pageRef);
  if (!jpeg || jpeg.width * jpeg.height > options.maxPixels) return undefined;
  if (!findPageImage({ images: [jpeg], drawsOther: false }, page.view)) return undefined;
  const gray = await decodePageJpeg(jpeg, options.maxPixels);
  return gray ? placePageImage(page, { width: jpeg.width, height: jpeg.height, data: gray }, jpeg.ctm, options) : undefined;
}

/** The page's one image, decoded to gray, as the page raster: at its own resolution, turned by /Rotate. */
function placePageImage(
  page: PDFPageProxy,
  gray: { readonly width: number; readonly height: number; readonly data: Uint8Array },
  ctm: Matrix,
  options: ResolvedOptions,
): Raster {
  const unit = page.userUnit || 1;
  const placed = { width: Math.hypot(ctm[0], ctm[1]) * unit, height: Math.hypot(ctm[2], ctm[3]) * unit };
  const derived = deriveDpi(placed, gray, Number.NaN);
  const dpi = Number.isNaN(derived) ? options.renderDpi : derived;
  const rotate = normaliseRotation(page.rotate);
  const rotated = rotateGray(gray.data, gray.width, gray.height, rotate);
  // User space -> image unit square -> pixels (row 0 at the top) -> the page's /Rotate.
  const unitToPixel: Matrix = [gray.width, 0, 0, -gray.height, 0, gray.height];
  const userToPixel = compose(rotationMatrix(rotate, gray.width, gray.height), compose(unitToPixel, invert(ctm)));
  return {
    image: { width: rotated.width, height: rotated.height, data: rotated.data, dpi },
    origin: 'embedded-image',
    dpiSource: Number.isNaN(derived) ? 'default' : 'page-size',
    userToPixel,
  };
}

interface CanvasAndContext {
  canvas: unknown;
  context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(entry: CanvasAndContext): void;
}

/** Rows read back from the canvas at a time: keeps the RGBA copy small. */
const STRIP_ROWS = 256;

async function renderPage(
  pdfjs: PdfJsModule,
  doc: PDFDocumentProxy,
  page: PDFPageProxy,
  pageNumber: number,
  options: ResolvedOptions,
): Promise<Raster> {
  const dpi = options.renderDpi;
  const viewport = page.getViewport({ scale: dpi / 72 });
  const width = Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));
  if (width * height > options.maxPixels) {
    throw tooLarge(`page ${pageNumber} at ${dpi} dpi`, width, height, options.maxPixels);
  }
  const factory = doc.canvasFactory as CanvasFactory;
  const entry = factory.create(width, height);
  try {
    const context = entry.context;
    if (!context) throw new Error('canvas has no 2d context');
    await page.render({
      canvas: entry.canvas as never,
      canvasContext: context as never,
      viewport,
      background: '#ffffff',
      annotationMode: pdfjs.AnnotationMode.ENABLE,
    }).promise;
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y += STRIP_ROWS) {
      const rows = Math.min(STRIP_ROWS, height - y);
      const rgba = context.getImageData(0, y, width, rows).data;
      data.set(rgbToGray(rgba, width, rows, 4), y * width);
    }
    return {
      image: { width, height, data, dpi },
      origin: 'rendered',
      dpiSource: 'render',
      userToPixel: viewport.transform as unknown as Matrix,
    };
  } finally {
    factory.destroy(entry);
  }
}

/** What a sketch is drawn from: painted paths and where images are placed. */
interface SketchContent {
  readonly paths: readonly SketchArea[];
  readonly images: ReadonlyArray<{ readonly ctm: Matrix }>;
}

/** A born-digital page as a vector sketch at `dpi` with its text layer (see sketch.ts). */
function sketchBornDigital(page: PDFPageProxy, pageNumber: number, content: SketchContent, text: TextContent, dpi: number): RasterPage {
  const viewport = page.getViewport({ scale: dpi / 72 });
  const width = Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));
  const userToPixel = viewport.transform as unknown as Matrix;
  const textLayer = textLayerOf(text, userToPixel);
  const pictures = content.images.map((img) => ({ bounds: unitSquareBounds(img.ctm), gray: undefined }));
  const image = sketchPage([...content.paths, ...pictures], textLayer, userToPixel, width, height, dpi);
  return { pageNumber, image, origin: 'vector-sketch', dpiSource: 'render', textLayer };
}

/** Characters of visible text on the page (whitespace not counted). */
type TextContent = Awaited<ReturnType<PDFPageProxy['getTextContent']>>;

function textLength(content: TextContent): number {
  let n = 0;
  for (const item of content.items) if ('str' in item) n += item.str.replace(/\s+/gu, '').length;
  return n;
}

function textLayerOf(content: TextContent, userToPixel: Matrix): TextLayerItem[] {
  // Marked-content entries have no `str`; they are not asked for, but skip them all the same.
  const items = content.items.filter((item) => 'str' in item) as unknown as PdfTextItem[];
  return toTextLayer(items, content.styles as Record<string, PdfTextStyle>, userToPixel);
}

// ---------------------------------------------------------------------------------------------
// Opening

function openError(err: unknown): InputError {
  if (err instanceof NewsprintError) return err as InputError;
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'PasswordException') {
    return new InputError('encrypted PDF (password required)', { stage: 'rasterise', cause: err });
  }
  return new InputError(`corrupt or truncated PDF: ${errorMessage(err)}`, { stage: 'rasterise', cause: err });
}

/** pdf.js's document for `data` (which it takes over), offline, with images over the limit left out. */
async function loadDocument(pdfjs: PdfJsModule, data: Uint8Array, resolved: ResolvedOptions): Promise<PDFDocumentProxy> {
  const task = pdfjs.getDocument({
    data,
    ...pdfJsAssets(),
    cMapPacked: true,
    isEvalSupported: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    useWorkerFetch: false,
    enableXfa: false,
    // Images over the limit are never decoded: pdf.js leaves them out (see findOversizedImages).
    maxImageSize: Math.floor(resolved.maxPixels),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    return await task.promise;
  } catch (err) {
    // No task.destroy() here: in Node, pdf.js's in-process ("fake") worker is shared, and destroying a
    // failed loading task stalls every other open document (seen: a good page never renders).
    throw openError(err);
  }
}

/**
 * Opens a PDF. One pdf.js document stays loaded until `close()`; pages are rasterised on demand,
 * one at a time, and their decoded objects released after each `renderPage`. pdf.js gets a copy of
 * `bytes` (it takes ownership of what it is given); the original is only read again to explain a
 * page that paints no image (see findOversizedImages), and is never modified.
 */
export async function openPdf(bytes: Uint8Array, options: PdfOptions = {}): Promise<RasterisedDocument> {
  const resolved = resolveRasteriseOptions(options);
  const pageMode = options.pageMode ?? 'auto';
  const pdfjs = await loadPdfJs();
  let oversized: Dimensions[] | undefined;
  const objects = new PdfObjects(bytes);
  // Pages are read from a copy without Type 3 glyph programs (their text is the same, see
  // type3-glyphs.ts); a page that must be drawn is drawn from the file as given, opened then.
  const glyphless = pageMode === 'auto' ? withoutType3Glyphs(bytes, objects) : undefined;
  const doc = await loadDocument(pdfjs, glyphless ?? new Uint8Array(bytes), resolved);
  if (doc.numPages < 1) {
    await doc.destroy().catch(() => {});
    throw new InputError('PDF has no pages', { stage: 'rasterise' });
  }
  let fullDoc: Promise<PDFDocumentProxy> | undefined;
  const drawingDoc = (): Promise<PDFDocumentProxy> => {
    if (!glyphless) return Promise.resolve(doc);
    fullDoc ??= loadDocument(pdfjs, new Uint8Array(bytes), resolved);
    return fullDoc;
  };

  /** The page drawn whole, from the document with its glyphs. */
  async function drawPage(page: PDFPageProxy, pageNumber: number): Promise<Raster> {
    const drawing = await drawingDoc();
    if (drawing === doc) return renderPage(pdfjs, doc, page, pageNumber, resolved);
    const full = await drawing.getPage(pageNumber);
    try {
      return await renderPage(pdfjs, drawing, full, pageNumber, resolved);
    } finally {
      full.cleanup();
    }
  }

  let closed = false;
  // pdf.js is not made for concurrent use of one document: pages are rasterised one at a time.
  let queue: Promise<unknown> = Promise.resolve();

  async function rasterise(pageNumber: number, render: PageRenderOptions): Promise<RasterPage> {
    const page = await doc.getPage(pageNumber).catch((err: unknown) => {
      throw openError(err);
    });
    try {
      const pageRef = page.ref ? new PdfRef(page.ref.num, page.ref.gen) : undefined;
      if (pageMode === 'auto' && pageRef) {
        const jpeg = await extractPageJpeg(page, pageRef, objects, resolved);
        // Nothing but the image is painted, so there is no text layer to read.
        if (jpeg) return { pageNumber, image: jpeg.image, origin: jpeg.origin, dpiSource: jpeg.dpiSource };
      }
      // The text content is fetched once per page (it costs a font load per page on big e-paper PDFs).
      let text: TextContent | undefined;
      const sketch = render.textLayerRender;
      if (sketch && pageRef) {
        // A born-digital page is sketched from its content stream, read here: pdf.js's operator
        // list would decode every image and pattern on the page first.
        const vectors = readPageVectors(objects, pageRef);
        if (vectors && !findPageImage(vectors, page.view)) {
          text = await page.getTextContent();
          if (textLength(text) >= sketch.minChars) return sketchBornDigital(page, pageNumber, vectors, text, sketch.dpi);
        }
      }
      // The same operator list (same intent) is reused by page.render() below.
      const ops = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.ENABLE });
      const content = scanPageContent(ops, pdfjs.OPS);
      oversized ??= content.images.length === 0 ? findOversizedImages(bytes, resolved.maxPixels) : undefined;
      const first = content.images.length === 0 ? oversized?.[0] : undefined;
      if (first) {
        throw tooLarge(`page ${pageNumber}: an embedded image`, first.width, first.height, resolved.maxPixels);
      }
      let raster: Raster | undefined;
      if (pageMode === 'auto') {
        const image = findPageImage(content, page.view);
        if (image) raster = await extractPageImage(page, image, pageNumber, resolved);
        if (!raster) {
          resolved.logger?.debug('page is not one full-page image; rendering', {
            page: pageNumber,
            images: content.images.length,
            drawsOther: content.drawsOther,
          });
        }
      }
      text ??= await page.getTextContent();
      if (!raster && sketch && textLength(text) >= sketch.minChars) {
        return sketchBornDigital(page, pageNumber, content, text, sketch.dpi);
      }
      raster ??= await drawPage(page, pageNumber);
      const textLayer = textLayerOf(text, raster.userToPixel);
      return {
        pageNumber,
        image: raster.image,
        origin: raster.origin,
        dpiSource: raster.dpiSource,
        ...(textLayer.length > 0 ? { textLayer } : {}),
      };
    } catch (err) {
      throw openError(err);
    } finally {
      page.cleanup();
    }
  }

  return {
    kind: 'pdf',
    pageCount: doc.numPages,
    renderPage(pageNumber: number, render: PageRenderOptions = {}): Promise<RasterPage> {
      if (closed) return Promise.reject(new Error('renderPage called after close()'));
      if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > doc.numPages) {
        return Promise.reject(new RangeError(`page ${pageNumber} out of range 1..${doc.numPages}`));
      }
      const result = queue.then(() => rasterise(pageNumber, render));
      queue = result.catch(() => {});
      return result;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue;
      const full = fullDoc && (await fullDoc.catch(() => undefined));
      await Promise.all([doc.destroy(), full?.destroy()]);
    },
  };
}
