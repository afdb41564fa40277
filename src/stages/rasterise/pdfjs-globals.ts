/**
 * The globals pdf.js reads that Node lacks or provides in a form that hurts it. Installed once,
 * before pdf.js is loaded; pdf.js runs in this process (its "fake" worker), so it sees them.
 */
import zlib from 'node:zlib';

/**
 * The legacy build of pdf.js carries core-js, which replaces some built-ins of the whole process
 * with JavaScript versions when it finds a corner of the spec unmet: on Node 20, Array.prototype.push
 * (over a length near 2^53), JSON.parse and JSON.stringify (source-text access, raw JSON). Every
 * push in the layout code and every JSON document we read or write went through them (push alone
 * was 2 % of a born-digital run). Neither pdf.js nor this program needs those corners, so the
 * natives are put back once pdf.js is loaded. Built-ins Node 20 lacks (Map.prototype.getOrInsert,
 * Promise.try, ...) are left as core-js defined them: pdf.js uses them.
 * Returns the function that puts them back.
 */
export function keepNativeBuiltins(): () => void {
  const natives: Array<[object, PropertyKey, PropertyDescriptor | undefined]> = [
    [Array.prototype, 'push', Object.getOwnPropertyDescriptor(Array.prototype, 'push')],
    [JSON, 'parse', Object.getOwnPropertyDescriptor(JSON, 'parse')],
    [JSON, 'stringify', Object.getOwnPropertyDescriptor(JSON, 'stringify')],
  ];
  return () => {
    for (const [target, key, descriptor] of natives) if (descriptor) Object.defineProperty(target, key, descriptor);
  };
}

export function installPdfJsGlobals(): void {
  installOffscreenCanvasProbeStub();
  installWholeBufferDecompressionStream();
}

/**
 * pdf.js sizes JPEG 2000 decoding by probing `new OffscreenCanvas(w, h)`. Node has none, every
 * probe fails, the largest safe canvas is taken to be 2048 px, and a JPX scan comes out at 1/2 or
 * 1/4 of its size. This stub answers the probe only (every size is fine), so JPX is decoded at full
 * size. pdf.js is still told `isOffscreenCanvasSupported: false`, so it never draws on it; in pdf.js
 * 5.6 the probe (ImageResizer) is the only other reader of the global.
 */
function installOffscreenCanvasProbeStub(): void {
  const g = globalThis as Record<string, unknown>;
  if (g['OffscreenCanvas'] !== undefined) return;
  class ProbeOnlyOffscreenCanvas {
    constructor(
      public width: number,
      public height: number,
    ) {}
    getContext(): unknown {
      return {
        fillRect: () => {},
        getImageData: () => ({ data: new Uint8ClampedArray([0, 0, 0, 255]) }),
      };
    }
  }
  Object.defineProperty(globalThis, 'OffscreenCanvas', {
    value: ProbeOnlyOffscreenCanvas,
    configurable: true,
    writable: true,
    enumerable: false,
  });
}

/**
 * pdf.js inflates every Flate stream through `DecompressionStream`, and an e-paper PDF has
 * thousands of them (the glyph programs of its Type 3 fonts, parsed on every page that uses them).
 * Node's implementation sends each one through the zlib thread pool and a web-stream pipeline,
 * which made pdf.js spend half its time waiting on a born-digital page (measured: 10 pages in
 * 8.0 s, 4.4 s with this). pdf.js hands over a stream's bytes in one write and reads the output to
 * the end, so this implementation gathers the input and inflates it at once with zlib, in this
 * thread. It is a conforming TransformStream for the formats Node supports ('deflate',
 * 'deflate-raw', 'gzip'): bad or truncated input errors the stream, as Node's does, and pdf.js then
 * falls back to its own decoder as before. Any other format throws TypeError, as Node's does.
 */
function installWholeBufferDecompressionStream(): void {
  const g = globalThis as Record<string, unknown>;
  if (g['DecompressionStream'] === WholeBufferDecompressionStream) return;
  Object.defineProperty(globalThis, 'DecompressionStream', {
    value: WholeBufferDecompressionStream,
    configurable: true,
    writable: true,
    enumerable: false,
  });
}

const INFLATE: Readonly<Record<string, (input: Buffer) => Buffer>> = {
  deflate: (input) => zlib.inflateSync(input),
  'deflate-raw': (input) => zlib.inflateRawSync(input),
  gzip: (input) => zlib.gunzipSync(input),
};

class WholeBufferDecompressionStream extends TransformStream<ArrayBufferView | ArrayBuffer, Uint8Array> {
  constructor(format: string) {
    const inflate = INFLATE[format];
    if (!inflate) throw new TypeError(`Unsupported compression format: '${format}'`);
    const chunks: Buffer[] = [];
    super({
      transform(chunk) {
        chunks.push(ArrayBuffer.isView(chunk) ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.from(chunk));
      },
      flush(controller) {
        const out = inflate(Buffer.concat(chunks));
        controller.enqueue(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
      },
    });
  }
}
