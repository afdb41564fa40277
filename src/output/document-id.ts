/**
 * Document ids: the output folder name of an input, derived from its key relative to the input root.
 *
 * A key that is already a clean name keeps a readable id: `2023/12/daily-p1.pdf` → `2023__12__daily-p1`.
 * Anything that had to change beyond dropping the extension and mapping `/` to `__` (spaces, Chinese,
 * `.`/`..` segments, stray underscores, leading dots, over-long names) gets `-` and the first 8 hex
 * digits of sha256(key) appended, so two different keys do not share an id.
 *
 * Left to the caller: two keys that differ only in their extension (`a.pdf`, `a.tif`) map to the same id;
 * `findDocumentIdCollisions` finds them in a listing.
 */
import { createHash } from 'node:crypto';

/** Longest id returned; ids are single path segments in every store. */
export const MAX_DOCUMENT_ID_LENGTH = 120;

const SEPARATOR = '__';
const HASH_LENGTH = 8;
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const UNSAFE_CHAR = /[^A-Za-z0-9._-]/gu;
const EXTENSION = /\.[A-Za-z0-9]{1,10}$/;

/** True when `id` can be used as one file or folder name: the shape every output id must have. */
export function isSafeId(id: string): boolean {
  return id.length <= MAX_DOCUMENT_ID_LENGTH && SAFE_ID.test(id);
}

/** Deterministic id of an input from its key (or file name) relative to the input root. */
export function documentIdFor(nameOrKey: string): string {
  let altered = false;
  const segments: string[] = [];
  for (const raw of nameOrKey.split('/')) {
    if (raw === '' || raw === '.' || raw === '..') {
      altered = true;
      continue;
    }
    const clean = raw.replace(UNSAFE_CHAR, '-');
    // '__' is the separator: a segment with an underscore at either end or a double underscore
    // could be confused with a path boundary ('a_/b' vs 'a/_b').
    if (clean !== raw || clean.startsWith('_') || clean.endsWith('_') || clean.includes(SEPARATOR)) {
      altered = true;
    }
    segments.push(clean);
  }

  const last = segments.length - 1;
  const lastSegment = segments[last];
  if (lastSegment !== undefined) {
    const stem = lastSegment.replace(EXTENSION, '');
    if (stem === '') altered = true;
    if (stem === '') segments.pop();
    else segments[last] = stem;
  }

  let id = segments.join(SEPARATOR);
  if (id.startsWith('.') || id.endsWith('.') || id.length > MAX_DOCUMENT_ID_LENGTH) altered = true;
  if (!altered && id !== '') return id;

  const hash = createHash('sha256').update(nameOrKey, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  id = id
    .replace(/-{2,}/g, '-')
    .slice(0, MAX_DOCUMENT_ID_LENGTH - HASH_LENGTH - 1)
    .replace(/^[-._]+|[-._]+$/g, '');
  return id === '' ? hash : `${id}-${hash}`;
}

/**
 * Groups of keys that map to the same id (keys differing only in extension, such as `a.pdf` and
 * `a.tif`), for the caller to refuse before a run rather than have one output overwrite another.
 */
export function findDocumentIdCollisions(keys: Iterable<string>): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const key of keys) {
    const id = documentIdFor(key);
    const group = byId.get(id);
    if (group === undefined) byId.set(id, [key]);
    else if (!group.includes(key)) group.push(key);
  }
  for (const [id, group] of byId) if (group.length < 2) byId.delete(id);
  return byId;
}
