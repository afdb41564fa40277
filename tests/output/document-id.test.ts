import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MAX_DOCUMENT_ID_LENGTH,
  documentIdFor,
  findDocumentIdCollisions,
  isSafeId,
} from '../../src/output/document-id.js';

const hash8 = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8);

describe('documentIdFor', () => {
  it.each([
    ['daily-2023-12-02-p1.pdf', 'daily-2023-12-02-p1'],
    ['daily-2023-12-02-p2.tif', 'daily-2023-12-02-p2'],
    ['Scan_001.TIFF', 'Scan_001'],
    ['archive.tar.gz', 'archive.tar'],
    ['no-extension', 'no-extension'],
    ['v1.2_final.pdf', 'v1.2_final'],
  ])('keeps a plain name: %s → %s', (key, id) => {
    expect(documentIdFor(key)).toBe(id);
  });

  it.each([
    ['2023/12/02/p1.pdf', '2023__12__02__p1'],
    ['papers/daily/p1.pdf', 'papers__daily__p1'],
    ['a.b/c.pdf', 'a.b__c'],
  ])('maps nested keys with __: %s → %s', (key, id) => {
    expect(documentIdFor(key)).toBe(id);
  });

  it('replaces spaces and adds a hash', () => {
    expect(documentIdFor('front page 1.pdf')).toBe(`front-page-1-${hash8('front page 1.pdf')}`);
  });

  it('replaces Chinese characters, keeps the ASCII left and adds a hash', () => {
    expect(documentIdFor('大同日报/2023年12月02日 第1版.pdf')).toBe(
      `2023-12-02-1-${hash8('大同日报/2023年12月02日 第1版.pdf')}`,
    );
  });

  it('is the hash alone when nothing readable is left', () => {
    expect(documentIdFor('大同日报.pdf')).toBe(hash8('大同日报.pdf'));
    expect(documentIdFor('')).toBe(hash8(''));
    expect(documentIdFor('.pdf')).toBe(hash8('.pdf'));
  });

  it.each(['..', '../..', '../etc/passwd', 'a/../../b.pdf', './a.pdf', '/abs/a.pdf', 'a//b.pdf', '.hidden.pdf', '...'])(
    'never returns a dangerous id for %j',
    (key) => {
      const id = documentIdFor(key);
      expect(isSafeId(id)).toBe(true);
      expect(id).not.toMatch(/^\./);
      expect(id).not.toContain('/');
      expect(id).toMatch(new RegExp(`${hash8(key)}$`));
    },
  );

  it('tells apart keys that would read alike', () => {
    const pairs: [string, string][] = [
      ['a b.pdf', 'a-b.pdf'],
      ['a/b.pdf', 'a__b.pdf'],
      ['a_/b.pdf', 'a/_b.pdf'],
      ['a/b.pdf', 'a\\b.pdf'],
      ['./a.pdf', 'a.pdf'],
      ['a..pdf', 'a.pdf'],
      ['报纸1.pdf', '报刊1.pdf'],
    ];
    for (const [x, y] of pairs) expect(documentIdFor(x), `${x} vs ${y}`).not.toBe(documentIdFor(y));
  });

  it('cuts long keys to the limit and keeps them apart', () => {
    const long = `${'section/'.repeat(20)}page.pdf`;
    const other = `${'section/'.repeat(21)}page.pdf`;
    const id = documentIdFor(long);
    expect(id.length).toBeLessThanOrEqual(MAX_DOCUMENT_ID_LENGTH);
    expect(isSafeId(id)).toBe(true);
    expect(id.endsWith(`-${hash8(long)}`)).toBe(true);
    expect(documentIdFor(other)).not.toBe(id);
    const exact = `${'x'.repeat(MAX_DOCUMENT_ID_LENGTH)}.pdf`;
    expect(documentIdFor(exact)).toBe('x'.repeat(MAX_DOCUMENT_ID_LENGTH));
    expect(documentIdFor(`x${exact}`)).toHaveLength(MAX_DOCUMENT_ID_LENGTH);
  });

  it('is deterministic', () => {
    for (const key of ['daily.pdf', '大同日报 p1.pdf', '../x', 'a/b/c.tif']) {
      expect(documentIdFor(key)).toBe(documentIdFor(key));
    }
  });

  it('always returns a safe id', () => {
    const keys = ['a', 'A b/C d.e f', '-x.pdf', '_x_.pdf', 'a/./b', ' ', '\n', 'é.pdf', '😀.png', 'x.', 'x..'];
    for (const key of keys) expect(isSafeId(documentIdFor(key)), key).toBe(true);
  });
});

describe('findDocumentIdCollisions', () => {
  it('finds keys that differ only in extension', () => {
    const collisions = findDocumentIdCollisions(['a.pdf', 'a.tif', 'b.pdf', 'dir/a.pdf', 'a.pdf']);
    expect([...collisions]).toEqual([['a', ['a.pdf', 'a.tif']]]);
  });

  it('is empty when ids are distinct', () => {
    expect(findDocumentIdCollisions(['a b.pdf', 'a-b.pdf', 'a/b.pdf', 'a__b.pdf']).size).toBe(0);
  });
});
