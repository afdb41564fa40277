/**
 * S3 storage driver (AWS S3 and S3-compatible stores: MinIO, R2, s3rver in tests).
 *
 * - Key 'a/b.json' is the object `<prefix>a/b.json` in the bucket; `list` strips the prefix again.
 * - Clients we create use the standard credential chain and region, never retry by themselves
 *   (`maxAttempts: 1`: `withRetry` is the one retry policy), and compute/validate checksums only
 *   when an operation requires it (`WHEN_REQUIRED`): with the SDK defaults some S3-compatible
 *   stores save aws-chunked framing inside the object. A client handed in is used as configured
 *   (its own retries add to ours) and is never destroyed by `dispose`.
 * - The list cursor is S3's opaque continuation token. Keys that are not safe keys (e.g. with a
 *   '..' segment) are left out of `items` and reported in `rejected`.
 * - A connection silent for `timeoutMs` (default 60 s) fails with a transient TimeoutError.
 * - `getRange` is a GetObject with `Range: bytes=a-b` and, given `ifMatch`, `If-Match: "<etag>"`: a
 *   store that holds another version answers 412, which is an InputChangedError (not retried). The
 *   answer's own ETag and Content-Range total are checked too, for stores that ignore If-Match
 *   (s3rver does) or a Range (a 200 with the whole body is cut to the range).
 * - Errors: transient ones (src/errors.ts `isTransient`) are retried with backoff and then thrown
 *   as RetryableError; no access / no such bucket / bad credentials or region are CriticalError;
 *   anything else concerns one object and is InputError. All carry stage 'storage' and the cause.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';

import {
  ConfigError,
  CriticalError,
  InputChangedError,
  InputError,
  keepTypedOr,
  type NewsprintError,
  RetryableError,
  errorMessage,
  isTransient,
} from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { resolveBackoff, withRetry, type Backoff } from '../retry.js';
import { assertSafeKey, assertSafePrefix, unsafeKeyReason } from './keys.js';
import { assertRange, httpRange, rangePastEnd } from './ranges.js';
import type { ByteRange, ListOptions, ListPage, ObjectInfo, PutOptions, RangeOptions, RangeRead, RejectedKey, Storage } from './types.js';

export interface S3StorageOptions {
  readonly bucket: string;
  /** Key prefix inside the bucket; a missing trailing '/' is added. Default '' (bucket root). */
  readonly prefix?: string;
  /** A configured client to use; it stays the caller's (never destroyed by `dispose`). */
  readonly client?: S3Client;
  /** Endpoint URL of an S3-compatible store. Ignored when `client` is given. */
  readonly endpoint?: string;
  /**
   * Region. Default: the SDK's chain (AWS_REGION, profile); with `endpoint`, AWS_REGION or
   * 'us-east-1' (S3-compatible stores rarely care, but the signer needs one).
   */
  readonly region?: string;
  /** Path-style URLs (`endpoint/bucket/key`). Default: true when `endpoint` is given. */
  readonly forcePathStyle?: boolean;
  readonly logger?: Logger;
  /** Backoff for transient failures. Default 5 attempts, 100 ms base, 5 s cap. */
  readonly retry?: Partial<Backoff>;
  /**
   * A request whose connection stays silent this long (no byte sent or received) fails with a
   * TimeoutError, which is transient and retried. Connecting has min(this, 10 s). Default 60 s.
   * Ignored when `client` is given.
   */
  readonly timeoutMs?: number;
}

/** S3 error names (or codes) that mean the run cannot go on. */
const CRITICAL_NAMES = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'AccountProblem',
  'AuthorizationHeaderMalformed',
  'CredentialsProviderError',
  'ExpiredToken',
  'Forbidden',
  'InvalidAccessKeyId',
  'InvalidBucketName',
  'InvalidSecurity',
  'InvalidToken',
  'NoSuchBucket',
  'PermanentRedirect',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
  'UnauthorizedAccess',
]);

const MAX_KEYS = 1000;
const DEFAULT_TIMEOUT_MS = 60_000;

export function createS3Storage(options: S3StorageOptions): Storage {
  const bucket = options?.bucket;
  if (typeof bucket !== 'string' || bucket === '') {
    throw new ConfigError('createS3Storage: `bucket` must be a non-empty string');
  }
  const base = normalisePrefix(options.prefix ?? '');
  const retry = resolveBackoff(options.retry);
  const logger = options.logger ?? silentLogger;
  const owned = options.client === undefined;
  const client = options.client ?? new S3Client(clientConfig(options));
  const location = `s3://${bucket}/${base}`;

  /** Runs one S3 call with retries; every failure leaves as a NewsprintError. */
  const run = async <T>(op: string, key: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await withRetry(fn, {
        ...retry,
        // S3 answers 409 ConditionalRequestConflict while another conditional write is in flight.
        retryIf: (err) => isTransient(err) || errorName(err) === 'ConditionalRequestConflict',
        onRetry: ({ attempt, delayMs, error }) =>
          logger.warn('s3 storage: retrying', {
            op,
            bucket,
            key: base + key,
            attempt,
            delayMs,
            error: errorMessage(error),
          }),
      });
    } catch (err) {
      throw s3Error(err, op, `s3://${bucket}/${base}${key}`, retry.attempts);
    }
  };

  const objectKey = (key: string): string => {
    assertSafeKey(key);
    return base + key;
  };

  // Every path is async so that a bad key rejects the returned promise rather than throwing.
  const headObject = async (op: string, key: string): Promise<ObjectInfo | null> => {
    const Key = objectKey(key);
    return run(op, key, async () => {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
        return {
          key,
          size: res.ContentLength ?? 0,
          ...(res.ETag !== undefined ? { etag: unquote(res.ETag) } : {}),
          ...(res.LastModified !== undefined ? { lastModified: res.LastModified } : {}),
        };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    });
  };

  const putObject = async (
    key: string,
    body: Uint8Array | string,
    putOptions: PutOptions | undefined,
    ifNoneMatch: boolean,
  ): Promise<boolean> => {
    const Key = objectKey(key);
    const Body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const op = ifNoneMatch ? 'putIfAbsent' : 'put';
    return run(op, key, async () => {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key,
            Body,
            ContentLength: Body.byteLength,
            ...(putOptions?.contentType !== undefined
              ? { ContentType: putOptions.contentType }
              : {}),
            ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
          }),
        );
        return true;
      } catch (err) {
        if (ifNoneMatch && isPreconditionFailed(err)) return false;
        throw err;
      }
    });
  };

  return {
    location,

    async get(key) {
      const Key = objectKey(key);
      return run('get', key, async () => {
        try {
          const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
          // Read the body inside the retried call: a connection reset mid-body is transient too.
          return res.Body === undefined ? new Uint8Array(0) : await res.Body.transformToByteArray();
        } catch (err) {
          if (isNotFound(err)) return null;
          throw err;
        }
      });
    },

    async getRange(key: string, range: ByteRange, rangeOptions: RangeOptions = {}): Promise<RangeRead | null> {
      const Key = objectKey(key);
      assertRange(range);
      const where = `s3://${bucket}/${Key}`;
      const { ifMatch } = rangeOptions;
      const changed = (etag: string | undefined): InputChangedError =>
        new InputChangedError(`${where} is not the version asked for (etag ${String(etag)}, asked ${String(ifMatch)})`, { stage: 'storage' });
      return run('getRange', key, async () => {
        try {
          const res = await client.send(
            new GetObjectCommand({ Bucket: bucket, Key, Range: httpRange(range), ...(ifMatch !== undefined ? { IfMatch: `"${ifMatch}"` } : {}) }),
          );
          const etag = res.ETag === undefined ? undefined : unquote(res.ETag);
          if (ifMatch !== undefined && etag !== ifMatch) throw changed(etag);
          const body = res.Body === undefined ? new Uint8Array(0) : await res.Body.transformToByteArray();
          const total = /\/(\d+)$/u.exec(res.ContentRange ?? '')?.[1];
          // No Content-Range: the store sent the whole object.
          const size = total !== undefined ? Number(total) : body.byteLength;
          const bytes = total !== undefined ? body : body.subarray(range.start, range.end);
          if (range.start >= size) throw rangePastEnd(where, range, size);
          if (bytes.byteLength !== Math.min(range.end, size) - range.start) throw changed('a short answer');
          return { bytes, size, ...(etag !== undefined ? { etag } : {}) };
        } catch (err) {
          if (isNotFound(err)) return null;
          if (isPreconditionFailed(err)) throw changed('another one');
          if (statusOf(err) === 416 || errorName(err) === 'InvalidRange') throw rangePastEnd(where, range, undefined);
          throw err;
        }
      });
    },

    async put(key, body, putOptions) {
      await putObject(key, body, putOptions, false);
    },

    /*
     * Two steps, because some stores (s3rver, older MinIO and other S3-compatibles) ignore
     * `If-None-Match: *` and simply overwrite:
     * 1. HeadObject: if the object exists, answer false without writing.
     * 2. PutObject with `If-None-Match: *`: on AWS S3, MinIO, R2 this is atomic and the loser of a
     *    race gets 412 → false.
     * Races left: on a store that ignores the header, two callers can both pass step 1 and both
     * write (last write wins, both get true). And if a PutObject that did land loses its response
     * and is retried, the retry gets 412 and we answer false although our body was written.
     */
    async putIfAbsent(key, body, putOptions) {
      if ((await headObject('putIfAbsent', key)) !== null) return false;
      return putObject(key, body, putOptions, true);
    },

    async head(key) {
      return headObject('head', key);
    },

    async list(prefix, listOptions: ListOptions = {}): Promise<ListPage> {
      assertSafePrefix(prefix);
      const limit = listOptions.limit ?? MAX_KEYS;
      if (!Number.isInteger(limit) || limit < 1) {
        throw new ConfigError(`list limit must be an integer >= 1, got ${String(limit)}`);
      }
      const res = await run('list', prefix, () =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: base + prefix,
            MaxKeys: Math.min(limit, MAX_KEYS),
            ...(listOptions.cursor !== undefined ? { ContinuationToken: listOptions.cursor } : {}),
          }),
        ),
      );
      const items: ObjectInfo[] = [];
      const rejected: RejectedKey[] = [];
      for (const object of res.Contents ?? []) {
        const full = object.Key;
        if (full === undefined || !full.startsWith(base)) continue;
        const key = full.slice(base.length);
        if (key === '' || key.endsWith('/')) continue; // "folder" marker objects
        const problem = unsafeKeyReason(key);
        if (problem !== null) {
          logger.warn('s3 storage: skipping an object whose key is not a safe key', {
            bucket,
            key: full,
          });
          rejected.push({
            key,
            reason: problem,
            ...(object.Size !== undefined ? { size: object.Size } : {}),
            ...(object.ETag !== undefined ? { etag: unquote(object.ETag) } : {}),
          });
          continue;
        }
        items.push({
          key,
          size: object.Size ?? 0,
          ...(object.ETag !== undefined ? { etag: unquote(object.ETag) } : {}),
          ...(object.LastModified !== undefined ? { lastModified: object.LastModified } : {}),
        });
      }
      const more = rejected.length > 0 ? { rejected } : {};
      if (res.IsTruncated !== true) return { items, ...more };
      if (res.NextContinuationToken === undefined) {
        throw new CriticalError(
          `s3 storage list ${location}${prefix}: the store returned a truncated page without a continuation token`,
          { stage: 'storage' },
        );
      }
      return { items, cursor: res.NextContinuationToken, ...more };
    },

    async delete(key) {
      const Key = objectKey(key);
      await run('delete', key, async () => {
        try {
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
        } catch (err) {
          if (isNotFound(err)) return; // S3 itself answers 204; some compatibles say 404
          throw err;
        }
      });
    },

    async dispose() {
      if (owned) client.destroy();
    },
  };
}

function clientConfig(options: S3StorageOptions): S3ClientConfig {
  const { endpoint } = options;
  if (endpoint !== undefined) {
    try {
      new URL(endpoint);
    } catch (err) {
      throw new ConfigError(`Invalid S3 endpoint ${JSON.stringify(endpoint)}: not a URL`, {
        cause: err,
      });
    }
  }
  const region =
    options.region ??
    (endpoint !== undefined ? process.env['AWS_REGION'] || 'us-east-1' : undefined);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigError(`S3 timeoutMs must be a positive number, got ${String(options.timeoutMs)}`);
  }
  return {
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    // Without these the SDK waits forever on a connection that went silent.
    requestHandler: { connectionTimeout: Math.min(timeoutMs, 10_000), socketTimeout: timeoutMs },
    forcePathStyle: options.forcePathStyle ?? (endpoint !== undefined),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(region !== undefined ? { region } : {}),
  };
}

function normalisePrefix(prefix: string): string {
  assertSafePrefix(prefix);
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

function unquote(etag: string): string {
  return etag.replace(/^(W\/)?"(.*)"$/, '$2');
}

interface SdkErrorLike {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function errorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as SdkErrorLike;
  for (const v of [e.Code, e.name, e.code]) if (typeof v === 'string' && v !== 'Error') return v;
  return undefined;
}

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as SdkErrorLike).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function isNotFound(err: unknown): boolean {
  const name = errorName(err);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(err) === 404;
}

function isPreconditionFailed(err: unknown): boolean {
  return errorName(err) === 'PreconditionFailed' || statusOf(err) === 412;
}

function s3Error(err: unknown, op: string, where: string, attempts: number): NewsprintError {
  return keepTypedOr(err, (untyped) => s3Fault(untyped, op, where, attempts));
}

function s3Fault(err: unknown, op: string, where: string, attempts: number): NewsprintError {
  const name = errorName(err);
  const status = statusOf(err);
  const options = { cause: err, stage: 'storage' } as const;
  const detail = `${name ?? 'Error'}${status !== undefined ? ` (HTTP ${status})` : ''}: ${errorMessage(err)}`;
  const message = `s3 storage ${op} ${where} failed: ${detail}`;
  if (/region is missing/i.test(errorMessage(err))) {
    return new ConfigError(`${message} (set AWS_REGION or pass a region)`, { cause: err });
  }
  if ((name !== undefined && CRITICAL_NAMES.has(name)) || status === 401 || status === 403) {
    return new CriticalError(message, options);
  }
  if (isTransient(err) || name === 'ConditionalRequestConflict') {
    return new RetryableError(`s3 storage ${op} ${where} failed after ${attempts} attempts: ${detail}`, options);
  }
  return new InputError(message, options);
}
