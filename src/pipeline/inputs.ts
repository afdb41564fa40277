/**
 * Inputs of a run: local files, local folders (recursively) and s3://bucket/prefix locations, each
 * resolved to documents with a stable documentId derived from the name or key.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { documentIdFor } from '../output/document-id.js';
import { parseLocation, openStorage } from '../storage/location.js';
import type { Storage } from '../storage/types.js';

export const INPUT_EXTENSIONS = ['.pdf', '.tif', '.tiff', '.jpg', '.jpeg', '.png'] as const;

export interface InputDocument {
  readonly documentId: string;
  /** Where it came from, as written in the output (`file:///…` or `s3://bucket/key`). */
  readonly uri: string;
  readonly size: number;
  readonly etag?: string;
  read(): Promise<Uint8Array>;
}

export interface InputSet {
  readonly documents: InputDocument[];
  dispose(): Promise<void>;
}

export interface InputOptions {
  readonly s3Endpoint?: string;
  readonly forcePathStyle?: boolean;
}

/** The id of a document: from its relative name, extension dropped for PDFs and kept for images. */
export function documentIdForName(relativeName: string): string {
  const ext = path.extname(relativeName).toLowerCase();
  const base = ext === '.pdf' ? relativeName.slice(0, -ext.length) : `${relativeName.slice(0, -ext.length)}-${ext.slice(1)}`;
  return documentIdFor(ext ? base : relativeName);
}

function hasInputExtension(name: string): boolean {
  return (INPUT_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
}

export async function resolveInputs(specs: readonly string[], options: InputOptions = {}): Promise<InputSet> {
  if (specs.length === 0) throw new ConfigError('no input given: name PDF files, folders or s3://bucket/prefix');
  const documents: InputDocument[] = [];
  const stores: Storage[] = [];
  const namedFiles = new Map<InputDocument, string>();
  for (const spec of specs) {
    if (spec.startsWith('s3://')) {
      const store = openStorage(spec, { ...(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {}), ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}) });
      stores.push(store);
      const location = parseLocation(spec);
      const base = location.kind === 's3' ? `s3://${location.bucket}/${location.prefix ? location.prefix.replace(/\/?$/u, '/') : ''}` : spec;
      let cursor: string | undefined;
      do {
        const page = await store.list('', cursor ? { cursor } : {});
        for (const item of page.items) {
          documents.push({
            documentId: documentIdForName(item.key),
            uri: base + item.key,
            size: item.size,
            ...(item.etag ? { etag: item.etag } : {}),
            read: async () => {
              const bytes = await store.get(item.key);
              if (!bytes) throw new ConfigError(`input vanished while the run was going: ${base + item.key}`);
              return bytes;
            },
          });
        }
        cursor = page.cursor;
      } while (cursor);
      continue;
    }
    const stat = await fs.stat(spec).catch(() => undefined);
    if (!stat) throw new ConfigError(`input not found: ${spec}`);
    if (stat.isDirectory()) {
      for (const file of await walk(spec)) {
        const rel = path.relative(spec, file).split(path.sep).join('/');
        documents.push(localDocument(file, rel));
      }
    } else {
      const doc = localDocument(spec, path.basename(spec));
      namedFiles.set(doc, spec);
      documents.push(doc);
    }
  }
  // Files named on the command line are known by their base name; two with the same name (a/issue.pdf,
  // b/issue.pdf) are known by their parent folder and name instead.
  const named = documents.filter((d) => namedFiles.has(d));
  for (const doc of named) {
    if (named.some((o) => o !== doc && o.documentId === doc.documentId && o.uri !== doc.uri)) {
      const file = namedFiles.get(doc) ?? '';
      const relative = [path.basename(path.dirname(path.resolve(file))), path.basename(file)].join('/');
      documents[documents.indexOf(doc)] = localDocument(file, relative);
    }
  }
  const seen = new Map<string, string>();
  for (const doc of documents) {
    const other = seen.get(doc.documentId);
    if (other && other !== doc.uri) throw new ConfigError(`two inputs map to the same document id "${doc.documentId}": ${other} and ${doc.uri}`);
    seen.set(doc.documentId, doc.uri);
  }
  const unique = documents.filter((d, i) => documents.findIndex((o) => o.uri === d.uri) === i);
  return { documents: unique, dispose: async () => void (await Promise.all(stores.map((s) => s.dispose()))) };
}

function localDocument(file: string, relativeName: string): InputDocument {
  const absolute = path.resolve(file);
  return {
    documentId: documentIdForName(relativeName),
    uri: `file://${absolute}`,
    size: -1,
    read: async () => new Uint8Array(await fs.readFile(absolute)),
  };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile() && hasInputExtension(entry.name)) out.push(full);
  }
  return out;
}
