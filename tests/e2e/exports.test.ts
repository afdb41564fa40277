/**
 * The exports of a real sample run (both samples, real OCR): every ALTO and METS validates with
 * xmllint against the official schemas, ALTO reads back as the JSON articles, the manifest keeps
 * the IIIF rules; the writer puts everything before document.json; bad --formats fail fast.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOptionsFromFlags } from '../../src/cli/export-flags.js';
import { createProgress } from '../../src/cli/progress.js';
import { ConfigError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import type { DocumentJson } from '../../src/output/types.js';
import { runIngest } from '../../src/pipeline/ingest.js';
import { writeDocumentOutput } from '../../src/stages/publish/index.js';
import { expectAltoMatchesJson } from '../output/read-alto.js';
import { iiifProblems } from '../output/iiif-rules.js';
import { sampleDocument } from '../output/sample-document.js';
import { ALTO_XSD, METS_XSD, xmllint } from '../output/xmllint.js';
import { MemoryStorage } from '../support/memory-storage.js';

const SAMPLES = new URL('../../samples', import.meta.url).pathname;
let out = '';
let documents: string[] = [];

describe('exports of the sample run', () => {
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'newsprint-exports-'));
    const report = await runIngest({
      inputs: [SAMPLES],
      out,
      workers: 2,
      exports: { formats: ['json', 'alto', 'mets', 'iiif'], iiifBase: 'https://iiif.example.org/np' },
      logger: silentLogger,
      progress: createProgress({ isTTY: false, logger: silentLogger }),
    });
    expect(report.ok).toBe(true);
    documents = report.documents.map((d) => d.documentId).sort();
  }, 240_000);

  it('every ALTO and METS validates against the official schemas (xmllint --nonet)', async () => {
    expect(documents).toHaveLength(2);
    let altoFiles = 0;
    for (const id of documents) {
      for (const file of await readdir(path.join(out, id, 'alto'))) {
        const result = xmllint(ALTO_XSD, { file: path.join(out, id, 'alto', file) });
        expect(result.messages).toMatch(/validates/u);
        altoFiles++;
      }
      expect(xmllint(METS_XSD, { file: path.join(out, id, 'mets.xml') }).messages).toMatch(/validates/u);
    }
    expect(altoFiles).toBe(2);
  });

  it('ALTO text in reading order equals the JSON articles, boxes agree', async () => {
    for (const id of documents) {
      const doc = JSON.parse(await readFile(path.join(out, id, 'document.json'), 'utf8')) as DocumentJson;
      const alto = new Map<number, string>();
      for (const page of doc.pages) alto.set(page.number, await readFile(path.join(out, id, 'alto', `page-${page.number}.xml`), 'utf8'));
      expectAltoMatchesJson(doc, alto);
    }
  });

  it('METS links every article part to existing ALTO blocks', async () => {
    for (const id of documents) {
      const mets = await readFile(path.join(out, id, 'mets.xml'), 'utf8');
      const alto = await readFile(path.join(out, id, 'alto', 'page-1.xml'), 'utf8');
      const begins = [...mets.matchAll(/BEGIN="([^"]+)" BETYPE="IDREF"/gu)].map((m) => m[1]);
      expect(begins.length).toBeGreaterThan(5);
      for (const b of begins) expect(alto).toContain(`ID="${b}"`);
    }
  });

  it('the manifest keeps the IIIF Presentation 3 rules, with an annotation per article', async () => {
    for (const id of documents) {
      const doc = JSON.parse(await readFile(path.join(out, id, 'document.json'), 'utf8')) as DocumentJson;
      const manifest = JSON.parse(await readFile(path.join(out, id, 'manifest.json'), 'utf8')) as { items: { annotations: { items: unknown[] }[] }[] };
      expect(iiifProblems(manifest)).toEqual([]);
      expect(manifest.items[0]!.annotations[0]!.items).toHaveLength(doc.articles.length);
    }
  });
});

describe('writing the exports', () => {
  it('puts articles and exports first and document.json last; json alone writes no export', async () => {
    const storage = new MemoryStorage();
    const doc = sampleDocument();
    await writeDocumentOutput(storage, doc, { formats: ['json', 'alto', 'mets', 'iiif'] });
    const puts = storage.opKeys('put');
    expect(puts.at(-1)).toBe(`${doc.documentId}/document.json`);
    expect(puts).toContain(`${doc.documentId}/alto/page-1.xml`);
    expect(puts.indexOf(`${doc.documentId}/mets.xml`)).toBeGreaterThan(puts.indexOf(`${doc.documentId}/alto/page-1.xml`));
    expect(puts).toContain(`${doc.documentId}/manifest.json`);

    const plain = new MemoryStorage();
    await writeDocumentOutput(plain, doc, { formats: ['json'] });
    expect(plain.keys().filter((k) => /alto|mets|manifest/u.test(k))).toEqual([]);
  });

  it('bad --formats and --iiif-base fail fast with a ConfigError', () => {
    expect(() => exportOptionsFromFlags({ formats: 'json,pdfa' })).toThrow(ConfigError);
    expect(() => exportOptionsFromFlags({ formats: '' })).toThrow(ConfigError);
    expect(() => exportOptionsFromFlags({ formats: 'alto,mets' })).toThrow(/must include json/u);
    expect(() => exportOptionsFromFlags({ 'iiif-base': 'ftp://x' })).toThrow(ConfigError);
    expect(exportOptionsFromFlags({ formats: 'json, IIIF' })).toEqual({ formats: ['json', 'iiif'] });
  });
});
