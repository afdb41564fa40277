/**
 * pdf.js (legacy build, in-process "worker", no network) loaded once, and documents opened with it
 * offline: its own assets from the installed package, no eval, no system fonts, images over the
 * pixel limit left undecoded.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import type * as PdfJs from 'pdfjs-dist/legacy/build/pdf.mjs';

import { InputError, keepTypedOr, errorMessage, type NewsprintError } from '../../errors.js';
import type { ResolvedOptions } from './options.js';
import { installPdfJsGlobals, keepNativeBuiltins } from './pdfjs-globals.js';

export type PdfJsModule = typeof PdfJs;
export type PDFDocumentProxy = PdfJs.PDFDocumentProxy;
export type PDFPageProxy = PdfJs.PDFPageProxy;

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

/** What pdf.js's failure to open or read a document means for the caller: the scan's fault. */
export function openError(err: unknown): NewsprintError {
  return keepTypedOr(err, (untyped) => {
    const name = (untyped as { name?: unknown } | null)?.name;
    if (name === 'PasswordException') {
      return new InputError('encrypted PDF (password required)', { stage: 'rasterise', cause: untyped });
    }
    return new InputError(`corrupt or truncated PDF: ${errorMessage(untyped)}`, { stage: 'rasterise', cause: untyped });
  });
}

/** pdf.js's document for `data` (which it takes over), offline, with images over the limit left out. */
export async function loadDocument(pdfjs: PdfJsModule, data: Uint8Array, resolved: ResolvedOptions): Promise<PDFDocumentProxy> {
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
