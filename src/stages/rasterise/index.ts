/**
 * The rasterise stage: any supported input (PDF, TIFF, JPEG, PNG) opened as a PageSource whose
 * pages are 8-bit gray rasters, made one at a time on demand (the contract is types.ts).
 */
import { classifyError } from '../../errors.js';
import { openImageFile } from './image-file.js';
import { openPdf, type PdfOptions } from './pdf.js';
import { PartialFile } from './partial-file.js';
import { PDF_HEADER_WINDOW, sniffFormat } from './sniff.js';
import type { PageSource } from './types.js';

export { deriveDpi, snapDpi } from './dpi.js';
export { openImageFile, type ImageKind } from './image-file.js';
export { openPdf, type PdfOptions } from './pdf.js';
export { sniffFormat, type InputKind } from './sniff.js';
export { PartialFile, type ReadRange } from './partial-file.js';
export { repairCjkText } from './text-layer.js';
export * from './types.js';

/**
 * Opens `bytes` by what they are (magic bytes, never the file name). Unusable input (empty,
 * unknown format, corrupt, encrypted, too large) is an InputError with stage 'rasterise'; pages
 * fail the same way from `renderPage`. A file fetched in parts stays so when it is a PDF (its pages
 * fetch what they read, see pdf.ts); any other format is fetched whole first.
 */
export async function openPageSource(input: Uint8Array | PartialFile, options: PdfOptions = {}): Promise<PageSource> {
  try {
    const doc = input instanceof PartialFile ? await openPartial(input, options) : await openBytes(input, options);
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

function openBytes(bytes: Uint8Array, options: PdfOptions): Promise<PageSource> {
  const kind = sniffFormat(bytes);
  return kind === 'pdf' ? openPdf(bytes, options) : openImageFile(bytes, kind, options);
}

/** The leading bytes that tell the format: `%PDF-` may start anywhere in the header window. */
const SNIFF_BYTES = PDF_HEADER_WINDOW + 8;

/** Whether `file` is a PDF, from its first bytes. */
export async function isPartialPdf(file: PartialFile): Promise<boolean> {
  await file.ensure(0, SNIFF_BYTES);
  return file.length > 0 && sniffFormat(file.bytes.subarray(0, Math.min(file.length, SNIFF_BYTES))) === 'pdf';
}

async function openPartial(file: PartialFile, options: PdfOptions): Promise<PageSource> {
  if (await isPartialPdf(file)) return openPdf(file, options);
  await file.ensure(0, file.length);
  return openBytes(file.bytes, options);
}
