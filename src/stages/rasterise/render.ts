/** A PDF page drawn by pdf.js onto a canvas (@napi-rs/canvas) at the render resolution, read back as gray. */
import { rgbToGray } from './gray.js';
import { tooLarge, type ResolvedOptions } from './options.js';
import type { Raster } from './place-image.js';
import type { PDFDocumentProxy, PDFPageProxy, PdfJsModule } from './pdfjs-load.js';
import type { Matrix } from './text-layer.js';

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

export async function renderPage(
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
