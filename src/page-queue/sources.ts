/**
 * A worker's open inputs: the pages of one document usually come one after another, so the worker
 * reads and opens a document once and keeps the last few open (by URI and sha256) instead of
 * fetching the whole input for every page. Bytes that are not the job's (the input changed since it
 * was queued) are refused.
 */
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputVanishedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sha256Hex } from '../pipeline/document-json.js';
import { openPageSource, type PageSource } from '../stages/rasterise/index.js';
import { openStorage, type OpenStorageOptions } from '../storage/location.js';
import type { Storage } from '../storage/types.js';
import type { QueuedPageSource } from './job.js';

export interface OpenDocument {
  readonly document: PageSource;
  /** The caller is done with it (it stays open for the next page until pushed out). */
  release(): void;
}

interface Entry {
  readonly key: string;
  readonly opening: Promise<PageSource>;
  users: number;
  lastUsed: number;
}

export class DocumentSources {
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, Storage>();

  /** `keep`: documents kept open while unused. */
  constructor(
    private readonly storageOptions: OpenStorageOptions,
    private readonly logger: Logger,
    private readonly keep = 2,
  ) {}

  async open(source: QueuedPageSource): Promise<OpenDocument> {
    const key = `${source.sha256} ${source.uri}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, opening: this.read(source).then((bytes) => openPageSource(bytes, { logger: this.logger })), users: 0, lastUsed: 0 };
      this.entries.set(key, entry);
      entry.opening.catch(() => this.entries.delete(key));
    }
    entry.users++;
    const opened = entry;
    try {
      const document = await opened.opening;
      let released = false;
      return {
        document,
        release: () => {
          if (released) return;
          released = true;
          opened.users--;
          opened.lastUsed = performance.now();
          void this.trim();
        },
      };
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

  /** Closes the least recently used documents nobody uses beyond `keep`. */
  private async trim(): Promise<void> {
    const idle = [...this.entries.values()].filter((e) => e.users === 0).sort((a, b) => b.lastUsed - a.lastUsed);
    for (const entry of idle.slice(this.keep)) {
      this.entries.delete(entry.key);
      await entry.opening.then((d) => d.close()).catch(() => undefined);
    }
  }

  private async read(source: QueuedPageSource): Promise<Uint8Array> {
    const bytes = source.uri.startsWith('file://') ? await readFile(source.uri) : await this.readS3(source.uri);
    const sha256 = sha256Hex(bytes);
    if (sha256 !== source.sha256) {
      // The bytes queued are gone as surely as a deleted input.
      throw new InputVanishedError(`${source.uri} changed since its page was queued (sha256 ${sha256.slice(0, 12)}…, queued ${source.sha256.slice(0, 12)}…); the next run queues the new bytes`, { stage: 'open' });
    }
    return bytes;
  }

  private async readS3(uri: string): Promise<Uint8Array> {
    const rest = uri.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = rest.slice(0, slash);
    let storage = this.buckets.get(bucket);
    if (!storage) {
      storage = openStorage(`s3://${bucket}`, { ...this.storageOptions, logger: this.logger });
      this.buckets.set(bucket, storage);
    }
    const bytes = await storage.get(rest.slice(slash + 1));
    if (bytes === null) throw new InputVanishedError(`${uri} was deleted after its page was queued`, { stage: 'open' });
    return bytes;
  }
}

async function readFile(uri: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.readFile(fileURLToPath(uri)));
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') throw new InputVanishedError(`${uri} was deleted after its page was queued (or this worker does not share its folder)`, { stage: 'open' });
    throw err;
  }
}
