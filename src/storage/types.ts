/**
 * Storage is a byte transport. Serialisation (JSON, schema) lives above it, in src/output.
 * Keys are relative, '/'-separated, never contain '..' segments, and never start with '/'.
 */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  /** Store-provided entity tag (S3 ETag without quotes; fs: size-mtime). */
  readonly etag?: string;
  readonly lastModified?: Date;
}

export interface ListPage {
  readonly items: readonly ObjectInfo[];
  /** Present when more items follow; pass back as `cursor`. */
  readonly cursor?: string;
}

export interface ListOptions {
  readonly cursor?: string;
  /** Page size hint. Default 1000. */
  readonly limit?: number;
}

export interface PutOptions {
  readonly contentType?: string;
}

export interface Storage {
  /** Human-readable location, e.g. `file:///data/out` or `s3://bucket/prefix`. */
  readonly location: string;
  /** Bytes of `key`, or null when it does not exist. */
  get(key: string): Promise<Uint8Array | null>;
  /** Writes `key` whole: a reader sees the old object or the new one, never a part. */
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<void>;
  /** Creates `key` only when it does not exist; false when it did. Atomic where the store allows. */
  putIfAbsent(key: string, body: Uint8Array | string, options?: PutOptions): Promise<boolean>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Objects whose key starts with `prefix`, in lexicographic key order, one page at a time. */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Removes `key`; no error when it does not exist. */
  delete(key: string): Promise<void>;
  /** Releases clients this driver created (never one handed in by the caller). */
  dispose(): Promise<void>;
}
