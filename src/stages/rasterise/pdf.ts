/**
 * A PDF as a PageSource: for each page, the cheapest way that gives the page's pixels as pdf.js
 * would, pdf.js (legacy build, in-process "worker", no network) staying the reader of record.
 *
 * A scanned page that is one image covering the page is taken out of the page as is, at its native
 * resolution: 1.5-2.6x faster than rendering and half the memory. When that image is a plain JPEG,
 * it is found through the file's objects and decoded natively, before pdf.js would decode it in
 * JavaScript (page-jpeg.ts): 6x faster again on an office scan. A born-digital page with a text
 * layer is sketched from its content stream when asked (page-vectors.ts, born-digital.ts). Any
 * other page (several images, drawings over the scan, a rotated or mirrored placement) is rendered
 * at `renderDpi`. The text layer, when there is one, comes along in the pixel coordinates of
 * whichever raster is returned. Each page records the path it took and why (its provenance).
 */
import { InputError } from '../../errors.js';
import { sketchBornDigital, textLayerOf, textLength, type TextContent } from './born-digital.js';
import { resolveRasteriseOptions, tooLarge, type ResolvedOptions } from './options.js';
import { decodePageJpeg, findPageJpeg } from './page-jpeg.js';
import { readPageVectors } from './page-vectors.js';
import { PdfObjects } from './pdf-objects.js';
import { PdfRef, isDeclined } from './pdf-syntax.js';
import { findPageImage, placePageImage, type Raster } from './place-image.js';
import { scanPageContent } from './pdfjs-content.js';
import { extractPageImage, findOversizedImages, type Dimensions } from './pdfjs-image.js';
import { loadDocument, loadPdfJs, openError, type PDFDocumentProxy, type PDFPageProxy } from './pdfjs-load.js';
import { PartialFile, readInParts } from './partial-file.js';
import { renderPage } from './render.js';
import { withoutType3Glyphs } from './type3-glyphs.js';
import type { PageRaster, PageRenderOptions, PageSource, RasteriseOptions, RasterProvenance } from './types.js';

export interface PdfOptions extends RasteriseOptions {
  /**
   * `auto` (default) takes a page's single full-page image as is and renders every other page;
   * `render` renders every page at `renderDpi`.
   */
  readonly pageMode?: 'auto' | 'render';
}

/**
 * A scanned page that is one plain JPEG, decoded natively without pdf.js's operator list (see
 * page-jpeg.ts); for any other page, why not.
 */
async function extractPageJpeg(page: PDFPageProxy, pageRef: PdfRef, objects: PdfObjects, options: ResolvedOptions, partial: PartialFile | undefined): Promise<Raster | string> {
  const jpeg = await readInParts(partial, () => findPageJpeg(objects, pageRef));
  if (isDeclined(jpeg)) return jpeg.declined;
  if (jpeg.width * jpeg.height > options.maxPixels) return 'the image is over the pixel limit';
  if (!findPageImage({ images: [jpeg], drawsOther: false }, page.view)) return 'the image does not cover the page upright';
  const gray = await decodePageJpeg(jpeg, options.maxPixels);
  if (!gray) return 'the JPEG data does not match its dictionary';
  return placePageImage(page, { width: jpeg.width, height: jpeg.height, data: gray }, jpeg.ctm, options);
}

/**
 * Opens a PDF. One pdf.js document stays loaded until `close()`; pages are rasterised on demand,
 * one at a time, and their decoded objects released after each `renderPage`. pdf.js gets a copy of
 * `bytes` (it takes ownership of what it is given); the original is read by this folder's own
 * object reader for the fast paths, and to explain a page that paints no image (see
 * findOversizedImages), and is never modified.
 *
 * A file fetched in parts (a PartialFile, see partial-file.ts) is read the same way, each reader
 * fetching the chunks it reads: a page costs its own objects, not the file. Two things need the
 * whole file and then fetch it: a page that paints no image (findOversizedImages scans every
 * object), and a file whose cross-reference data is broken (the repairing scan). Type 3 glyph
 * programs are not stripped from such a file (finding the fonts needs the whole file): its pages are
 * read from the file as given, which type3-glyphs.ts shows gives the same text, only slower.
 */
export async function openPdf(input: Uint8Array | PartialFile, options: PdfOptions = {}): Promise<PageSource> {
  const resolved = resolveRasteriseOptions(options);
  const pageMode = options.pageMode ?? 'auto';
  const pdfjs = await loadPdfJs();
  let oversized: Dimensions[] | undefined;
  const partial = input instanceof PartialFile ? input : undefined;
  const bytes = partial ? partial.bytes : (input as Uint8Array);
  const objects = new PdfObjects(bytes, partial && ((start, end) => partial.has(start, end)));
  // Pages are read from a copy without Type 3 glyph programs (their text is the same, see
  // type3-glyphs.ts); a page that must be drawn is drawn from the file as given, opened then.
  const glyphless = pageMode === 'auto' && !partial ? withoutType3Glyphs(bytes, objects) : undefined;
  const doc = await loadDocument(pdfjs, glyphless ?? partial ?? new Uint8Array(bytes), resolved);
  if (doc.numPages < 1) {
    await doc.destroy().catch(() => {});
    throw new InputError('PDF has no pages', { stage: 'rasterise' });
  }
  let fullDoc: Promise<PDFDocumentProxy> | undefined;
  const drawingDoc = (): Promise<PDFDocumentProxy> => {
    if (!glyphless) return Promise.resolve(doc);
    fullDoc ??= loadDocument(pdfjs, partial ?? new Uint8Array(bytes), resolved);
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

  async function rasterise(pageNumber: number, render: PageRenderOptions): Promise<PageRaster> {
    const page = await doc.getPage(pageNumber).catch((err: unknown) => {
      throw openError(err);
    });
    // The cross-reference data read now, in parts when fetched so: later reads only add objects.
    await readInParts(partial, () => objects.access);
    try {
      // Why this folder's reader left the page to pdf.js, for the page's provenance.
      const declined: string[] = [];
      const pageRef = page.ref && !objects.encrypted ? new PdfRef(page.ref.num, page.ref.gen) : undefined;
      if (!pageRef) declined.push(objects.encrypted ? 'the file is encrypted' : 'pdf.js gives no page object');
      const ownReading = (): RasterProvenance['objects'] => objects.access.objects;
      const byPdfJs = (): Omit<RasterProvenance, 'path'> => ({
        objects: 'fell-back-to-pdfjs',
        reason: [objects.access.reason && `xref: ${objects.access.reason}`, ...declined].filter(Boolean).join('; '),
      });
      const byOwnReader = (): Omit<RasterProvenance, 'path'> => ({
        objects: ownReading(),
        ...(objects.access.reason ? { reason: `xref: ${objects.access.reason}` } : {}),
      });

      if (pageMode === 'render') declined.push('render mode');
      else if (pageRef) {
        const jpeg = await extractPageJpeg(page, pageRef, objects, resolved, partial);
        // Nothing but the image is painted, so there is no text layer to read.
        if (typeof jpeg !== 'string') {
          const provenance: RasterProvenance = { path: 'jpeg-passthrough', ...byOwnReader() };
          return { pageNumber, image: jpeg.image, origin: jpeg.origin, dpiSource: jpeg.dpiSource, provenance };
        }
        declined.push(`jpeg: ${jpeg}`);
      }
      // The text content is fetched once per page (it costs a font load per page on big e-paper PDFs).
      let text: TextContent | undefined;
      const sketch = render.textLayerRender;
      if (sketch && pageRef) {
        // A born-digital page is sketched from its content stream, read here: pdf.js's operator
        // list would decode every image and pattern on the page first.
        const vectors = await readInParts(partial, () => readPageVectors(objects, pageRef));
        if (isDeclined(vectors)) declined.push(`vectors: ${vectors.declined}`);
        else if (findPageImage(vectors, page.view)) declined.push('vectors: the page is one image');
        else {
          text = await page.getTextContent();
          if (textLength(text) >= sketch.minChars) return sketchBornDigital(page, pageNumber, vectors, text, sketch.dpi, byOwnReader());
          declined.push(`vectors: under ${sketch.minChars} characters of text`);
        }
      }
      // The same operator list (same intent) is reused by page.render() below.
      const ops = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.ENABLE });
      const content = scanPageContent(ops, pdfjs.OPS);
      if (content.images.length === 0) await partial?.ensure(0, partial.length);
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
        return sketchBornDigital(page, pageNumber, content, text, sketch.dpi, byPdfJs());
      }
      raster ??= await drawPage(page, pageNumber);
      const textLayer = textLayerOf(text, raster.userToPixel);
      return {
        pageNumber,
        image: raster.image,
        origin: raster.origin,
        dpiSource: raster.dpiSource,
        provenance: { path: raster.origin, ...byPdfJs() },
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
    renderPage(pageNumber: number, render: PageRenderOptions = {}): Promise<PageRaster> {
      if (closed) return Promise.reject(new Error('renderPage called after close()'));
      if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > doc.numPages) {
        return Promise.reject(new RangeError(`page ${pageNumber} out of range 1..${doc.numPages}`));
      }
      // pdf.js never hears of a failed range fetch: the page fails with it rather than wait.
      const result = queue.then(() => (partial ? Promise.race([rasterise(pageNumber, render), partial.failed]) : rasterise(pageNumber, render)));
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
