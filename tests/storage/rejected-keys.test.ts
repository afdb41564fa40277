/**
 * Names that are not safe keys are left out of a listing's items but reported in `rejected`, once,
 * so a caller (the nightly run) can report them instead of never hearing of them. On S3 the key is
 * added to s3rver's answer by a proxy: s3rver itself cannot store a key with a '..' segment.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsStorage } from '../../src/storage/fs.js';
import { createS3Storage } from '../../src/storage/s3.js';
import type { RejectedKey, Storage } from '../../src/storage/types.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';

let dir: string;
let server: TestS3Server;
let proxy: FaultProxy;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'newsprint-rejected-'));
  server = await startS3Server(['b']);
  proxy = await startFaultProxy({
    target: server.endpoint,
    rewriteList: (xml) =>
      xml.replace(
        '</ListBucketResult>',
        '<Contents><Key>p/x/../escape.pdf</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"abc"</ETag><Size>7</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>',
      ),
  });
});

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function listAll(storage: Storage, limit?: number): Promise<{ keys: string[]; rejected: RejectedKey[] }> {
  const keys: string[] = [];
  const rejected: RejectedKey[] = [];
  let cursor: string | undefined;
  do {
    const page = await storage.list('', { ...(cursor !== undefined ? { cursor } : {}), ...(limit !== undefined ? { limit } : {}) });
    keys.push(...page.items.map((i) => i.key));
    rejected.push(...(page.rejected ?? []));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { keys, rejected };
}

describe('rejected keys', () => {
  it('fs: a file name with a backslash is reported once over a paginated listing, with its size', async () => {
    const root = path.join(dir, 'fs');
    await mkdir(path.join(root, 'sub\\dir'), { recursive: true });
    for (const name of ['a', 'b\\c', 'd', 'e', 'sub\\dir/f']) await writeFile(path.join(root, name), 'hello');
    const storage = createFsStorage({ root });
    for (const limit of [undefined, 1, 2]) {
      const { keys, rejected } = await listAll(storage, limit);
      expect(keys, String(limit)).toEqual(['a', 'd', 'e']);
      expect(rejected.map((r) => r.key).sort(), String(limit)).toEqual(['b\\c', 'sub\\dir/']);
      expect(rejected.find((r) => r.key === 'b\\c')).toMatchObject({ size: 5, reason: 'must not contain a backslash' });
    }
    expect(await storage.list('')).toMatchObject({ items: [{ key: 'a' }, { key: 'd' }, { key: 'e' }] });
  });

  it('s3: a key with a ".." segment is reported with its size and etag', async () => {
    const client = makeTestS3Client(proxy.endpoint);
    const storage = createS3Storage({ bucket: 'b', prefix: 'p/', client });
    await storage.put('ok.pdf', 'x');
    const page = await storage.list('');
    expect(page.items.map((i) => i.key)).toEqual(['ok.pdf']);
    expect(page.rejected).toEqual([{ key: 'x/../escape.pdf', reason: 'must not contain "." or ".." segments', size: 7, etag: 'abc' }]);
    client.destroy();
  });
});
