/**
 * The library-standard exports beside the JSON: which formats a run writes (`--formats`) and the
 * files each makes from a finished DocumentJson. The writer (./writer.ts) stores them with the
 * article files, before document.json, so document.json stays the commit point.
 */
import { ConfigError } from '../../errors.js';
import { altoPath, serialiseAlto } from '../../output/alto.js';
import { DEFAULT_IIIF_BASE, iiifManifest, serialiseManifest } from '../../output/iiif.js';
import { serialiseMets } from '../../output/mets.js';
import type { DocumentJson } from '../../output/types.js';

export const EXPORT_FORMATS = ['json', 'alto', 'mets', 'iiif'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const DEFAULT_FORMATS: readonly ExportFormat[] = ['json', 'alto', 'mets'];

export interface ExportOptions {
  /** Default json, alto, mets. json is always written: document.json is what makes an output complete. */
  readonly formats?: readonly ExportFormat[];
  /** Base URL of the page images in the IIIF manifest. Default: where `newsprint view` serves them. */
  readonly iiifBase?: string;
}

export interface ExportFile {
  /** Relative to the document's folder. */
  readonly path: string;
  readonly body: string;
  readonly contentType: string;
}

export const altoPrefix = (documentId: string): string => `${documentId}/alto/`;

/** `--formats json,alto,mets,iiif`: unknown or empty values fail fast with a ConfigError. */
export function parseFormats(value: string | undefined): ExportFormat[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((v) => v.trim().toLowerCase());
  const bad = names.filter((n) => !(EXPORT_FORMATS as readonly string[]).includes(n));
  if (names.length === 0 || bad.length > 0 || names.some((n) => n === '')) {
    throw new ConfigError(`--formats expects a comma-separated list of ${EXPORT_FORMATS.join(', ')}, got "${value}"`);
  }
  if (!names.includes('json')) throw new ConfigError(`--formats must include json (document.json marks an output complete), got "${value}"`);
  return [...new Set(names as ExportFormat[])];
}

/** `--iiif-base`: an http(s) URL. */
export function parseIiifBase(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`--iiif-base expects an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--iiif-base expects an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/u, '');
}

/** Every export file of the document but the JSON ones, in the order they are written. */
export function exportFiles(doc: DocumentJson, options: ExportOptions = {}): ExportFile[] {
  const formats = new Set(options.formats ?? DEFAULT_FORMATS);
  const files: ExportFile[] = [];
  const alto = new Map<number, string>();
  if (formats.has('alto')) {
    for (const page of doc.pages) {
      const body = serialiseAlto(doc, page);
      alto.set(page.number, body);
      files.push({ path: altoPath(page.number), body, contentType: 'application/xml; charset=utf-8' });
    }
  }
  if (formats.has('mets')) files.push({ path: 'mets.xml', body: serialiseMets(doc, alto), contentType: 'application/xml; charset=utf-8' });
  if (formats.has('iiif')) {
    files.push({ path: 'manifest.json', body: serialiseManifest(iiifManifest(doc, options.iiifBase ?? DEFAULT_IIIF_BASE)), contentType: 'application/ld+json; charset=utf-8' });
  }
  return files;
}
