import { describe, expect, it } from 'vitest';
import { BugError, InputError } from '../../src/errors.js';
import { SCHEMA_VERSION, type DocumentJson, type ErrorJson } from '../../src/output/types.js';
import { validateArticle, validateDocument, validateError } from '../../src/output/validate.js';
import {
  readDocumentOutput,
  serialiseDocument,
  writeDocumentOutput,
  writeErrorOutput,
} from '../../src/stages/publish/writer.js';
import { MemoryStorage } from '../support/memory-storage.js';
import { sampleDocument } from './sample-document.js';

/** These tests are about the JSON files; the exports beside them are tested in tests/e2e/exports.test.ts. */
const JSON_ONLY = { formats: ['json'] } as const;

const ID = 'daily-2023-12-02-p1';

const errorFor = (documentId: string): ErrorJson => ({
  schemaVersion: SCHEMA_VERSION,
  documentId,
  source: { uri: `file:///in/${documentId}.pdf` },
  stage: 'layout',
  reason: 'no columns found',
  fault: 'bug',
  attempts: 1,
  failedAt: '2023-12-02T08:15:30.123Z',
});

describe('writeDocumentOutput', () => {
  it('writes every article file, then document.json last', async () => {
    const storage = new MemoryStorage();
    await writeDocumentOutput(storage, sampleDocument(), JSON_ONLY);

    const puts = storage.opKeys('put');
    expect(puts.at(-1)).toBe(`${ID}/document.json`);
    expect(puts.slice(0, -1).sort()).toEqual([`${ID}/articles/p1a1.json`, `${ID}/articles/p1a2.json`]);
    const lastPut = storage.ops.findLastIndex((o) => o.op === 'put');
    expect(storage.ops.slice(lastPut + 1).every((o) => o.op === 'delete')).toBe(true);
    expect(storage.contentType(`${ID}/document.json`)).toBe('application/json; charset=utf-8');
  });

  it('writes outputs that satisfy the schemas', async () => {
    const storage = new MemoryStorage();
    await writeDocumentOutput(storage, sampleDocument());
    expect(validateDocument(JSON.parse(storage.text(`${ID}/document.json`)!))).toEqual({ ok: true, errors: [] });
    for (const key of storage.keys().filter((k) => k.includes('/articles/'))) {
      const file = JSON.parse(storage.text(key)!) as Record<string, unknown>;
      expect(validateArticle(file)).toEqual({ ok: true, errors: [] });
      expect(file).toMatchObject({ documentId: ID, source: { uri: 'file:///data/in/daily-2023-12-02-p1.pdf' } });
    }
  });

  it('removes a stale error.json after success, not before', async () => {
    const storage = new MemoryStorage();
    await writeErrorOutput(storage, errorFor(ID));
    await writeDocumentOutput(storage, sampleDocument());

    expect(storage.keys()).not.toContain(`${ID}/error.json`);
    const ops = storage.ops.map((o) => `${o.op} ${o.key}`);
    expect(ops.indexOf(`delete ${ID}/error.json`)).toBeGreaterThan(ops.indexOf(`put ${ID}/document.json`));
  });

  it('removes article files of an earlier run after document.json, and only those', async () => {
    const storage = new MemoryStorage();
    const earlier = sampleDocument();
    earlier.articles.push({ ...earlier.articles[0]!, id: 'p1a9', order: 3 });
    await writeDocumentOutput(storage, earlier, JSON_ONLY);
    await storage.put('daily-2023-12-02-p10/articles/p1a9.json', '{}'); // another document sharing a prefix
    storage.ops.length = 0;

    await writeDocumentOutput(storage, sampleDocument(), JSON_ONLY);

    expect(storage.keys()).toEqual([
      'daily-2023-12-02-p1/articles/p1a1.json',
      'daily-2023-12-02-p1/articles/p1a2.json',
      'daily-2023-12-02-p1/document.json',
      'daily-2023-12-02-p10/articles/p1a9.json',
    ]);
    const ops = storage.ops.map((o) => `${o.op} ${o.key}`);
    expect(ops.indexOf(`delete ${ID}/articles/p1a9.json`)).toBeGreaterThan(ops.indexOf(`put ${ID}/document.json`));
  });

  it('pages through many stale files', async () => {
    const storage = new MemoryStorage();
    for (let i = 0; i < 2500; i++) await storage.put(`${ID}/articles/old${i}.json`, '{}');
    await writeDocumentOutput(storage, sampleDocument(), { concurrency: 3 });
    expect(storage.keys().filter((k) => k.includes('/articles/'))).toHaveLength(2);
  });

  it('serialises deterministically: type key order, 2-space indent, trailing newline', async () => {
    const doc = sampleDocument();
    // The same document built with its keys in another order, and an optional field set to undefined.
    const shuffled = JSON.parse(JSON.stringify(doc, Object.keys(flatKeys(doc)).sort().reverse())) as DocumentJson;
    shuffled.articles[1]!.headline = undefined;

    const text = serialiseDocument(doc);
    expect(serialiseDocument(shuffled)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe(`  "schemaVersion": "${SCHEMA_VERSION}",`);
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'schemaVersion',
      'documentId',
      'source',
      'pipeline',
      'pages',
      'articles',
    ]);
    const parsed = JSON.parse(text) as DocumentJson;
    expect(Object.keys(parsed.pipeline.parameters)).toEqual(['binarise', 'deskew', 'dpi', 'psm']);
    expect(Object.keys(parsed.articles[1]!)).not.toContain('headline');
    expect(text).toContain('大同日报'); // UTF-8, not \u escapes

    const a = new MemoryStorage();
    const b = new MemoryStorage();
    await writeDocumentOutput(a, doc);
    await writeDocumentOutput(b, shuffled);
    for (const key of a.keys()) expect(b.text(key)).toBe(a.text(key));
    expect(a.text(`${ID}/articles/p1a1.json`)!.split('\n').slice(1, 5)).toEqual([
      `  "schemaVersion": "${SCHEMA_VERSION}",`,
      `  "documentId": "${ID}",`,
      '  "source": {',
      '    "uri": "file:///data/in/daily-2023-12-02-p1.pdf"',
    ]);
  });

  it('drops fields that are not in the contract', () => {
    const doc = sampleDocument() as DocumentJson & { debug?: unknown };
    doc.debug = { timings: [1, 2] };
    expect(JSON.parse(serialiseDocument(doc))).not.toHaveProperty('debug');
  });

  it.each([
    ['a NaN confidence', (d: DocumentJson) => (d.articles[0]!.confidence = Number.NaN), /\/articles\/0\/confidence/],
    ['an unsafe article id', (d: DocumentJson) => (d.articles[0]!.id = '../x'), /article id "..\/x"/],
    ['a duplicate article id', (d: DocumentJson) => (d.articles[1]!.id = 'p1a1'), /p1a1 appears twice/],
    ['an unsafe document id', (d: DocumentJson) => (d.documentId = 'a/b'), /document id "a\/b"/],
  ])('refuses %s before writing anything', async (_name, edit, message) => {
    const storage = new MemoryStorage();
    const doc = sampleDocument();
    edit(doc);
    const result = writeDocumentOutput(storage, doc);
    await expect(result).rejects.toBeInstanceOf(BugError);
    await expect(result).rejects.toThrow(message);
    expect(storage.ops).toEqual([]);
  });

  it('refuses a bad concurrency', async () => {
    await expect(writeDocumentOutput(new MemoryStorage(), sampleDocument(), { concurrency: 0 })).rejects.toThrow(
      /concurrency must be an integer >= 1, got 0/,
    );
  });

  it('leaves document.json unwritten when an article put fails', async () => {
    const storage = new MemoryStorage();
    const put = storage.put.bind(storage);
    storage.put = async (key, body, options) => {
      if (key.endsWith('p1a2.json')) throw new Error('disk full');
      return put(key, body, options);
    };
    await expect(writeDocumentOutput(storage, sampleDocument())).rejects.toThrow('disk full');
    expect(storage.keys()).not.toContain(`${ID}/document.json`);
  });
});

describe('writeErrorOutput', () => {
  it('writes error.json only, valid against the schema', async () => {
    const storage = new MemoryStorage();
    await writeErrorOutput(storage, errorFor('scan-7'));
    expect(storage.ops).toEqual([{ op: 'put', key: 'scan-7/error.json' }]);
    expect(validateError(JSON.parse(storage.text('scan-7/error.json')!))).toEqual({ ok: true, errors: [] });
  });
});

describe('readDocumentOutput', () => {
  it('returns the document written, or null', async () => {
    const storage = new MemoryStorage();
    expect(await readDocumentOutput(storage, ID)).toBeNull();
    await writeDocumentOutput(storage, sampleDocument());
    expect(await readDocumentOutput(storage, ID)).toEqual(sampleDocument());
  });

  it('throws InputError on a corrupt document.json', async () => {
    const storage = new MemoryStorage();
    await storage.put(`${ID}/document.json`, '{"schemaVersion":');
    await expect(readDocumentOutput(storage, ID)).rejects.toBeInstanceOf(InputError);
  });
});

/** Every key name used anywhere in `value` (for a JSON.stringify replacer list). */
function flatKeys(value: unknown, into: Record<string, true> = {}): Record<string, true> {
  if (Array.isArray(value)) for (const v of value) flatKeys(v, into);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into[k] = true;
      flatKeys(v, into);
    }
  }
  return into;
}
