/**
 * A real S3-protocol server (s3rver) for tests, on 127.0.0.1 with a free port and a temp folder.
 *
 * Quirks (see /work/shared/NOTES-stack.md): clients need path-style URLs and WHEN_REQUIRED
 * checksums; paginated listing needs `--openssl-legacy-provider` in this process (vitest.config.ts);
 * it does not check signatures. s3rver ignores `If-None-Match: *`; AWS S3, MinIO and R2 answer a
 * conditional create of an existing key with 412 PreconditionFailed, atomically. `conditionalCreate`
 * gives s3rver that behaviour in front of its own PUT handler, so the storage conformance suite runs
 * the concurrent putIfAbsent case against the S3 driver too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { S3Client } from '@aws-sdk/client-s3';

/** The part of s3rver 3.7.1's API we use (the package has no types; it is a Koa application). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  readonly middleware: KoaMiddleware[];
  readonly store: { existsObject(bucket: string, key: string): Promise<boolean> };
}
interface KoaContext {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, unknown>>;
  get(header: string): string;
  status: number;
  type: string;
  body: unknown;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** Not frozen: the SDK writes bookkeeping (`$source`) into the credentials object it is given. */
export const TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface TestS3Server {
  /** e.g. `http://127.0.0.1:40123` */
  readonly endpoint: string;
  /** Closes the server and removes its folder. */
  stop(): Promise<void>;
}

export async function startS3Server(buckets: readonly string[] = ['test-bucket']): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'newsprint-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  server.middleware.unshift(conditionalCreate(server.store));
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await server.close();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

/**
 * `PUT /bucket/key` with `If-None-Match: *` as AWS S3 answers it: 412 PreconditionFailed when the
 * key exists, and at most one winner among concurrent conditional creates of one key (they are
 * serialised per key here; the check and the write happen inside one turn of that chain).
 */
function conditionalCreate(store: S3rverInstance['store']): KoaMiddleware {
  const tails = new Map<string, Promise<void>>();
  return async (ctx, next) => {
    const [, bucket, ...keyParts] = ctx.path.split('/');
    const isObjectPut = ctx.method === 'PUT' && bucket !== undefined && keyParts.length > 0;
    const isPart = 'uploadId' in ctx.query || 'partNumber' in ctx.query;
    if (!isObjectPut || isPart || ctx.get('if-none-match').trim() !== '*') return next();
    const key = decodeURIComponent(keyParts.join('/'));
    const slot = `${bucket}/${key}`;
    const previous = tails.get(slot) ?? Promise.resolve();
    let release = (): void => {};
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(slot, tail);
    await previous;
    try {
      if (await store.existsObject(bucket, key)) {
        ctx.status = 412;
        ctx.type = 'application/xml';
        ctx.body =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
          '<Message>At least one of the pre-conditions you specified did not hold</Message>' +
          '<Condition>If-None-Match</Condition></Error>';
        return;
      }
      await next();
    } finally {
      release();
      if (tails.get(slot) === tail) tails.delete(slot);
    }
  };
}

/** A client that s3rver understands: path-style, WHEN_REQUIRED checksums, dummy credentials. */
export function makeTestS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { ...TEST_CREDENTIALS },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
