/**
 * A worker's open inputs: the pages of one document usually come one after another, so the worker
 * opens a document once and keeps the last few open (by URI and sha256).
 *
 * A PDF in a store that serves ranges (src/storage getRange: the local folder, S3) is fetched in
 * parts: each page fetches the chunks of the objects it reads (src/stages/rasterise/partial-file.ts),
 * not the whole file. Such a worker cannot hash the whole file, so every range is read with the
 * job's etag (If-Match) and its size checked: a changed input is refused by the store (S3's 412; the
 * folder's size-mtime-inode etag, checked again after each read) before two versions can mix. Any
 * other input (an image, or no etag, or a store without ranges) is fetched whole and its sha256
 * checked. Bytes that are not the job's (the input changed since it was queued) are refused either
 * way, as an input that vanished.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputChangedError, InputVanishedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sha256Hex } from '../pipeline/document-json.js';
import { isPartialPdf, openPageSource, PartialFile, type PageSource } from '../stages/rasterise/index.js';
import { DEFAULT_CHUNK_BYTES } from '../stages/rasterise/partial-file.js';
import { createFsStorage } from '../storage/fs.js';
import { openStorage, type OpenStorageOptions } from '../storage/location.js';
import type { Storage } from '../storage/types.js';
import type { QueuedPageSource } from './job.js';

/** Where a source is read: its store and key there. */
interface Located {
  readonly storage: Storage;
  readonly key: string;
}

/** What an open input fetched so far: bytes, and requests to the store. */
export interface Fetched {
  readonly bytes: number;
  readonly requests: number;
  /** Fetched in parts (a PDF in a ranged store), not whole. */
  readonly inParts: boolean;
}

export interface OpenDocument {
  readonly document: PageSource;
  /** The caller is done with it (it stays open for the next page until pushed out). */
  release(): void;
  /** The caller is done with it and it failed: it is closed rather than kept (a fetch may have failed). */
  discard(): void;
  /**
   * What the input fetched since this was last asked, by any user of the document (so the first
   * page read from a document counts its opening too).
   */
  takeFetched(): Fetched;
}

interface Entry {
  readonly key: string;
  readonly opening: Promise<PageSource>;
  users: number;
  lastUsed: number;
  /** What the input fetched: in parts, or whole. */
  readonly fetch: { partial?: PartialFile; whole?: number; taken?: Fetched };
  discarded?: boolean;
}

export class DocumentSources {
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, Storage>();

  private readonly keep: number;
  private readonly chunkBytes: number;

  /** `keep`: documents kept open while unused (default 2); `chunkBytes`: see PartialFile. */
  constructor(
    private readonly storageOptions: OpenStorageOptions,
    private readonly logger: Logger,
    options: { readonly keep?: number; readonly chunkBytes?: number } = {},
  ) {
    this.keep = options.keep ?? 2;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  async open(source: QueuedPageSource): Promise<OpenDocument> {
    const key = `${source.sha256} ${source.uri}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const fetch: Entry['fetch'] = {};
      const created: Entry = { key, opening: this.openSource(source, fetch), users: 0, lastUsed: 0, fetch };
      this.entries.set(key, created);
      created.opening.catch(() => this.forget(created));
      entry = created;
    }
    entry.users++;
    const opened = entry;
    try {
      const document = await opened.opening;
      let released = false;
      const done = (discard: boolean): void => {
        if (released) return;
        released = true;
        opened.users--;
        opened.lastUsed = performance.now();
        if (discard) this.forget(opened);
        void this.trim(opened);
      };
      return { document, release: () => done(false), discard: () => done(true), takeFetched: () => takeFetched(opened.fetch) };
    } catch (err) {
      opened.users--;
      throw err;
    }
  }

  async close(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((e) => e.opening.then((d) => d.close()).catch(() => undefined)));
    await Promise.all([...this.buckets.values()].map((s) => s.dispose()));
    this.buckets.clear();
  }

  /** Takes `entry` out of the open documents: it is closed once nobody uses it. */
  private forget(entry: Entry): void {
    entry.discarded = true;
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
  }

  /**
   * Closes `released` when it was discarded and nobody uses it, and the least recently used
   * documents nobody uses beyond `keep`.
   */
  private async trim(released: Entry): Promise<void> {
    const idle = [...this.entries.values()].filter((e) => e.users === 0).sort((a, b) => b.lastUsed - a.lastUsed);
    const closing = idle.slice(this.keep);
    for (const entry of closing) this.forget(entry);
    if (released.discarded && released.users === 0 && !closing.includes(released)) closing.push(released);
    for (const entry of closing) {
      await entry.opening.then((d) => d.close()).catch(() => undefined);
    }
  }

  /** The input as a PageSource: a PDF in a ranged store in parts, anything else whole. */
  private async openSource(source: QueuedPageSource, fetch: Entry['fetch']): Promise<PageSource> {
    const located = this.locate(source.uri);
    const { storage, key } = located;
    if (storage.getRange && source.etag !== undefined && source.bytes > 0) {
      const partial = new PartialFile(source.bytes, (start, end) => this.readRange(located, source, start, end), this.chunkBytes);
      fetch.partial = partial;
      if (await isPartialPdf(partial)) return openPageSource(partial, { logger: this.logger });
      fetch.partial = undefined; // not a PDF: fetched whole below
    }
    const bytes = await storage.get(key);
    if (bytes === null) throw vanished(source.uri);
    fetch.whole = bytes.byteLength;
    const sha256 = sha256Hex(bytes);
    if (sha256 !== source.sha256) {
      // The bytes queued are gone as surely as a deleted input.
      throw new InputChangedError(`${source.uri} changed since its page was queued (sha256 ${sha256.slice(0, 12)}…, queued ${source.sha256.slice(0, 12)}…); the next run queues the new bytes`, { stage: 'open' });
    }
    return openPageSource(bytes, { logger: this.logger });
  }

  /** Bytes `start`..`end` of the job's version of the input (its etag and size), or a refusal. */
  private async readRange({ storage, key }: Located, source: QueuedPageSource, start: number, end: number): Promise<Uint8Array> {
    const got = await storage.getRange?.(key, { start, end }, { ...(source.etag !== undefined ? { ifMatch: source.etag } : {}) });
    if (!got) throw vanished(source.uri);
    if (got.size !== source.bytes || got.bytes.byteLength !== end - start) {
      throw new InputChangedError(`${source.uri} changed since its page was queued (${got.size} bytes, queued ${source.bytes})`, { stage: 'open' });
    }
    return got.bytes;
  }

  /** The store and key of a `file://` or `s3://` URI (a file is a key in its folder). */
  private locate(uri: string): Located {
    if (uri.startsWith('file://')) {
      const file = fileURLToPath(uri);
      return { storage: createFsStorage({ root: path.dirname(file), logger: this.logger }), key: path.basename(file) };
    }
    const rest = uri.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = rest.slice(0, slash);
    let storage = this.buckets.get(bucket);
    if (!storage) {
      storage = openStorage(`s3://${bucket}`, { ...this.storageOptions, logger: this.logger });
      this.buckets.set(bucket, storage);
    }
    return { storage, key: rest.slice(slash + 1) };
  }
}

function vanished(uri: string): InputVanishedError {
  return new InputVanishedError(`${uri} was deleted after its page was queued (or this worker does not share its folder)`, { stage: 'open' });
}

function takeFetched(fetch: Entry['fetch']): Fetched {
  const total = fetch.whole !== undefined ? { bytes: fetch.whole, requests: 1 } : (fetch.partial?.stats ?? { bytes: 0, requests: 0 });
  const taken = fetch.taken ?? { bytes: 0, requests: 0, inParts: false };
  fetch.taken = { ...total, inParts: fetch.partial !== undefined };
  return { bytes: total.bytes - taken.bytes, requests: total.requests - taken.requests, inParts: fetch.partial !== undefined };
}
