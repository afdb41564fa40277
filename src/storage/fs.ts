/**
 * Local-folder storage driver. Key 'a/b/c.json' is the file `<root>/a/b/c.json`.
 *
 * - Writes are atomic: the body goes to a temp file in the destination folder
 *   (`.<name>.<pid>.<random>.tmp`), is fsynced, then renamed over the destination; the folder is
 *   fsynced after the rename (best effort). A reader sees the old file or the new one.
 * - `putIfAbsent` writes the temp file, then hard-links it to the destination: link() fails with
 *   EEXIST when the destination exists, so exactly one of several concurrent callers wins. It needs
 *   a filesystem with hard links (any local POSIX one; not some network/FUSE mounts).
 * - Temp files are never listed, also those left behind by a crash; a key whose file name looks
 *   like a temp file is rejected.
 * - `list` walks the folder tree in key order (UTF-8 byte order, like S3) and stops as soon as a
 *   page is full. The cursor is the last key returned. Only regular files are objects: symlinks,
 *   sockets etc. are skipped. File and folder names that are not safe keys (e.g. with a backslash)
 *   are left out of `items` and reported in `rejected`.
 * - etag is `<size>-<mtimeNs>-<inode>`, all decimal, from one stat() (no hashing). The inode is
 *   there because Linux file timestamps are coarse (one timer tick, ~4 ms): two same-size writes in
 *   the same tick would otherwise get the same etag. Every put makes a new inode (rename).
 * - `delete` leaves empty folders in place (removing them would race with a concurrent put).
 * - `contentType` is not stored (a file has none).
 * - `getRange` reads at an offset from one open handle. The handle pins the file (its inode): a put
 *   renames a new file over the key and never changes the bytes being read. `ifMatch` is compared
 *   with the etag of the open file, and the file is stat'ed again after the read, so that an
 *   in-place write by another program during the read (size or mtime moves) is refused as well.
 */
import { randomBytes } from 'node:crypto';
import type { BigIntStats, Dirent, Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  ConfigError,
  CriticalError,
  InputChangedError,
  InputError,
  keepTypedOr,
  type NewsprintError,
  RetryableError,
  errorMessage,
} from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { assertSafeKey, assertSafePrefix, compareKeys, unsafeKeyReason } from './keys.js';
import { assertRange, rangePastEnd } from './ranges.js';
import type { ByteRange, ListOptions, ListPage, ObjectInfo, RangeOptions, RangeRead, RejectedKey, Storage } from './types.js';

export interface FsStorageOptions {
  /** Folder that holds the objects; created on the first write. Relative paths resolve against cwd. */
  readonly root: string;
  /** Receives a warning for each file skipped by `list` because its name is not a safe key. */
  readonly logger?: Logger;
}

/** Names of our temp files: `.<name>.<pid>.<hex>.tmp`. */
const TEMP_FILE = /^\..*\.\d+\.[0-9a-f]+\.tmp$/;
const DEFAULT_LIMIT = 1000;

export function createFsStorage(options: FsStorageOptions): Storage {
  if (typeof options?.root !== 'string' || options.root === '') {
    throw new ConfigError('createFsStorage: `root` must be a non-empty path');
  }
  const root = path.resolve(options.root);
  const logger = options.logger ?? silentLogger;

  const fileOf = (key: string): string => {
    assertSafeKey(key);
    const segments = key.split('/');
    if (TEMP_FILE.test(segments[segments.length - 1] ?? '')) {
      throw new ConfigError(
        `Invalid storage key ${JSON.stringify(key)}: the name is reserved for temp files (.*.<pid>.<hex>.tmp)`,
      );
    }
    return path.join(root, ...segments);
  };

  const infoOf = (key: string, st: BigIntStats): ObjectInfo => ({
    key,
    size: Number(st.size),
    etag: `${st.size}-${st.mtimeNs}-${st.ino}`,
    lastModified: st.mtime,
  });

  const statFile = async (file: string): Promise<BigIntStats | null> => {
    try {
      const st = await fsp.stat(file, { bigint: true });
      return st.isFile() ? st : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  };

  /** Depth-first walk in key order; returns true once `out` holds `want` items. */
  const walk = async (
    dirKey: string,
    namePrefix: string,
    cursor: string | undefined,
    want: number,
    out: ObjectInfo[],
    rejected: RejectedKey[],
  ): Promise<boolean> => {
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dirKey === '' ? root : path.join(root, ...dirKey.split('/')), {
        withFileTypes: true,
      });
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
    // All keys under folder X start with 'X/', so sorting folders as 'X/' among file names gives
    // key order for the whole tree.
    const sorted = entries
      .filter((e) => e.name.startsWith(namePrefix) && (e.isDirectory() || e.isFile()))
      .map((e) => ({ entry: e, sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
      .sort((a, b) => compareKeys(a.sortKey, b.sortKey));

    for (const { entry } of sorted) {
      const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      if (entry.isFile() && TEMP_FILE.test(entry.name)) continue;
      const problem = unsafeKeyReason(key);
      if (entry.isDirectory()) {
        const below = `${key}/`;
        // Skip a folder whose keys all sort before the cursor.
        if (cursor !== undefined && compareKeys(below, cursor) < 0 && !cursor.startsWith(below)) {
          continue;
        }
        if (problem !== null) {
          logger.warn('fs storage: skipping a folder whose name is not a safe key', { root, key });
          rejected.push({ key: below, reason: problem });
          continue;
        }
        if (await walk(key, '', cursor, want, out, rejected)) return true;
        continue;
      }
      if (cursor !== undefined && compareKeys(key, cursor) <= 0) continue;
      if (problem !== null) {
        logger.warn('fs storage: skipping a file whose name is not a safe key', { root, key });
        const st = await fsp.stat(path.join(root, ...key.split('/')), { bigint: true }).catch(() => null);
        rejected.push({ key, reason: problem, ...(st?.isFile() ? { size: Number(st.size), etag: infoOf(key, st).etag } : {}) });
        continue;
      }
      const st = await statFile(path.join(root, ...key.split('/')));
      if (st === null) continue; // deleted since readdir
      out.push(infoOf(key, st));
      if (out.length >= want) return true;
    }
    return false;
  };

  return {
    location: pathToFileURL(root).href,

    async get(key) {
      const file = fileOf(key);
      try {
        const buf = await fsp.readFile(file);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (err) {
        if (isMissing(err)) return null;
        throw fsError(err, 'get', key);
      }
    },

    async getRange(key: string, range: ByteRange, rangeOptions: RangeOptions = {}): Promise<RangeRead | null> {
      const file = fileOf(key);
      assertRange(range);
      let handle: fsp.FileHandle;
      try {
        handle = await fsp.open(file, 'r');
      } catch (err) {
        if (isMissing(err)) return null;
        throw fsError(err, 'getRange', key);
      }
      try {
        const st = await handle.stat({ bigint: true });
        if (!st.isFile()) return null; // a folder names no object (as in `get`)
        const before = infoOf(key, st);
        const changed = (etag: string | undefined): InputChangedError =>
          new InputChangedError(`${file} is not the version asked for (etag ${String(etag)}, asked ${String(rangeOptions.ifMatch)})`, { stage: 'storage' });
        if (rangeOptions.ifMatch !== undefined && before.etag !== rangeOptions.ifMatch) throw changed(before.etag);
        if (range.start >= before.size) throw rangePastEnd(file, range, before.size);
        const bytes = new Uint8Array(Math.min(range.end, before.size) - range.start);
        for (let done = 0; done < bytes.length; ) {
          const { bytesRead } = await handle.read(bytes, done, bytes.length - done, range.start + done);
          if (bytesRead === 0) throw changed('shorter than its size');
          done += bytesRead;
        }
        const after = infoOf(key, await handle.stat({ bigint: true }));
        if (after.etag !== before.etag) throw changed(after.etag);
        return { bytes, size: before.size, ...(before.etag !== undefined ? { etag: before.etag } : {}) };
      } catch (err) {
        throw fsError(err, 'getRange', key);
      } finally {
        await handle.close().catch(() => {});
      }
    },

    async put(key, body) {
      const file = fileOf(key);
      try {
        const temp = await writeTemp(file, body);
        try {
          await fsp.rename(temp, file);
        } catch (err) {
          await fsp.rm(temp, { force: true });
          throw err;
        }
        await syncDir(path.dirname(file));
      } catch (err) {
        throw fsError(err, 'put', key);
      }
    },

    async putIfAbsent(key, body) {
      const file = fileOf(key);
      try {
        // Cheap early answer; link() below is what decides under concurrency.
        const existing = await lstatOrNull(file);
        if (existing?.isDirectory()) {
          throw Object.assign(new Error('a folder has this name'), { code: 'EISDIR' });
        }
        if (existing !== null) return false;
        const temp = await writeTemp(file, body);
        try {
          await fsp.link(temp, file);
        } catch (err) {
          if (errCode(err) === 'EEXIST') return false;
          throw err;
        } finally {
          await fsp.rm(temp, { force: true });
        }
        await syncDir(path.dirname(file));
        return true;
      } catch (err) {
        throw fsError(err, 'putIfAbsent', key);
      }
    },

    async head(key) {
      const file = fileOf(key);
      try {
        const st = await statFile(file);
        return st === null ? null : infoOf(key, st);
      } catch (err) {
        throw fsError(err, 'head', key);
      }
    },

    async list(prefix, options: ListOptions = {}): Promise<ListPage> {
      assertSafePrefix(prefix);
      const limit = checkLimit(options.limit);
      const slash = prefix.lastIndexOf('/');
      const dirKey = slash < 0 ? '' : prefix.slice(0, slash);
      const namePrefix = prefix.slice(slash + 1);
      const out: ObjectInfo[] = [];
      const rejected: RejectedKey[] = [];
      try {
        await walk(dirKey, namePrefix, options.cursor, limit + 1, out, rejected);
      } catch (err) {
        throw fsError(err, 'list', prefix);
      }
      if (out.length <= limit) return { items: out, ...(rejected.length > 0 ? { rejected } : {}) };
      const items = out.slice(0, limit);
      const cursor = items[items.length - 1]?.key ?? '';
      // Names past the cursor come again on the next page: report each once.
      const before = rejected.filter((r) => compareKeys(r.key, cursor) < 0);
      return { items, cursor, ...(before.length > 0 ? { rejected: before } : {}) };
    },

    async delete(key) {
      const file = fileOf(key);
      try {
        // unlink, not rm: a folder at that path is no object and is left alone (EISDIR).
        await fsp.unlink(file);
      } catch (err) {
        if (isMissing(err)) return;
        throw fsError(err, 'delete', key);
      }
    },

    async dispose() {},
  };
}

async function writeTemp(file: string, body: Uint8Array | string): Promise<string> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const temp = path.join(dir, tempName(path.basename(file)));
  const handle = await fsp.open(temp, 'wx', 0o666);
  try {
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await fsp.rm(temp, { force: true });
    throw err;
  }
  return temp;
}

function tempName(name: string): string {
  // Keep the temp name well under NAME_MAX (255 bytes) whatever the destination's length.
  const short = Array.from(name).slice(0, 40).join('');
  return `.${short}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Makes a rename/link durable. Not every platform lets a folder be fsynced: ignore failures. */
async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => {});
  }
}

async function lstatOrNull(file: string): Promise<Stats | null> {
  try {
    return await fsp.lstat(file);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ConfigError(`list limit must be an integer >= 1, got ${String(limit)}`);
  }
  return limit;
}

function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The path names no file: missing, a file where a folder was expected, or a folder. */
function isMissing(err: unknown): boolean {
  const code = errCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

const CRITICAL_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);
const RETRYABLE_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EINTR']);

/**
 * No access, read-only or full disk stop the run; running out of file handles may pass; anything
 * else (e.g. key 'a/b' while 'a' is a file) concerns this one object.
 */
function fsError(err: unknown, op: string, key: string): NewsprintError {
  return keepTypedOr(err, (untyped) => fsFault(untyped, op, key));
}

function fsFault(err: unknown, op: string, key: string): NewsprintError {
  const message = `fs storage ${op} ${JSON.stringify(key)} failed: ${errorMessage(err)}`;
  const code = errCode(err);
  const options = { cause: err, stage: 'storage' } as const;
  if (code !== undefined && CRITICAL_CODES.has(code)) return new CriticalError(message, options);
  if (code !== undefined && RETRYABLE_CODES.has(code)) return new RetryableError(message, options);
  return new InputError(message, options);
}
