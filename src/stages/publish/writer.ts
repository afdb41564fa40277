/**
 * Writes a document's output to a Storage:
 *
 *   <documentId>/articles/<articleId>.json   every article, standalone (schema/article.schema.json)
 *   <documentId>/alto/page-N.xml, mets.xml, manifest.json   the exports chosen (./exports.ts)
 *   <documentId>/document.json               the whole document (schema/document.schema.json), LAST
 *   <documentId>/error.json                  only when the document failed (schema/error.schema.json)
 *
 * document.json is the commit point: a reader who sees it sees a complete output. After it is written,
 * a stale error.json and article files of an earlier run that are not part of this document are removed.
 *
 * JSON is serialised deterministically: keys in the order of the types in ./types.ts (parameters sorted
 * by name), absent optional fields omitted, 2-space indent, trailing newline.
 */
import { BugError, InputError } from '../../errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { Storage } from '../../storage/types.js';
import { isSafeId } from '../../output/document-id.js';
import { altoPrefix, exportFiles, type ExportOptions } from './exports.js';
import type {
  ArticleJson,
  BlockJson,
  DocumentJson,
  ErrorJson,
  FurnitureJson,
  LineJson,
  PageJson,
  PageRasterJson,
  PipelineJson,
  SourceJson,
} from '../../output/types.js';

/** A per-article file: the article plus what makes it stand alone. */
export interface ArticleFileJson extends ArticleJson {
  schemaVersion: string;
  documentId: string;
  source: { uri: string };
}

export interface WriteDocumentOptions extends ExportOptions {
  /** Article files written at the same time. Default 8. */
  readonly concurrency?: number;
  /** Default: silent. */
  readonly logger?: Logger;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

export const documentKey = (documentId: string): string => `${documentId}/document.json`;
export const errorKey = (documentId: string): string => `${documentId}/error.json`;
export const articlesPrefix = (documentId: string): string => `${documentId}/articles/`;
export const articleKey = (documentId: string, articleId: string): string =>
  `${articlesPrefix(documentId)}${articleId}.json`;

/**
 * Key order of every JSON object, as in ./types.ts. `satisfies Record<keyof T, true>` makes the compiler
 * reject a list that misses or invents a field; tests check the schema lists the same fields.
 */
export const KEY_ORDER = {
  document: keyOrder<DocumentJson>({
    schemaVersion: true,
    documentId: true,
    source: true,
    pipeline: true,
    pages: true,
    articles: true,
  }),
  source: keyOrder<SourceJson>({ uri: true, bytes: true, sha256: true, etag: true }),
  pipeline: keyOrder<PipelineJson>({ name: true, version: true, revision: true, fingerprint: true, engine: true, parameters: true }),
  engine: keyOrder<PipelineJson['engine']>({
    name: true,
    version: true,
    core: true,
    model: true,
    modelVersion: true,
  }),
  page: keyOrder<PageJson>({
    number: true,
    printedPage: true,
    widthPx: true,
    heightPx: true,
    dpi: true,
    skewDeg: true,
    textSource: true,
    engine: true,
    meanConfidence: true,
    columns: true,
    blocks: true,
    furniture: true,
    raster: true,
  }),
  raster: keyOrder<PageRasterJson>({ path: true, objects: true, reason: true }),
  block: keyOrder<BlockJson>({ id: true, type: true, writingMode: true, bbox: true, lines: true }),
  line: keyOrder<LineJson>({ text: true, bbox: true, confidence: true }),
  furniture: keyOrder<FurnitureJson>({ role: true, text: true, bbox: true, blockIds: true }),
  article: keyOrder<ArticleJson>({
    id: true,
    page: true,
    pageIndex: true,
    pages: true,
    kind: true,
    order: true,
    section: true,
    headline: true,
    subheadline: true,
    byline: true,
    authors: true,
    paragraphs: true,
    captions: true,
    continuedOn: true,
    continuedFrom: true,
    parts: true,
    bbox: true,
    blockIds: true,
    confidence: true,
  }),
  error: keyOrder<ErrorJson>({
    schemaVersion: true,
    documentId: true,
    source: true,
    stage: true,
    reason: true,
    fault: true,
    attempts: true,
    givenUp: true,
    pipeline: true,
    failedAt: true,
  }),
  errorSource: keyOrder<ErrorJson['source']>({ uri: true, bytes: true, sha256: true }),
  errorPipeline: keyOrder<NonNullable<ErrorJson['pipeline']>>({ version: true, revision: true, fingerprint: true }),
} as const;

const ARTICLE_FILE_ORDER: readonly (keyof ArticleFileJson & string)[] = [
  'schemaVersion',
  'documentId',
  'source',
  ...KEY_ORDER.article,
];

/** The object literal passed in must list every field of T and no other (excess property check). */
function keyOrder<T>(map: Record<keyof T, true>): readonly (keyof T & string)[] {
  return Object.keys(map) as (keyof T & string)[];
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Copies `obj` with its keys in `order`, leaving out undefined; nested values go through `nested`. */
function ordered<T extends object>(
  obj: T,
  order: readonly (keyof T & string)[],
  path: string,
  nested: { [K in keyof T]?: (value: NonNullable<T[K]>, path: string) => Json } = {},
): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key of order) {
    const value = obj[key];
    if (value === undefined) continue;
    const at = `${path}/${key}`;
    const convert = nested[key] as ((value: unknown, path: string) => Json) | undefined;
    out[key] = convert ? convert(value, at) : plain(value, at);
  }
  return out;
}

/** Arrays and scalars. Non-finite numbers would silently become null in JSON: refuse them. */
function plain(value: unknown, path: string): Json {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new BugError(`cannot write ${path}: ${value} is not a finite number`, { stage: 'publish' });
  }
  if (Array.isArray(value)) return value.map((v, i) => plain(v, `${path}/${i}`));
  if (value !== null && typeof value === 'object') {
    const sorted: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = plain((value as Record<string, unknown>)[key], `${path}/${key}`);
    }
    return sorted;
  }
  return value as Json;
}

const list =
  <T>(convert: (item: T, path: string) => Json) =>
  (items: readonly T[], path: string): Json =>
    items.map((item, i) => convert(item, `${path}/${i}`));

const line = (l: LineJson, p: string) => ordered(l, KEY_ORDER.line, p);
const block = (b: BlockJson, p: string) => ordered(b, KEY_ORDER.block, p, { lines: list(line) });
const furniture = (f: FurnitureJson, p: string) => ordered(f, KEY_ORDER.furniture, p);
const page = (pg: PageJson, p: string) =>
  ordered(pg, KEY_ORDER.page, p, { blocks: list(block), furniture: list(furniture), raster: (r, at) => ordered(r, KEY_ORDER.raster, at) });
const article = (a: ArticleJson, p: string) => ordered(a, KEY_ORDER.article, p);
const pipeline = (pl: PipelineJson, p: string) =>
  ordered(pl, KEY_ORDER.pipeline, p, {
    engine: (e: PipelineJson['engine'], ep: string) => ordered(e, KEY_ORDER.engine, ep),
  });

const stringify = (value: Json): string => `${JSON.stringify(value, null, 2)}\n`;

export function serialiseDocument(doc: DocumentJson): string {
  return stringify(
    ordered(doc, KEY_ORDER.document, '', {
      source: (s: SourceJson, p: string) => ordered(s, KEY_ORDER.source, p),
      pipeline,
      pages: list(page),
      articles: list(article),
    }),
  );
}

export function serialiseArticleFile(doc: DocumentJson, a: ArticleJson): string {
  const file: ArticleFileJson = {
    ...a,
    schemaVersion: doc.schemaVersion,
    documentId: doc.documentId,
    source: { uri: doc.source.uri },
  };
  return stringify(
    ordered(file, ARTICLE_FILE_ORDER, '', {
      source: (s: ArticleFileJson['source'], p: string) => ordered(s, ['uri'], p),
    }),
  );
}

export function serialiseError(err: ErrorJson): string {
  return stringify(
    ordered(err, KEY_ORDER.error, '', {
      source: (s: ErrorJson['source'], p: string) => ordered(s, KEY_ORDER.errorSource, p),
      pipeline: (pl: NonNullable<ErrorJson['pipeline']>, p: string) => ordered(pl, KEY_ORDER.errorPipeline, p),
    }),
  );
}

function checkIds(doc: DocumentJson): void {
  checkDocumentId(doc.documentId);
  const seen = new Set<string>();
  for (const a of doc.articles) {
    if (!isSafeId(a.id)) {
      throw new BugError(`document ${doc.documentId}: article id ${JSON.stringify(a.id)} is not a safe file name`, {
        stage: 'publish',
      });
    }
    if (seen.has(a.id)) {
      throw new BugError(`document ${doc.documentId}: article id ${a.id} appears twice`, { stage: 'publish' });
    }
    seen.add(a.id);
  }
}

function checkDocumentId(documentId: string): void {
  if (!isSafeId(documentId)) {
    throw new BugError(`document id ${JSON.stringify(documentId)} is not a safe folder name`, { stage: 'publish' });
  }
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function listKeys(storage: Storage, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await storage.list(prefix, cursor === undefined ? {} : { cursor });
    for (const item of page.items) found.push(item.key);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return found;
}

/**
 * Writes every article file, then document.json, then removes a stale error.json and stale article
 * files. Throws BugError (before writing anything) for unsafe or duplicate ids or non-finite numbers (the pipeline made them, not the scan);
 * storage errors pass through as the driver threw them.
 */
export async function writeDocumentOutput(
  storage: Storage,
  doc: DocumentJson,
  options: WriteDocumentOptions = {},
): Promise<void> {
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`writeDocumentOutput: concurrency must be an integer >= 1, got ${String(concurrency)}`);
  }
  const logger = (options.logger ?? silentLogger).child({ documentId: doc.documentId });
  checkIds(doc);

  // Serialise everything first: a bad value fails the document before any byte is written.
  const documentBody = serialiseDocument(doc);
  const articleFiles = doc.articles.map((a) => ({
    key: articleKey(doc.documentId, a.id),
    body: serialiseArticleFile(doc, a),
  }));
  const exports = exportFiles(doc, options).map((f) => ({ ...f, key: `${doc.documentId}/${f.path}` }));

  await eachLimited(articleFiles, concurrency, (f) => storage.put(f.key, f.body, { contentType: CONTENT_TYPE }));
  await eachLimited(exports, concurrency, (f) => storage.put(f.key, f.body, { contentType: f.contentType }));
  await storage.put(documentKey(doc.documentId), documentBody, { contentType: CONTENT_TYPE });

  await storage.delete(errorKey(doc.documentId));
  const current = new Set([...articleFiles, ...exports].map((f) => f.key));
  const earlier = [...(await listKeys(storage, articlesPrefix(doc.documentId))), ...(await listKeys(storage, altoPrefix(doc.documentId)))];
  const stale = earlier.filter((k) => !current.has(k));
  await eachLimited(stale, concurrency, (key) => storage.delete(key));

  logger.debug('document output written', {
    location: storage.location,
    articles: articleFiles.length,
    staleArticlesRemoved: stale.length,
  });
}

/** Writes `<documentId>/error.json` and nothing else (an earlier document.json stays). */
export async function writeErrorOutput(storage: Storage, err: ErrorJson): Promise<void> {
  checkDocumentId(err.documentId);
  await storage.put(errorKey(err.documentId), serialiseError(err), { contentType: CONTENT_TYPE });
}

/**
 * The document.json of `documentId`, parsed but not validated; null when there is none.
 * Throws InputError when it is not JSON.
 */
export async function readDocumentOutput(storage: Storage, documentId: string): Promise<DocumentJson | null> {
  checkDocumentId(documentId);
  const key = documentKey(documentId);
  const bytes = await storage.get(key);
  if (bytes === null) return null;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as DocumentJson;
  } catch (cause) {
    throw new InputError(`${storage.location}/${key} is not valid JSON`, { cause, stage: 'publish' });
  }
}
