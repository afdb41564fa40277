import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConfigError, InputError } from '../../src/errors.js';
import { createFsStorage } from '../../src/storage/fs.js';
import type { Storage } from '../../src/storage/types.js';
import { runStorageConformance } from './conformance.js';

/** Every file below `root` as a '/'-separated relative path, temp files included. */
async function filesBelow(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

runStorageConformance(
  'fs',
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsprint-fs-'));
    // A root that does not exist yet: the driver creates it on the first write.
    const root = path.join(dir, 'store');
    return {
      storage: createFsStorage({ root }),
      rawNames: () => filesBelow(root),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { strictListOrder: true },
);

describe('fs storage specifics', () => {
  let dir: string;
  let root: string;
  let storage: Storage;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'newsprint-fs-'));
    root = path.join(dir, 'root');
    storage = createFsStorage({ root });
  });

  afterEach(async () => {
    await storage.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports its root as a file URL', () => {
    expect(storage.location).toBe(pathToFileURL(root).href);
  });

  it('lists a missing root as empty and does not create it', async () => {
    expect(await storage.list('')).toEqual({ items: [] });
    expect(await readdir(dir)).toEqual([]);
  });

  it('stores key a/b/c.json as the file <root>/a/b/c.json', async () => {
    await storage.put('a/b/c.json', '{}');
    expect(await filesBelow(root)).toEqual(['a/b/c.json']);
  });

  it('never lists temp files, also ones left behind by a crash', async () => {
    await storage.put('p/1.json', '1');
    await writeFile(path.join(root, 'p', '.1.json.4242.0123456789ab.tmp'), 'partial');
    await writeFile(path.join(root, '.x.1.ff.tmp'), 'partial');
    expect((await storage.list('')).items.map((i) => i.key)).toEqual(['p/1.json']);
  });

  it('rejects keys that look like its temp files', async () => {
    await expect(storage.put('p/.1.json.4242.0123456789ab.tmp', 'x')).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it('skips files whose names are not safe keys, and folders that are not objects', async () => {
    await mkdir(path.join(root, 'only-a-folder'), { recursive: true });
    await writeFile(path.join(root, 'back\\slash'), 'x');
    await storage.put('ok', 'x');
    expect((await storage.list('')).items.map((i) => i.key)).toEqual(['ok']);
  });

  it('etag changes on every overwrite, even with the same size', async () => {
    const etags = new Set<string>();
    for (let i = 0; i < 10; i++) {
      await storage.put('same-size', `v${i}`);
      etags.add((await storage.head('same-size'))?.etag ?? '');
    }
    expect(etags.size).toBe(10);
  });

  it('fails one object, not the run, when a key collides with a folder', async () => {
    await storage.put('a/b/c', 'x');
    await expect(storage.put('a/b', 'y')).rejects.toBeInstanceOf(InputError);
    await expect(storage.put('a/b/c/d', 'y')).rejects.toBeInstanceOf(InputError);
    await expect(storage.putIfAbsent('a/b', 'y')).rejects.toBeInstanceOf(InputError);
    await expect(storage.delete('a/b')).resolves.toBeUndefined();
    expect(await storage.get('a/b/c')).toEqual(new Uint8Array([0x78]));
  });

  it('resumes a listing from a cursor that was deleted meanwhile', async () => {
    for (const key of ['x/1', 'x/2', 'x/3', 'x/4']) await storage.put(key, key);
    const first = await storage.list('x/', { limit: 2 });
    expect(first.cursor).toBe('x/2');
    await storage.delete('x/2');
    const second = await storage.list('x/', { limit: 2, cursor: first.cursor ?? '' });
    expect(second.items.map((i) => i.key)).toEqual(['x/3', 'x/4']);
    expect(second.cursor).toBeUndefined();
  });
});
