/**
 * Storage in memory for tests: keeps objects in a Map and records every mutating call in `ops`,
 * in the order the calls were made, so tests can check write order.
 */
import { createHash } from 'node:crypto';
import type { ListOptions, ListPage, ObjectInfo, PutOptions, Storage } from '../../src/storage/types.js';

export interface StorageOp {
  readonly op: 'put' | 'putIfAbsent' | 'delete';
  readonly key: string;
}

interface Entry {
  readonly body: Uint8Array;
  readonly contentType: string | undefined;
  readonly lastModified: Date;
}

export class MemoryStorage implements Storage {
  readonly location: string;
  readonly ops: StorageOp[] = [];
  readonly #objects = new Map<string, Entry>();

  constructor(location = 'memory://test') {
    this.location = location;
  }

  /** Keys present, sorted. */
  keys(): string[] {
    return [...this.#objects.keys()].sort();
  }

  /** The object as UTF-8 text, or undefined. */
  text(key: string): string | undefined {
    const entry = this.#objects.get(key);
    return entry === undefined ? undefined : new TextDecoder().decode(entry.body);
  }

  contentType(key: string): string | undefined {
    return this.#objects.get(key)?.contentType;
  }

  /** Keys of the recorded calls of one kind, in call order. */
  opKeys(op: StorageOp['op']): string[] {
    return this.ops.filter((o) => o.op === op).map((o) => o.key);
  }

  async get(key: string): Promise<Uint8Array | null> {
    checkKey(key);
    const entry = this.#objects.get(key);
    return entry === undefined ? null : entry.body.slice();
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<void> {
    checkKey(key);
    this.ops.push({ op: 'put', key });
    this.#set(key, body, options);
  }

  async putIfAbsent(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<boolean> {
    checkKey(key);
    this.ops.push({ op: 'putIfAbsent', key });
    if (this.#objects.has(key)) return false;
    this.#set(key, body, options);
    return true;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    checkKey(key);
    const entry = this.#objects.get(key);
    return entry === undefined ? null : info(key, entry);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const limit = options.limit ?? 1000;
    const after = options.cursor;
    const matching = this.keys().filter((k) => k.startsWith(prefix) && (after === undefined || k > after));
    const items = matching.slice(0, limit).map((k) => info(k, this.#objects.get(k) as Entry));
    const last = items[items.length - 1];
    return matching.length > limit && last !== undefined ? { items, cursor: last.key } : { items };
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    this.ops.push({ op: 'delete', key });
    this.#objects.delete(key);
  }

  async dispose(): Promise<void> {}

  #set(key: string, body: Uint8Array | string, options: PutOptions): void {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body.slice();
    this.#objects.set(key, { body: bytes, contentType: options.contentType, lastModified: new Date() });
  }
}

function info(key: string, entry: Entry): ObjectInfo {
  const etag = createHash('md5').update(entry.body).digest('hex');
  return { key, size: entry.body.byteLength, etag, lastModified: entry.lastModified };
}

function checkKey(key: string): void {
  if (key === '' || key.startsWith('/') || key.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw new Error(`bad storage key ${JSON.stringify(key)}`);
  }
}
