/**
 * A real S3-protocol server (s3rver) for tests, on 127.0.0.1 with a free port and a temp folder.
 *
 * Quirks (see /work/shared/NOTES-stack.md): clients need path-style URLs and WHEN_REQUIRED
 * checksums; paginated listing needs `--openssl-legacy-provider` in this process (vitest.config.ts);
 * it ignores `If-None-Match: *` and does not check signatures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { S3Client } from '@aws-sdk/client-s3';

/** The part of s3rver 3.7.1's API we use (the package has no types). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
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
