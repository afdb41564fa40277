import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type ErrorJson } from '../../src/output/types.js';
import { schemaUrl, validateArticle, validateDocument, validateError, type SchemaName } from '../../src/output/validate.js';
import { KEY_ORDER, serialiseArticleFile, serialiseDocument, serialiseError } from '../../src/stages/publish/writer.js';
import { sampleDocument } from './sample-document.js';

interface ObjectSchema {
  properties: Record<string, unknown>;
  required: string[];
  additionalProperties: boolean;
  definitions: Record<string, ObjectSchema>;
}

const loadSchema = (name: SchemaName): ObjectSchema =>
  JSON.parse(readFileSync(schemaUrl(name), 'utf8')) as ObjectSchema;

/** Deep copy of the sample with one change made by `edit`. */
function broken(edit: (doc: Record<string, any>) => void): unknown {
  const doc = structuredClone(sampleDocument()) as Record<string, any>;
  edit(doc);
  return doc;
}

const sampleError = (): ErrorJson => ({
  schemaVersion: SCHEMA_VERSION,
  documentId: 'daily-2023-12-02-p2',
  source: { uri: 's3://papers/in/daily-2023-12-02-p2.tif' },
  stage: 'recognise',
  reason: 'worker timed out after 120 s',
  fault: 'engine',
  attempts: 3,
  givenUp: true,
  pipeline: { version: '0.1.0', revision: 1, fingerprint: 'c0ffee'.padEnd(64, '0') },
  failedAt: '2023-12-02T08:15:30.123Z',
});

describe('document schema', () => {
  it('accepts a realistic document, as built and as written', () => {
    const doc = sampleDocument();
    expect(validateDocument(doc)).toEqual({ ok: true, errors: [] });
    expect(validateDocument(JSON.parse(serialiseDocument(doc)))).toEqual({ ok: true, errors: [] });
  });

  it('accepts a document with no pages and no articles', () => {
    expect(validateDocument({ ...sampleDocument(), pages: [], articles: [] }).ok).toBe(true);
  });

  it.each([
    ['a missing top-level field', (d: Record<string, any>) => delete d.pipeline, "(root) must have required property 'pipeline'"],
    ['a missing article field', (d: Record<string, any>) => delete d.articles[0].confidence, "/articles/0 must have required property 'confidence'"],
    ['a string for a number', (d: Record<string, any>) => (d.pages[0].dpi = '300'), '/pages/0/dpi must be number'],
    ['a float page number', (d: Record<string, any>) => (d.articles[1].page = 1.5), '/articles/1/page must be integer'],
    ['an extra top-level property', (d: Record<string, any>) => (d.extra = 1), '(root) must NOT have additional properties: extra'],
    ['an extra nested property', (d: Record<string, any>) => (d.pages[0].blocks[0].lines[0].font = 'song'), '/pages/0/blocks/0/lines/0 must NOT have additional properties: font'],
    ['a bbox of 3 numbers', (d: Record<string, any>) => (d.articles[0].bbox = [1, 2, 3]), '/articles/0/bbox must NOT have fewer than 4 items'],
    ['a negative bbox value', (d: Record<string, any>) => (d.pages[0].blocks[1].bbox[0] = -1), '/pages/0/blocks/1/bbox/0 must be >= 0'],
    ['a fractional bbox value', (d: Record<string, any>) => (d.pages[0].furniture[0].bbox[2] = 10.5), '/pages/0/furniture/0/bbox/2 must be integer'],
    ['a confidence above 1', (d: Record<string, any>) => (d.articles[0].confidence = 91), '/articles/0/confidence must be <= 1'],
    ['an unknown block type', (d: Record<string, any>) => (d.pages[0].blocks[0].type = 'advert'), '/pages/0/blocks/0/type must be equal to one of the allowed values'],
    ['an unknown article kind', (d: Record<string, any>) => (d.articles[0].kind = 'ad'), '/articles/0/kind must be equal to one of the allowed values'],
    ['an unknown text source', (d: Record<string, any>) => (d.pages[0].textSource = 'hocr'), '/pages/0/textSource must be equal to one of the allowed values'],
    ['an unknown furniture role', (d: Record<string, any>) => (d.pages[0].furniture[1].role = 'weather'), '/pages/0/furniture/1/role must be equal to one of the allowed values'],
    ['another schema version', (d: Record<string, any>) => (d.schemaVersion = '2.0.0'), '/schemaVersion must be equal to constant'],
    ['a document id with a slash', (d: Record<string, any>) => (d.documentId = 'a/b'), '/documentId must match pattern'],
    ['a document id of ..', (d: Record<string, any>) => (d.documentId = '..'), '/documentId must match pattern'],
    ['an article with no pages', (d: Record<string, any>) => (d.articles[0].pages = []), '/articles/0/pages must NOT have fewer than 1 items'],
    ['a bad sha256', (d: Record<string, any>) => (d.source.sha256 = 'ABC'), '/source/sha256 must match pattern'],
    ['an object parameter', (d: Record<string, any>) => (d.pipeline.parameters.crop = { x: 1 }), '/pipeline/parameters/crop must be string,number,boolean'],
  ])('rejects %s', (_name, edit, message) => {
    const result = validateDocument(broken(edit));
    expect(result.ok).toBe(false);
    expect(result.errors.some((e) => e.startsWith(message))).toBe(true);
  });
});

describe('article schema', () => {
  it('accepts every article file the writer makes', () => {
    const doc = sampleDocument();
    for (const a of doc.articles) {
      expect(validateArticle(JSON.parse(serialiseArticleFile(doc, a)))).toEqual({ ok: true, errors: [] });
    }
  });

  it('rejects an article file without its document id or with a whole source', () => {
    const doc = sampleDocument();
    const file = JSON.parse(serialiseArticleFile(doc, doc.articles[0]!)) as Record<string, unknown>;
    expect(validateArticle({ ...file, documentId: undefined }).ok).toBe(false);
    const result = validateArticle({ ...file, source: doc.source });
    expect(result.errors).toContain('/source must NOT have additional properties: bytes');
  });
});

describe('error schema', () => {
  it('accepts an error, with and without source details', () => {
    expect(validateError(sampleError())).toEqual({ ok: true, errors: [] });
    const full = { ...sampleError(), source: { uri: 'file:///in/x.pdf', bytes: 0, sha256: 'a'.repeat(64) } };
    expect(validateError(JSON.parse(serialiseError(full)))).toEqual({ ok: true, errors: [] });
  });

  it('rejects a missing reason, zero attempts, a local time and extra fields', () => {
    const { reason: _reason, ...noReason } = sampleError();
    expect(validateError(noReason).errors).toContain("(root) must have required property 'reason'");
    expect(validateError({ ...sampleError(), attempts: 0 }).errors).toContain('/attempts must be >= 1');
    expect(validateError({ ...sampleError(), failedAt: '2023-12-02 08:15' }).errors[0]).toMatch(/^\/failedAt must match/);
    expect(validateError({ ...sampleError(), stack: 'Error: …' }).errors).toContain(
      '(root) must NOT have additional properties: stack',
    );
  });
});

/** The schemas and the TypeScript types must list the same fields; these catch drift between them. */
describe('schema and types agree', () => {
  const document = loadSchema('document');
  const article = loadSchema('article');
  const error = loadSchema('error');
  const defs = document.definitions;
  const optional = new Set(['etag', 'writingMode', 'printedPage', 'section', 'headline', 'subheadline', 'byline', 'continuedOn', 'continuedFrom', 'parts', 'raster', 'revision', 'fingerprint']);
  // Added to error.json later: files written before them stay valid.
  const optionalInError = new Set(['fault', 'givenUp', 'pipeline']);
  // A page's raster provenance: only its path is always there (ErrorJson's `reason` is required).
  const optionalInRaster = new Set(['objects', 'reason']);
  // A page's engine: OCR pages only, and added in schema 1.1.0 (pipeline.engine stays required).
  const optionalInPage = new Set([...optional, 'engine']);

  it.each([
    ['document', document, KEY_ORDER.document],
    ['source', defs['source']!, KEY_ORDER.source],
    ['pipeline', defs['pipeline']!, KEY_ORDER.pipeline],
    ['engine', defs['pipeline']!.properties['engine'] as ObjectSchema, KEY_ORDER.engine],
    ['page', defs['page']!, KEY_ORDER.page],
    ['raster', defs['raster']!, KEY_ORDER.raster],
    ['block', defs['block']!, KEY_ORDER.block],
    ['line', defs['line']!, KEY_ORDER.line],
    ['furniture', defs['furniture']!, KEY_ORDER.furniture],
    ['article', defs['article']!, KEY_ORDER.article],
    ['error', error, KEY_ORDER.error],
  ])('%s: same fields, same order, same required ones, nothing else allowed', (name, schema, keys) => {
    expect(Object.keys(schema.properties)).toEqual(keys);
    const optionalHere = name === 'raster' ? optionalInRaster : name === 'page' ? optionalInPage : optional;
    expect(schema.required).toEqual(keys.filter((k) => !optionalHere.has(k) && !(schema === error && optionalInError.has(k))));
    expect(schema.additionalProperties).toBe(false);
  });

  it('article file = document/source/version + the article definition', () => {
    expect(Object.keys(article.properties)).toEqual(['schemaVersion', 'documentId', 'source', ...KEY_ORDER.article]);
    for (const key of KEY_ORDER.article) expect(article.properties[key]).toEqual(defs['article']!.properties[key]);
    for (const [name, def] of Object.entries(article.definitions)) expect(def).toEqual(defs[name]);
  });

  it('error source lists the same fields as ErrorJson', () => {
    const source = error.properties['source'] as ObjectSchema;
    expect(Object.keys(source.properties)).toEqual(KEY_ORDER.errorSource);
    expect(source.required).toEqual(['uri']);
  });

  it('every schema pins SCHEMA_VERSION', () => {
    for (const schema of [document, article, error]) {
      expect(schema.properties['schemaVersion']).toMatchObject({ const: SCHEMA_VERSION });
    }
  });

  it('every property is described', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
      for (const [key, prop] of Object.entries(props ?? {})) {
        const described = typeof prop['description'] === 'string' || typeof prop['$ref'] === 'string';
        if (!described) undocumented.push(`${path}/${key}`);
        walk(prop, `${path}/${key}`);
      }
      for (const [key, def] of Object.entries((node as { definitions?: object }).definitions ?? {})) {
        walk(def, `${path}#${key}`);
      }
    };
    for (const name of ['document', 'article', 'error'] as const) walk(loadSchema(name), name);
    expect(undocumented).toEqual([]);
  });
});
