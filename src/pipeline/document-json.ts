/** A document's pages and articles as the contract's document.json (src/output/types.ts). */
import { createHash } from 'node:crypto';
import { SCHEMA_VERSION, type DocumentJson, type PipelineJson } from '../output/types.js';
import { assembleDocument } from '../stages/assemble-document/index.js';
import type { InputDocument } from './inputs.js';
import type { PageResult } from './page-job.js';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function documentJson(input: InputDocument, size: number, sha256: string, pipeline: PipelineJson, results: readonly PageResult[]): DocumentJson {
  const ordered = [...results].sort((a, b) => a.pageNumber - b.pageNumber);
  return {
    schemaVersion: SCHEMA_VERSION,
    documentId: input.documentId,
    source: { uri: input.uri, bytes: size, sha256, ...(input.etag ? { etag: input.etag } : {}) },
    pipeline,
    pages: ordered.map((r) => r.page),
    // One page numbering for the whole document, then stories jumping between its pages joined.
    articles: assembleDocument(ordered),
  };
}
