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
 * 8.0 s, 4.4 s with a whole-buffer TransformStream). pdf.js writes a stream's bytes in one go, closes
 * the writer and reads the output to the end, so this implementation gathers the input and inflates
 * it at once with zlib, in this thread. It is no web stream: on Node 20 merely constructing the three
 * web streams of a TransformStream cost more than inflating a glyph program (another 11 % of a
 * born-digital page), so it offers what pdf.js uses, `writable.getWriter()` (`ready`, `write`,
 * `close`) and an async-iterable `readable` with `getReader()`. No other package installed here
 * uses the global. Bad or truncated input fails the read, as Node's does, and pdf.js then falls
 * back to its own decoder; any other format throws TypeError, as Node's does.
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

interface WholeBufferWriter {
  readonly ready: Promise<void>;
  readonly closed: Promise<void>;
  write(chunk: ArrayBufferView | ArrayBuffer): Promise<void>;
  close(): Promise<void>;
}

interface WholeBufferReader {
  read(): Promise<{ done: false; value: Uint8Array } | { done: true; value: undefined }>;
}

class WholeBufferDecompressionStream {
  readonly writable: { getWriter(): WholeBufferWriter };
  readonly readable: AsyncIterable<Uint8Array> & { getReader(): WholeBufferReader };

  constructor(format: string) {
    const inflate = INFLATE[format];
    if (!inflate) throw new TypeError(`Unsupported compression format: '${format}'`);
    const chunks: Buffer[] = [];
    let closed = false;
    let settle: (output: Uint8Array | Error) => void = () => {};
    const output = new Promise<Uint8Array | Error>((resolve) => {
      settle = resolve;
    });
    const writer: WholeBufferWriter = {
      ready: Promise.resolve(),
      closed: output.then(() => undefined),
      write: (chunk) => {
        if (closed) return Promise.reject(new TypeError('write after close'));
        chunks.push(ArrayBuffer.isView(chunk) ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.from(chunk));
        return Promise.resolve();
      },
      close: () => {
        if (!closed) {
          closed = true;
          try {
            const out = inflate(Buffer.concat(chunks));
            settle(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
          } catch (err) {
            settle(err instanceof Error ? err : new Error(String(err)));
          }
        }
        return Promise.resolve();
      },
    };
    const getReader = (): WholeBufferReader => {
      let read = false;
      return {
        read: async () => {
          if (read) return { done: true, value: undefined };
          read = true;
          const result = await output;
          if (result instanceof Error) throw result;
          return { done: false, value: result };
        },
      };
    };
    this.writable = { getWriter: () => writer };
    this.readable = {
      getReader,
      async *[Symbol.asyncIterator]() {
        const reader = getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) yield r.value;
      },
    };
  }
}
