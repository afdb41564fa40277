/**
 * Where a Storage lives, written as one string: `s3://bucket[/prefix/]`, `file:///abs/path`, or a
 * local path (relative paths resolve against the current directory).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createFsStorage } from './fs.js';
import { assertSafePrefix } from './keys.js';
import { createS3Storage } from './s3.js';
import type { Storage } from './types.js';

export type Location =
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'fs'; readonly root: string };

export interface OpenStorageOptions {
  /** S3 endpoint of an S3-compatible store. Default: env AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL. */
  readonly endpoint?: string;
  /** Default: true when an endpoint is set (from the option or the environment). */
  readonly forcePathStyle?: boolean;
  readonly region?: string;
  readonly logger?: Logger;
  /** S3: idle timeout of one request, ms (see S3StorageOptions.timeoutMs). */
  readonly timeoutMs?: number;
}

// Loose on purpose (legacy buckets allow capitals and '_'); S3 has the last word.
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * Parses a location. S3 prefixes come back '' or ending with '/' (`s3://b/x` means the folder
 * `x/`); fs roots come back absolute. Throws ConfigError for `s3://` without a bucket, unsafe
 * prefixes ('..', '//', backslash, control characters) and unknown schemes.
 */
export function parseLocation(uri: string): Location {
  if (typeof uri !== 'string' || uri.trim() === '') {
    throw new ConfigError('Storage location must be a non-empty string (a folder or s3://bucket/prefix)');
  }
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'fs', root: path.resolve(uri) };
  if (scheme === 'file') {
    try {
      return { kind: 'fs', root: path.resolve(fileURLToPath(uri)) };
    } catch (err) {
      throw new ConfigError(`Invalid file URL ${JSON.stringify(uri)}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  if (scheme !== 's3') {
    throw new ConfigError(
      `Unsupported storage location ${JSON.stringify(uri)}: expected a folder, file:// or s3://`,
    );
  }
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  if (bucket === '') {
    throw new ConfigError(`Invalid S3 location ${JSON.stringify(uri)}: no bucket (s3://bucket/prefix)`);
  }
  if (!BUCKET.test(bucket)) {
    throw new ConfigError(
      `Invalid S3 location ${JSON.stringify(uri)}: bucket ${JSON.stringify(bucket)} is not a bucket name`,
    );
  }
  try {
    assertSafePrefix(prefix);
  } catch (err) {
    throw new ConfigError(
      `Invalid S3 location ${JSON.stringify(uri)}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return { kind: 's3', bucket, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

/** Opens the Storage at `uri` (see parseLocation). Dispose it when done. */
export function openStorage(uri: string, options: OpenStorageOptions = {}): Storage {
  const location = parseLocation(uri);
  if (location.kind === 'fs') {
    return createFsStorage({ root: location.root, logger: options.logger });
  }
  const endpoint =
    options.endpoint ||
    process.env['AWS_ENDPOINT_URL_S3'] ||
    process.env['AWS_ENDPOINT_URL'] ||
    undefined;
  return createS3Storage({
    bucket: location.bucket,
    prefix: location.prefix,
    endpoint,
    forcePathStyle: options.forcePathStyle,
    region: options.region,
    logger: options.logger,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}
