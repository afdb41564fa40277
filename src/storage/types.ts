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

/** A byte range: `start` inclusive, `end` exclusive (as `Uint8Array.subarray`). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface RangeOptions {
  /**
   * The etag the object must still have (from `head`, `list`, or a queued job): when it has another
   * one, the read fails with InputChangedError rather than mix bytes of two versions.
   */
  readonly ifMatch?: string;
}

/** Part of an object, with what identifies the whole. */
export interface RangeRead {
  /** The bytes of the range; fewer than asked when the range runs past the object's end. */
  readonly bytes: Uint8Array;
  /** Size of the whole object. */
  readonly size: number;
  readonly etag?: string;
}

export interface PutOptions {
  readonly contentType?: string;
}

export interface Storage {
  /** Human-readable location, e.g. `file:///data/out` or `s3://bucket/prefix`. */
  readonly location: string;
  /** Bytes of `key`, or null when it does not exist. */
  get(key: string): Promise<Uint8Array | null>;
  /**
   * Bytes `range.start` to `range.end` (exclusive) of `key`, clipped at the object's end; null when
   * the object does not exist (as `get`). A range that is empty, negative or not whole numbers is a
   * ConfigError; one that starts at or past the end is an InputError. Drivers whose store cannot
   * serve ranges leave it out (callers then `get` the object whole).
   */
  getRange?(key: string, range: ByteRange, options?: RangeOptions): Promise<RangeRead | null>;
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
