/**
 * Storage keys: relative, '/'-separated paths that mean the same thing on a local folder and in S3.
 *
 * A safe key is non-empty, does not start with '/', has no empty segment (so no '//' and no
 * trailing '/'), no '.' or '..' segment, no backslash, and no NUL or other control character.
 * These rules keep a key from escaping the fs driver's root and keep two different keys from
 * naming the same file ('a/./b' and 'a/b').
 */
import { ConfigError } from '../errors.js';

// C0 controls (incl. NUL), DEL, and C1 controls.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `key` is unsafe, or null when it is safe. */
function keyProblem(key: string, what: 'key' | 'prefix'): string | null {
  if (key.startsWith('/')) return 'must not start with "/"';
  if (key.includes('\\')) return 'must not contain a backslash';
  if (CONTROL_CHARS.test(key)) return 'must not contain NUL or control characters';
  const segments = key.split('/');
  // A prefix may end with '/' (a "folder"), so its last segment may be empty.
  const last = segments.length - 1;
  for (const [i, segment] of segments.entries()) {
    if (segment === '' && !(what === 'prefix' && i === last)) {
      return 'must not contain empty segments ("//", or a trailing "/")';
    }
    if (segment === '.' || segment === '..') return 'must not contain "." or ".." segments';
  }
  return null;
}

/** Why `key` is not a safe storage key, or null when it is one. */
export function unsafeKeyReason(key: string): string | null {
  if (typeof key !== 'string' || key === '') return 'must be a non-empty string';
  return keyProblem(key, 'key');
}

/** Throws ConfigError unless `key` is a safe storage key (see the module comment). */
export function assertSafeKey(key: string): void {
  if (typeof key !== 'string' || key === '') {
    throw new ConfigError(`Invalid storage key ${JSON.stringify(key)}: must be a non-empty string`);
  }
  const problem = keyProblem(key, 'key');
  if (problem !== null) {
    throw new ConfigError(`Invalid storage key ${JSON.stringify(key)}: ${problem}`);
  }
}

/**
 * Throws ConfigError unless `prefix` is a safe list prefix: '' (everything), a safe key, or a
 * safe key followed by '/'. A prefix may end in the middle of a segment ('pages/00').
 */
export function assertSafePrefix(prefix: string): void {
  if (typeof prefix !== 'string') {
    throw new ConfigError(`Invalid storage prefix ${JSON.stringify(prefix)}: must be a string`);
  }
  if (prefix === '') return;
  const problem = keyProblem(prefix, 'prefix');
  if (problem !== null) {
    throw new ConfigError(`Invalid storage prefix ${JSON.stringify(prefix)}: ${problem}`);
  }
}

/**
 * Joins key parts with '/'. Empty parts are skipped and one trailing '/' of a part is dropped, so
 * `joinKey('runs/', id, 'page-1.json')` and `joinKey('', 'a')` do what they look like. Anything
 * else unsafe (a leading '/', '..', '//' inside a part) is rejected with ConfigError.
 */
export function joinKey(...parts: readonly string[]): string {
  const kept: string[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') {
      throw new ConfigError(`Invalid storage key part ${JSON.stringify(part)}: must be a string`);
    }
    if (part === '') continue;
    kept.push(part.endsWith('/') ? part.slice(0, -1) : part);
  }
  const key = kept.join('/');
  assertSafeKey(key);
  return key;
}

/**
 * Orders keys the way S3 lists them: by UTF-8 bytes (the same as by code point). Plain `<` on JS
 * strings compares UTF-16 code units, which differs for characters outside the BMP.
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
