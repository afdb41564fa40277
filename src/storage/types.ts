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

/**
 * An object found under the prefix whose name is not a safe key (e.g. an S3 key with a '..'
 * segment, or a file name with a backslash): it cannot be read through this interface, but the
 * caller may want to report it rather than never hear of it.
 */
export interface RejectedKey {
  /** The name as the store has it, relative to the storage's root (a folder ends with '/'). */
  readonly key: string;
  /** Why it is not a safe key. */
  readonly reason: string;
  readonly size?: number;
  readonly etag?: string;
}

export interface ListPage {
  readonly items: readonly ObjectInfo[];
  /** Present when more items follow; pass back as `cursor`. */
  readonly cursor?: string;
  /**
   * Present (non-empty) when names under the prefix were left out of `items` because they are not
   * safe keys. Each is reported once over a paginated listing.
   */
  readonly rejected?: readonly RejectedKey[];
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
