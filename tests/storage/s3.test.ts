import { randomUUID } from 'node:crypto';

import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { ConfigError, CriticalError, InputChangedError, InputError, RetryableError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { openStorage } from '../../src/storage/location.js';
import { createS3Storage } from '../../src/storage/s3.js';
import { TEST_CREDENTIALS, makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { runStorageConformance } from './conformance.js';

const BUCKET = 'newsprint-test';

let server: TestS3Server;
let client: S3Client;

beforeAll(async () => {
  server = await startS3Server([BUCKET]);
  client = makeTestS3Client(server.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

/** Every key in the bucket under `prefix`, read with the raw client. */
async function rawKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(res.Contents ?? []).map((o) => o.Key ?? ''));
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys;
}

it('runs with --openssl-legacy-provider (s3rver pagination needs it; see vitest.config.ts)', () => {
  expect(process.execArgv).toContain('--openssl-legacy-provider');
});

// Each test gets its own prefix in one bucket: a fresh, empty storage.
runStorageConformance(
  's3 (s3rver)',
  async () => {
    const prefix = `conformance/${randomUUID()}/`;
    return {
      storage: createS3Storage({ bucket: BUCKET, prefix, client }),
      rawNames: async () => (await rawKeys(prefix)).map((k) => k.slice(prefix.length)),
    };
  },
  // The test server answers If-None-Match: * as AWS S3 does (tests/support/s3-server.ts). s3rver lists
  // in the order of a depth-first walk of its folders ('a/x' before 'a b'), not in byte order, so
  // paginating over such keys repeats and skips some (its cursor assumes byte order).
  { strictListOrder: false },
);

describe('s3 storage specifics (s3rver)', () => {
  it('puts keys under the prefix and strips it when listing', async () => {
    const storage = createS3Storage({ bucket: BUCKET, prefix: 'runs/r1', client });
    expect(storage.location).toBe(`s3://${BUCKET}/runs/r1/`);
    await storage.put('pages/1.json', '{"page":1}', { contentType: 'application/json' });
    expect(await rawKeys('runs/r1/')).toEqual(['runs/r1/pages/1.json']);
    const { items } = await storage.list('pages/');
    expect(items.map((i) => i.key)).toEqual(['pages/1.json']);
    const raw = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'runs/r1/pages/1.json' }));
    expect(raw.ContentType).toBe('application/json');
    expect(await raw.Body?.transformToString()).toBe('{"page":1}');
  });

  it('does not list objects outside its prefix, nor "folder" markers', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'iso/a/', Body: '' }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'iso/a/x', Body: 'x' }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'iso-other/y', Body: 'y' }));
    const storage = createS3Storage({ bucket: BUCKET, prefix: 'iso/', client });
    expect((await storage.list('')).items.map((i) => i.key)).toEqual(['a/x']);
  });

  it('never destroys a client handed in', async () => {
    const storage = createS3Storage({ bucket: BUCKET, prefix: 'dispose/', client });
    await storage.put('k', 'v');
    await storage.dispose();
    const again = createS3Storage({ bucket: BUCKET, prefix: 'dispose/', client });
    expect(await again.get('k')).toEqual(new TextEncoder().encode('v'));
  });

  it('creates its own client from an endpoint, with path style by default', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    try {
      const storage = openStorage(`s3://${BUCKET}/own-client`, { endpoint: server.endpoint });
      const body = 'streamed? no: exact bytes, 中文'.repeat(1000);
      await storage.put('big.txt', body);
      // No aws-chunked framing stored inside the object (the WHEN_REQUIRED checksum setting).
      const raw = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'own-client/big.txt' }));
      expect(await raw.Body?.transformToString()).toBe(body);
      expect((await storage.list('', { limit: 1 })).items.map((i) => i.key)).toEqual(['big.txt']);
      await storage.dispose();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('takes the endpoint from AWS_ENDPOINT_URL', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_ENDPOINT_URL_S3', '');
    vi.stubEnv('AWS_ENDPOINT_URL', server.endpoint);
    try {
      const storage = openStorage(`s3://${BUCKET}/env-endpoint/`);
      await storage.put('k', 'v');
      expect(await rawKeys('env-endpoint/')).toEqual(['env-endpoint/k']);
      await storage.dispose();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a missing bucket stops the run (CriticalError), without retries', async () => {
    const onRetry = vi.fn();
    const storage = createS3Storage({
      bucket: 'no-such-bucket',
      client,
      logger: { ...silentLogger, warn: onRetry },
    });
    const error = await storage.get('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CriticalError);
    expect((error as CriticalError).stage).toBe('storage');
    await expect(storage.list('')).rejects.toBeInstanceOf(CriticalError);
    await expect(storage.put('x', 'y')).rejects.toBeInstanceOf(CriticalError);
    expect(onRetry).not.toHaveBeenCalled();
  });
});

describe('s3 storage error policy (stub client)', () => {
  const sdkError = (name: string, status: number): Error =>
    Object.assign(new Error(`${name} from stub`), { name, $metadata: { httpStatusCode: status } });

  /** A client whose `send` plays the given outcomes in order (Error → reject, else resolve). */
  const stubClient = (...outcomes: unknown[]) => {
    const send = vi.fn(async () => {
      const next = outcomes.shift();
      if (next instanceof Error) throw next;
      return next;
    });
    return { client: { send, destroy: vi.fn() } as unknown as S3Client, send };
  };

  const fast = { attempts: 5, baseMs: 1, maxMs: 2 };

  it('retries transient failures, then succeeds', async () => {
    const { client: stub, send } = stubClient(
      sdkError('SlowDown', 503),
      sdkError('InternalError', 500),
      { Body: { transformToByteArray: async () => new Uint8Array([1, 2]) } },
    );
    const storage = createS3Storage({ bucket: 'b', client: stub, retry: fast });
    expect(await storage.get('k')).toEqual(new Uint8Array([1, 2]));
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('gives up after 5 attempts with a RetryableError at stage storage', async () => {
    const { client: stub, send } = stubClient(
      ...Array.from({ length: 6 }, () => sdkError('ServiceUnavailable', 503)),
    );
    const storage = createS3Storage({ bucket: 'b', client: stub, retry: { baseMs: 1, maxMs: 2 } });
    const error = await storage.put('k', 'v').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).stage).toBe('storage');
    expect((error as RetryableError).cause).toMatchObject({ name: 'ServiceUnavailable' });
    expect(send).toHaveBeenCalledTimes(5);
  });

  it('access denied is critical and not retried', async () => {
    const { client: stub, send } = stubClient(sdkError('AccessDenied', 403));
    const storage = createS3Storage({ bucket: 'b', client: stub, retry: fast });
    await expect(storage.list('')).rejects.toBeInstanceOf(CriticalError);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('other client errors concern one object (InputError), not retried', async () => {
    const { client: stub, send } = stubClient(sdkError('EntityTooLarge', 400));
    const storage = createS3Storage({ bucket: 'b', client: stub, retry: fast });
    await expect(storage.put('k', 'v')).rejects.toBeInstanceOf(InputError);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('putIfAbsent answers false on 412 from a store that honours If-None-Match', async () => {
    const { client: stub, send } = stubClient(
      sdkError('NotFound', 404), // HeadObject: absent
      sdkError('PreconditionFailed', 412), // PutObject: someone else won
    );
    const storage = createS3Storage({ bucket: 'b', client: stub, retry: fast });
    expect(await storage.putIfAbsent('k', 'v')).toBe(false);
    expect(send).toHaveBeenCalledTimes(2);
    const put = send.mock.calls[1] as unknown as [PutObjectCommand];
    expect(put[0].input).toMatchObject({ Bucket: 'b', Key: 'k', IfNoneMatch: '*' });
  });

  it('getRange sends Range and If-Match, and a 412 (the object changed) is an InputChangedError, not retried', async () => {
    const { client: stub, send } = stubClient(sdkError('PreconditionFailed', 412));
    const storage = createS3Storage({ bucket: 'b', client: stub, retry: fast });
    const error = await storage.getRange?.('k', { start: 10, end: 20 }, { ifMatch: 'abc' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputChangedError);
    expect((error as InputChangedError).fault).toBe('input');
    expect(send).toHaveBeenCalledTimes(1);
    const get = send.mock.calls[0] as unknown as [GetObjectCommand];
    expect(get[0].input).toMatchObject({ Bucket: 'b', Key: 'k', Range: 'bytes=10-19', IfMatch: '"abc"' });
  });

  it('getRange cuts the range out of a 200 from a store that ignores Range', async () => {
    const whole = Uint8Array.from({ length: 50 }, (_, i) => i);
    const { client: stub } = stubClient({ ETag: '"abc"', Body: { transformToByteArray: async () => whole } });
    const storage = createS3Storage({ bucket: 'b', client: stub, retry: fast });
    expect(await storage.getRange?.('k', { start: 10, end: 20 }, { ifMatch: 'abc' })).toEqual({ bytes: whole.subarray(10, 20), size: 50, etag: 'abc' });
  });

  it('rejects bad options at once with ConfigError', () => {
    const { client: stub } = stubClient();
    expect(() => createS3Storage({ bucket: '', client: stub })).toThrow(ConfigError);
    expect(() => createS3Storage({ bucket: 'b', prefix: '../x', client: stub })).toThrow(ConfigError);
    expect(() => createS3Storage({ bucket: 'b', client: stub, retry: { attempts: 0 } })).toThrow(ConfigError);
    expect(() => createS3Storage({ bucket: 'b', endpoint: 'nope' })).toThrow(ConfigError);
  });

  it('dispose leaves a client handed in alone', async () => {
    const { client: stub } = stubClient();
    await createS3Storage({ bucket: 'b', client: stub }).dispose();
    expect(stub.destroy).not.toHaveBeenCalled();
  });
});
