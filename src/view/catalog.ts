/**
 * What the viewer and the report show, read from a local output folder: the documents there
 * (folders with a document.json), each with its eval scores when ground truth for it is found.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadGroundTruth, loadPrediction } from '../eval/load.js';
import { evaluate, type EvalReport } from '../eval/score.js';
import type { DocumentJson } from '../output/types.js';

export interface DocumentSummary {
  readonly documentId: string;
  readonly pages: number;
  readonly articles: number;
  readonly meanConfidence: number;
}

export interface DocumentView {
  readonly doc: DocumentJson;
  /** null when no ground truth was found for the document. */
  readonly scores: EvalReport | null;
}

export interface Catalog {
  list(): Promise<DocumentSummary[]>;
  /** null when the output has no such document. */
  get(documentId: string): Promise<DocumentView | null>;
  /** A file of a document's output (mets.xml, alto/page-1.xml, manifest.json), or null. */
  file(documentId: string, relative: string): Promise<Buffer | null>;
}

export function openCatalog(outDir: string, gtDir?: string): Catalog {
  const docFile = (id: string): string => path.join(outDir, id, 'document.json');
  const safe = (id: string): boolean => /^[A-Za-z0-9][A-Za-z0-9._-]*$/u.test(id);
  const read = async (id: string): Promise<DocumentJson | null> => {
    if (!safe(id)) return null;
    const text = await fs.readFile(docFile(id), 'utf8').catch(() => null);
    return text === null ? null : (JSON.parse(text) as DocumentJson);
  };
  return {
    async list() {
      const entries = await fs.readdir(outDir, { withFileTypes: true });
      const out: DocumentSummary[] = [];
      for (const e of entries.filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
        const doc = await read(e.name);
        if (!doc) continue;
        const mean = doc.pages.reduce((s, p) => s + p.meanConfidence, 0) / Math.max(1, doc.pages.length);
        out.push({ documentId: doc.documentId, pages: doc.pages.length, articles: doc.articles.length, meanConfidence: Math.round(mean * 1000) / 1000 });
      }
      return out;
    },
    async get(id) {
      const doc = await read(id);
      if (!doc) return null;
      return { doc, scores: gtDir ? await scoresFor(doc, docFile(id), gtDir) : null };
    },
    async file(id, relative) {
      if (!safe(id) || !/^(mets\.xml|manifest\.json|alto\/page-\d+\.xml)$/u.test(relative)) return null;
      return fs.readFile(path.join(outDir, id, relative)).catch(() => null);
    },
  };
}

/**
 * Ground truth named after the document or its source file (`<name>.gt.json`, as samples/gt). A
 * one-page document is scored against a one-page truth whatever the page's printed number.
 */
async function scoresFor(doc: DocumentJson, file: string, gtDir: string): Promise<EvalReport | null> {
  const sourceName = path.basename(decodeURIComponent(new URL(doc.source.uri).pathname)).replace(/\.[^.]+$/u, '');
  for (const name of [doc.documentId, sourceName]) {
    const gtFile = path.join(gtDir, `${name}.gt.json`);
    if (!(await fs.stat(gtFile).catch(() => null))) continue;
    const gt = await loadGroundTruth(gtFile);
    let predicted = await loadPrediction(file);
    if (gt.length === 1 && doc.pages.length === 1) predicted = predicted.map((p) => ({ ...p, page: gt[0]!.page }));
    return evaluate(gt, predicted);
  }
  return null;
}
