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
import { PartialFile } from './partial-file.js';
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

/**
 * What pdf.js reads of a file fetched in parts: only the chunks it needs, through a range transport
 * backed by the same chunks as this folder's own reader (partial-file.ts). pdf.js gets copies: it
 * may take over (transfer) what it is given.
 */
function rangeSource(pdfjs: PdfJsModule, file: PartialFile): Parameters<PdfJsModule['getDocument']>[0] & object {
  const transport = new pdfjs.PDFDataRangeTransport(file.length, null);
  transport.requestDataRange = (begin: number, end: number): void => {
    // pdf.js has no way to hear of a failed range: whoever waits on it races `file.failed`.
    file.ensure(begin, end).then(
      () => transport.onDataRange(begin, file.bytes.slice(begin, end)),
      () => undefined,
    );
  };
  return { range: transport, length: file.length, rangeChunkSize: file.chunkBytes, disableAutoFetch: true, disableStream: true };
}

/**
 * pdf.js's document for `input`, offline, with images over the limit left out: bytes (which it
 * takes over), or a file fetched in parts as it reads.
 */
export async function loadDocument(pdfjs: PdfJsModule, input: Uint8Array | PartialFile, resolved: ResolvedOptions): Promise<PDFDocumentProxy> {
  const task = pdfjs.getDocument({
    ...(input instanceof PartialFile ? rangeSource(pdfjs, input) : { data: input }),
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
    return await (input instanceof PartialFile ? Promise.race([task.promise, input.failed]) : task.promise);
  } catch (err) {
    // No task.destroy() here: in Node, pdf.js's in-process ("fake") worker is shared, and destroying a
    // failed loading task stalls every other open document (seen: a good page never renders).
    throw openError(err);
  }
}
