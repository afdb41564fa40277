/**
 * An input read in parts: a queue worker that reads one page of a PDF fetches only the byte ranges
 * that page needs (src/page-queue/sources.ts), not the whole file.
 *
 * `bytes` has the file's full length, so every offset stays what it is in the file; only the chunks
 * fetched so far hold data (the rest is zeros). pdf.js reads through its range transport
 * (pdfjs-load.ts) and this folder's own object reader through `has` (pdf-objects.ts): both share the
 * chunks, so none is fetched twice. The own reader is synchronous: where it would read bytes not
 * fetched yet it throws BytesMissing, and `readInParts` fetches them and reads again.
 */

/** Reads bytes `start` to `end` (exclusive) of the input: exactly that many, or throws. */
export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

/** pdf.js's own default chunk: big enough that a page is a handful of requests. */
export const DEFAULT_CHUNK_BYTES = 65_536;

/** The synchronous reader needs bytes `start`..`end` that are not fetched yet. */
export class BytesMissing extends Error {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    super(`bytes ${start}-${end} are not fetched yet`);
  }
}

export class PartialFile {
  /** Full length; the chunks not fetched are zeros. */
  readonly bytes: Uint8Array;
  private readonly fetched: Uint8Array;
  private readonly inFlight = new Map<number, Promise<void>>();
  private fetchedBytes = 0;
  private requestCount = 0;
  private failWith: (err: unknown) => void = () => undefined;
  /**
   * Rejects with the first fetch that failed. pdf.js never hears of a failed range and would wait
   * for it forever: what waits on pdf.js races this (pdfjs-load.ts, pdf.ts).
   */
  readonly failed: Promise<never> = new Promise<never>((_, reject) => {
    this.failWith = reject;
  });

  constructor(
    readonly length: number,
    private readonly readRange: ReadRange,
    readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    this.failed.catch(() => undefined); // handled by whoever races it
    this.bytes = new Uint8Array(length);
    this.fetched = new Uint8Array(Math.ceil(length / chunkBytes));
  }

  /** What was fetched so far: bytes and requests. */
  get stats(): { readonly bytes: number; readonly requests: number } {
    return { bytes: this.fetchedBytes, requests: this.requestCount };
  }

  /** Whether every byte of `start`..`end` is fetched. */
  has(start: number, end: number): boolean {
    const [first, last] = this.chunks(start, end);
    for (let c = first; c <= last; c++) if (this.fetched[c] === 0) return false;
    return true;
  }

  /** Fetches what `start`..`end` lacks, runs of missing chunks as one request each. */
  async ensure(start: number, end: number): Promise<void> {
    const [first, last] = this.chunks(start, end);
    const waits: Promise<void>[] = [];
    for (let c = first; c <= last; c++) {
      if (this.fetched[c] === 1) continue;
      const pending = this.inFlight.get(c);
      if (pending) {
        waits.push(pending);
        continue;
      }
      let runEnd = c;
      while (runEnd + 1 <= last && this.fetched[runEnd + 1] === 0 && !this.inFlight.has(runEnd + 1)) runEnd++;
      const fetching = this.fetch(c, runEnd);
      for (let k = c; k <= runEnd; k++) this.inFlight.set(k, fetching);
      waits.push(fetching);
      c = runEnd;
    }
    await Promise.all(waits);
  }

  /** The chunks (first and last index) that hold `start`..`end`, clipped to the file. */
  private chunks(start: number, end: number): [number, number] {
    const from = Math.max(0, Math.min(start, this.length));
    const to = Math.max(from, Math.min(end, this.length));
    if (to === from) return [1, 0];
    return [Math.floor(from / this.chunkBytes), Math.floor((to - 1) / this.chunkBytes)];
  }

  private async fetch(firstChunk: number, lastChunk: number): Promise<void> {
    const start = firstChunk * this.chunkBytes;
    const end = Math.min(this.length, (lastChunk + 1) * this.chunkBytes);
    try {
      this.requestCount++;
      const data = await this.readRange(start, end);
      if (data.byteLength !== end - start) throw new Error(`read ${data.byteLength} bytes for range ${start}-${end}`);
      this.bytes.set(data, start);
      this.fetchedBytes += data.byteLength;
      this.fetched.fill(1, firstChunk, lastChunk + 1);
    } catch (err) {
      this.failWith(err);
      throw err;
    } finally {
      for (let c = firstChunk; c <= lastChunk; c++) this.inFlight.delete(c);
    }
  }
}

/**
 * `read()` once every byte it reads is fetched: it runs, and each BytesMissing it throws fetches
 * those bytes first. Runs of a synchronous reader are cheap next to a fetch; after `maxRounds` the
 * whole file is fetched and it runs a last time. Without a partial file, just `read()`.
 */
export async function readInParts<T>(file: PartialFile | undefined, read: () => T, maxRounds = 64): Promise<T> {
  if (!file) return read();
  for (let round = 0; ; round++) {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof BytesMissing)) throw err;
      await (round < maxRounds ? file.ensure(err.start, err.end) : file.ensure(0, file.length));
    }
  }
}
