/**
 * Loading for `newsprint eval`: ground truth (page-N.gt.json files of a folder, or one file) and
 * predictions (a document.json, or a folder of outputs searched for document.json files).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { EvalArticle, EvalPage } from './types.js';

interface GtArticleJson {
  id?: string;
  kind?: string;
  headline?: string;
  paragraphs?: string[];
  captions?: string[];
}

interface GtPageJson {
  page?: number;
  articles?: GtArticleJson[];
}

interface PredArticleJson {
  id?: string;
  page?: number;
  kind?: string;
  headline?: string;
  paragraphs?: string[];
  text?: string;
  captions?: string[];
  parts?: Array<{ page: number; paragraphs: number; captions: number }>;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch (err) {
    throw new ConfigError(`cannot read JSON ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function loadGroundTruth(location: string): Promise<EvalPage[]> {
  const stat = await fs.stat(location).catch(() => undefined);
  if (!stat) throw new ConfigError(`ground truth not found: ${location}`);
  const files = stat.isDirectory()
    ? (await fs.readdir(location)).filter((f) => /^page-\d+\.gt\.json$/u.test(f)).map((f) => path.join(location, f))
    : [location];
  if (files.length === 0) throw new ConfigError(`no page-N.gt.json files in ${location}`);
  const pages: EvalPage[] = [];
  for (const file of files) {
    const json = (await readJson(file)) as GtPageJson;
    const page = json.page ?? Number(/page-(\d+)/u.exec(file)?.[1] ?? 1);
    pages.push({
      page,
      articles: (json.articles ?? []).map((a, i) => ({
        id: a.id ?? `p${page}a${i + 1}`,
        kind: a.kind ?? 'article',
        ...(a.headline ? { headline: a.headline } : {}),
        paragraphs: a.paragraphs ?? [],
        captions: a.captions ?? [],
      })),
    });
  }
  return pages.sort((a, b) => a.page - b.page);
}

const FURNITURE_KINDS = new Set(['furniture', 'masthead', 'folio', 'header', 'footer', 'ad', 'advertisement']);

/** A prediction: newsprint's document.json (or a folder of them), or a plain {articles:[…]} file. */
export async function loadPrediction(location: string): Promise<EvalPage[]> {
  const stat = await fs.stat(location).catch(() => undefined);
  if (!stat) throw new ConfigError(`prediction not found: ${location}`);
  const files = stat.isDirectory() ? await findDocuments(location) : [location];
  if (files.length === 0) throw new ConfigError(`no document.json under ${location}`);
  const byPage = new Map<number, EvalArticle[]>();
  for (const file of files) {
    const json = (await readJson(file)) as { articles?: PredArticleJson[] } | PredArticleJson[];
    const articles = Array.isArray(json) ? json : (json.articles ?? []);
    articles.forEach((a, i) => {
      if (FURNITURE_KINDS.has(a.kind ?? '')) return;
      for (const part of pagesOf(a, `pred${i + 1}`)) {
        const list = byPage.get(part.page) ?? [];
        list.push(part.article);
        byPage.set(part.page, list);
      }
    });
  }
  return [...byPage.entries()].sort((a, b) => a[0] - b[0]).map(([page, articles]) => ({ page, articles }));
}

/**
 * An article as scored page by page: a story joined across a jump (its `parts`) is scored where each
 * part was printed, as the ground truth has one article per page; the headline goes with the first.
 */
function pagesOf(a: PredArticleJson, fallbackId: string): Array<{ page: number; article: EvalArticle }> {
  const id = a.id ?? fallbackId;
  const kind = a.kind ?? 'article';
  const paragraphs = a.paragraphs ?? (a.text ? a.text.split(/\n+/u).filter(Boolean) : []);
  const captions = a.captions ?? [];
  if (!a.parts || a.parts.length < 2) {
    return [{ page: a.page ?? 1, article: { id, kind, ...(a.headline ? { headline: a.headline } : {}), paragraphs, captions } }];
  }
  let p = 0;
  let c = 0;
  return a.parts.map((part, k) => {
    const article: EvalArticle = {
      id: k === 0 ? id : `${id}-part${k + 1}`,
      kind,
      ...(k === 0 && a.headline ? { headline: a.headline } : {}),
      paragraphs: paragraphs.slice(p, p + part.paragraphs),
      captions: captions.slice(c, c + part.captions),
    };
    p += part.paragraphs;
    c += part.captions;
    return { page: part.page, article };
  });
}

async function findDocuments(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await findDocuments(full)));
    else if (entry.name === 'document.json') out.push(full);
  }
  return out.sort();
}
