/**
 * The rasterise stage: any supported input (PDF, TIFF, JPEG, PNG) opened as a PageSource whose
 * pages are 8-bit gray rasters, made one at a time on demand (the contract is types.ts).
 */
import { classifyError } from '../../errors.js';
import { openImageFile } from './image-file.js';
import { openPdf, type PdfOptions } from './pdf.js';
import { sniffFormat } from './sniff.js';
import type { PageSource } from './types.js';

export { deriveDpi, snapDpi } from './dpi.js';
export { openImageFile, type ImageKind } from './image-file.js';
export { openPdf, type PdfOptions } from './pdf.js';
export { sniffFormat, type InputKind } from './sniff.js';
export { repairCjkText } from './text-layer.js';
export * from './types.js';

/**
 * Opens `bytes` by what they are (magic bytes, never the file name). Unusable input (empty,
 * unknown format, corrupt, encrypted, too large) is an InputError with stage 'rasterise'; pages
 * fail the same way from `renderPage`.
 */
export async function openPageSource(bytes: Uint8Array, options: PdfOptions = {}): Promise<PageSource> {
  try {
    const kind = sniffFormat(bytes);
    const doc = kind === 'pdf' ? await openPdf(bytes, options) : await openImageFile(bytes, kind, options);
    return {
      kind: doc.kind,
      pageCount: doc.pageCount,
      renderPage: (pageNumber, render) =>
        doc.renderPage(pageNumber, render).catch((err: unknown) => {
          throw classifyError(err, 'rasterise');
        }),
      close: () => doc.close(),
    };
  } catch (err) {
    throw classifyError(err, 'rasterise');
  }
}
