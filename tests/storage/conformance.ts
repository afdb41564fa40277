/**
 * One behaviour for every Storage driver: each driver's test file calls `runStorageConformance`
 * with a factory that gives a fresh, empty storage per test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConfigError, InputChangedError, InputError } from '../../src/errors.js';
import { compareKeys } from '../../src/storage/keys.js';
import type { ObjectInfo, Storage } from '../../src/storage/types.js';

export interface StorageFixture {
  readonly storage: Storage;
  /**
   * Every name the backing store holds under this storage, temp files included, when the test can
   * see below the driver (fs: the files on disk). Used to check that no temp file is left behind.
   */
  readonly rawNames?: () => Promise<string[]>;
  readonly cleanup?: () => Promise<void>;
}

export interface ConformanceOptions {
  /**
   * The store lists in UTF-8 byte order even where a folder-like key competes with names that
   * sort before '/' ('a b', 'a-c' vs 'a/x'). AWS S3 does; s3rver walks its folders depth-first
   * instead, so for it such tests compare the set of keys only.
   */
  readonly strictListOrder: boolean;
}

const UNSAFE_KEYS = ['../x', '/abs', 'a//b', 'a\\b', '', 'a/../b', './a', 'a/', 'a\u0000b', 'a\nb'];

async function listAll(storage: Storage, prefix: string, limit?: number): Promise<ObjectInfo[]> {
  const all: ObjectInfo[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await storage.list(prefix, {
      ...(cursor !== undefined ? { cursor } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    if (limit !== undefined) expect(page.items.length).toBeLessThanOrEqual(limit);
    all.push(...page.items);
    if (page.cursor === undefined) return all;
    cursor = page.cursor;
  }
  throw new Error('list did not end after 1000 pages');
}

const text = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : new TextDecoder().decode(bytes);

export function runStorageConformance(
  name: string,
  factory: () => Promise<StorageFixture>,
  options: ConformanceOptions,
): void {
  describe(`Storage conformance: ${name}`, () => {
    let fixture: StorageFixture;
    let storage: Storage;
    /** Keys as listed, or sorted when the store's order is not checked (see strictListOrder). */
    const inListOrder = (keys: string[]): string[] =>
      options.strictListOrder ? keys : [...keys].sort(compareKeys);

    beforeEach(async () => {
      fixture = await factory();
      storage = fixture.storage;
    });

    afterEach(async () => {
      await storage.dispose();
      await fixture.cleanup?.();
    });

    it('has a location', () => {
      expect(storage.location).toMatch(/^(file|s3):\/\//);
    });

    it('round-trips binary content byte for byte', async () => {
      const body = new Uint8Array(256 * 4);
      for (let i = 0; i < body.length; i++) body[i] = i % 256;
      await storage.put('bin/all-bytes.bin', body, { contentType: 'application/octet-stream' });
      const got = await storage.get('bin/all-bytes.bin');
      expect(got).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(got ?? [])).toEqual(Buffer.from(body));
    });

    it('round-trips a UTF-8 string with Chinese text', async () => {
      const body = '{"title":"人民日报 第一版","body":"新华社北京电——今天。"}\n';
      await storage.put('text/zh.json', body, { contentType: 'application/json' });
      expect(text(await storage.get('text/zh.json'))).toBe(body);
      const info = await storage.head('text/zh.json');
      expect(info?.size).toBe(Buffer.byteLength(body, 'utf8'));
    });

    it('round-trips an empty object', async () => {
      await storage.put('empty', new Uint8Array(0));
      expect((await storage.get('empty'))?.byteLength).toBe(0);
      expect((await storage.head('empty'))?.size).toBe(0);
    });

    it('overwrites an object whole (a shorter body leaves nothing of the longer one)', async () => {
      await storage.put('over.txt', 'a much longer first version');
      const first = await storage.head('over.txt');
      await storage.put('over.txt', 'short');
      expect(text(await storage.get('over.txt'))).toBe('short');
      const second = await storage.head('over.txt');
      expect(second?.size).toBe(5);
      expect(second?.etag).toBeTruthy();
      expect(second?.etag).not.toBe(first?.etag);
    });

    it('answers null for a missing object (get and head)', async () => {
      expect(await storage.get('nope/missing.json')).toBeNull();
      expect(await storage.head('nope/missing.json')).toBeNull();
      await storage.put('dir/file', 'x');
      // 'dir' is a "folder", not an object
      expect(await storage.get('dir')).toBeNull();
      expect(await storage.head('dir')).toBeNull();
    });

    it('head gives key, size, etag and lastModified', async () => {
      const before = Date.now();
      await storage.put('h/one.bin', new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
      const info = await storage.head('h/one.bin');
      expect(info).not.toBeNull();
      expect(info?.key).toBe('h/one.bin');
      expect(info?.size).toBe(7);
      expect(typeof info?.etag).toBe('string');
      expect(info?.etag).not.toMatch(/^"/);
      expect(info?.lastModified).toBeInstanceOf(Date);
      // second resolution on some stores, and a little clock slack
      expect(info?.lastModified?.getTime()).toBeGreaterThan(before - 5_000);
      const again = await storage.head('h/one.bin');
      expect(again?.etag).toBe(info?.etag);
    });

    it('lists in lexicographic (UTF-8 byte) order with size and etag', async () => {
      // '-' < '/' < '0': a directory walk that visits folders first (or last) gets this wrong.
      // 'ｚ' (U+FF5A) sorts before '𠀀' (U+20000) in UTF-8, after it in UTF-16 (JS `<`).
      const keys = ['b', 'a0', 'a/b/c', 'a-c', 'a/b-x', 'a/b0', 'a/a', 'A', 'z/中文', 'z/abc', 'a b', 'z/𠀀', 'z/ｚ'];
      for (const key of keys) await storage.put(key, `<${key}>`);
      const { items, cursor } = await storage.list('');
      expect(cursor).toBeUndefined();
      const expected = [...keys].sort(compareKeys);
      expect(inListOrder(items.map((i) => i.key))).toEqual(expected);
      expect(expected).toEqual([
        'A', 'a b', 'a-c', 'a/a', 'a/b-x', 'a/b/c', 'a/b0', 'a0', 'b', 'z/abc', 'z/中文', 'z/ｚ', 'z/𠀀',
      ]);
      if (options.strictListOrder) {
        // Cursors must resume across folder boundaries too (s3rver repeats and skips keys here).
        expect((await listAll(storage, '', 2)).map((i) => i.key)).toEqual(expected);
        expect((await listAll(storage, 'a', 3)).map((i) => i.key)).toEqual(
          expected.filter((k) => k.startsWith('a')),
        );
      }
      for (const item of items) {
        expect(item.size).toBe(Buffer.byteLength(`<${item.key}>`));
        expect(item.etag).toBeTruthy();
      }
    });

    it('lists only keys under a prefix (folder and partial-name prefixes)', async () => {
      const keys = [
        'pages/0001.json',
        'pages/0002.json',
        'pages/0010/x.json',
        'pages/0100.json',
        'pages-other/0001.json',
        'pages.json',
        'other/pages/0001.json',
      ];
      for (const key of keys) await storage.put(key, 'x');
      const keysOf = async (prefix: string) =>
        inListOrder((await listAll(storage, prefix)).map((i) => i.key));
      expect(await keysOf('pages/')).toEqual([
        'pages/0001.json',
        'pages/0002.json',
        'pages/0010/x.json',
        'pages/0100.json',
      ]);
      expect(await keysOf('pages/000')).toEqual(['pages/0001.json', 'pages/0002.json']);
      expect(await keysOf('pages/001')).toEqual(['pages/0010/x.json']);
      expect(await keysOf('pages')).toEqual([
        'pages-other/0001.json',
        'pages.json',
        'pages/0001.json',
        'pages/0002.json',
        'pages/0010/x.json',
        'pages/0100.json',
      ]);
      expect(await keysOf('missing/')).toEqual([]);
      expect(await keysOf('pages/0001.json/')).toEqual([]);
    });

    it('paginates with limit 2 and a cursor, without gaps or repeats', async () => {
      const keys = ['k/1', 'k/2', 'k/3/a', 'k/3/b', 'k/4', 'k/5', 'k/6', 'l/1'];
      for (const key of [...keys].reverse()) await storage.put(key, key);
      const first = await storage.list('k/', { limit: 2 });
      expect(first.items.map((i) => i.key)).toEqual(['k/1', 'k/2']);
      expect(typeof first.cursor).toBe('string');
      const all = await listAll(storage, 'k/', 2);
      expect(all.map((i) => i.key)).toEqual(keys.filter((k) => k.startsWith('k/')));
      const everything = await listAll(storage, '', 2);
      expect(everything.map((i) => i.key)).toEqual(keys);
    });

    it('lists an empty store as one empty page', async () => {
      expect(await storage.list('')).toEqual({ items: [] });
      expect(await storage.list('x/', { limit: 2 })).toEqual({ items: [] });
    });

    it('deletes idempotently', async () => {
      await storage.put('d/one', 'x');
      await storage.put('d/two', 'y');
      await storage.delete('d/one');
      expect(await storage.get('d/one')).toBeNull();
      expect(await storage.head('d/one')).toBeNull();
      await expect(storage.delete('d/one')).resolves.toBeUndefined();
      await expect(storage.delete('never/was')).resolves.toBeUndefined();
      expect((await storage.list('d/')).items.map((i) => i.key)).toEqual(['d/two']);
    });

    it('putIfAbsent creates once, then answers false and leaves the object alone', async () => {
      expect(await storage.putIfAbsent('lease/run.json', 'first')).toBe(true);
      expect(await storage.putIfAbsent('lease/run.json', 'second')).toBe(false);
      expect(text(await storage.get('lease/run.json'))).toBe('first');
      await storage.delete('lease/run.json');
      expect(await storage.putIfAbsent('lease/run.json', new Uint8Array([9]))).toBe(true);
      expect(await storage.get('lease/run.json')).toEqual(new Uint8Array([9]));
    });

    it('putIfAbsent has exactly one winner among concurrent callers', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => storage.putIfAbsent('race/once', `writer ${i}`)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(text(await storage.get('race/once'))).toBe(`writer ${winner}`);
    });

    it('rejects unsafe keys with ConfigError in every operation', async () => {
      for (const key of UNSAFE_KEYS) {
        await expect(storage.get(key), key).rejects.toBeInstanceOf(ConfigError);
        await expect(storage.head(key), key).rejects.toBeInstanceOf(ConfigError);
        await expect(storage.put(key, 'x'), key).rejects.toBeInstanceOf(ConfigError);
        await expect(storage.putIfAbsent(key, 'x'), key).rejects.toBeInstanceOf(ConfigError);
        await expect(storage.delete(key), key).rejects.toBeInstanceOf(ConfigError);
      }
      for (const prefix of ['../', '/abs', 'a//', 'a\\', 'a/../']) {
        await expect(storage.list(prefix), prefix).rejects.toBeInstanceOf(ConfigError);
      }
      await expect(storage.list('', { limit: 0 })).rejects.toBeInstanceOf(ConfigError);
      expect((await storage.list('')).items).toEqual([]);
    });

    it('handles keys with spaces, Chinese characters and punctuation', async () => {
      const keys = [
        '2024 年/第 1 版/头条 news.json',
        '人民日报/1949-10-01/第01版.pdf',
        'odd/name with (parens) & [brackets] + plus=eq,comma;semi#hash?q%25.txt',
        'emoji/𠀀-outside-bmp.txt',
      ];
      for (const key of keys) {
        await storage.put(key, `body of ${key}`);
        expect(text(await storage.get(key)), key).toBe(`body of ${key}`);
        expect((await storage.head(key))?.size, key).toBe(Buffer.byteLength(`body of ${key}`));
      }
      const listed = (await listAll(storage, '')).map((i) => i.key);
      expect(listed).toEqual([...keys].sort(compareKeys));
      expect((await storage.list('人民日报/')).items.map((i) => i.key)).toEqual([keys[1]]);
      expect((await storage.list('2024 年/第')).items.map((i) => i.key)).toEqual([keys[0]]);
      for (const key of keys) await storage.delete(key);
      expect((await storage.list('')).items).toEqual([]);
    });

    describe('getRange', () => {
      const body = new Uint8Array(1000);
      for (let i = 0; i < body.length; i++) body[i] = (i * 7) % 256;
      const getRange: NonNullable<Storage['getRange']> = (key, range, rangeOptions) => {
        if (!storage.getRange) throw new Error(`${name} serves no ranges`);
        return storage.getRange(key, range, rangeOptions);
      };

      it('reads a range in the middle, with the whole object\'s size and etag', async () => {
        await storage.put('r/body.bin', body);
        const head = await storage.head('r/body.bin');
        const got = await getRange('r/body.bin', { start: 100, end: 356 });
        expect(Buffer.from(got?.bytes ?? [])).toEqual(Buffer.from(body.subarray(100, 356)));
        expect(got?.size).toBe(1000);
        expect(got?.etag).toBe(head?.etag);
      });

      it('reads a range to the end, and clips one that runs past the end', async () => {
        await storage.put('r/body.bin', body);
        expect(Buffer.from((await getRange('r/body.bin', { start: 900, end: 1000 }))?.bytes ?? [])).toEqual(Buffer.from(body.subarray(900)));
        const past = await getRange('r/body.bin', { start: 990, end: 5000 });
        expect(Buffer.from(past?.bytes ?? [])).toEqual(Buffer.from(body.subarray(990)));
        expect(past?.size).toBe(1000);
      });

      it('refuses a range that starts past the end with an InputError', async () => {
        await storage.put('r/body.bin', body);
        await expect(getRange('r/body.bin', { start: 1000, end: 1010 })).rejects.toBeInstanceOf(InputError);
        await expect(getRange('r/body.bin', { start: 1000, end: 1010 })).rejects.toThrow(/past the end/);
      });

      it('refuses empty and invalid ranges with a ConfigError that says why', async () => {
        await storage.put('r/body.bin', body);
        for (const range of [{ start: 5, end: 5 }, { start: 10, end: 2 }, { start: -1, end: 4 }, { start: 0.5, end: 4 }, { start: 0, end: Number.NaN }]) {
          await expect(getRange('r/body.bin', range), JSON.stringify(range)).rejects.toBeInstanceOf(ConfigError);
          await expect(getRange('r/body.bin', range), JSON.stringify(range)).rejects.toThrow(/Invalid byte range/);
        }
        await expect(getRange('../x', { start: 0, end: 1 })).rejects.toBeInstanceOf(ConfigError);
      });

      it('answers null for a missing object, as get does', async () => {
        expect(await storage.get('r/missing.bin')).toBeNull();
        expect(await getRange('r/missing.bin', { start: 0, end: 10 })).toBeNull();
        expect(await getRange('r/missing.bin', { start: 0, end: 10 }, { ifMatch: 'some-etag' })).toBeNull();
      });

      it('reads with ifMatch while the object is unchanged, and refuses it once it changed', async () => {
        await storage.put('r/body.bin', body);
        const etag = (await storage.head('r/body.bin'))?.etag;
        expect(etag).toBeTruthy();
        const same = await getRange('r/body.bin', { start: 0, end: 10 }, { ifMatch: etag as string });
        expect(Buffer.from(same?.bytes ?? [])).toEqual(Buffer.from(body.subarray(0, 10)));
        await storage.put('r/body.bin', body.map((b) => 255 - b));
        const stale = getRange('r/body.bin', { start: 0, end: 10 }, { ifMatch: etag as string });
        await expect(stale).rejects.toBeInstanceOf(InputChangedError);
        // An input fault: the bytes asked for are gone, not a store to retry.
        await expect(getRange('r/body.bin', { start: 0, end: 10 }, { ifMatch: etag as string })).rejects.toMatchObject({ fault: 'input' });
      });
    });

    it('leaves no temp files visible after writes', async () => {
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => storage.put('t/same.json', `version ${i}`)),
        ...Array.from({ length: 5 }, (_, i) => storage.put(`t/${i}.json`, `file ${i}`)),
        storage.putIfAbsent('t/once.json', 'once'),
      ]);
      await storage.putIfAbsent('t/once.json', 'again');
      const expected = ['t/0.json', 't/1.json', 't/2.json', 't/3.json', 't/4.json', 't/once.json', 't/same.json'];
      expect((await storage.list('')).items.map((i) => i.key)).toEqual(expected);
      expect((await listAll(storage, '', 2)).map((i) => i.key)).toEqual(expected);
      expect(text(await storage.get('t/same.json'))).toMatch(/^version [0-4]$/);
      if (fixture.rawNames) {
        const raw = await fixture.rawNames();
        expect(raw.filter((n) => n.endsWith('.tmp'))).toEqual([]);
        expect(raw.sort(compareKeys)).toEqual(expected);
      }
    });
  });
}
