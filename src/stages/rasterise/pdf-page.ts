/** A page dictionary read with pdf-syntax.ts: inherited entries, resources, content bytes. */
import type { PdfObjects } from './pdf-objects.js';
import { PdfRef, decodeStream, isDict, type PdfDict, type PdfValue } from './pdf-syntax.js';

/** An entry of the page or, when the page has none, of the nearest page-tree node above it. */
export function inherited(objects: PdfObjects, page: PdfDict, key: string): PdfValue | undefined {
  let node: PdfValue | undefined = page;
  for (let depth = 0; isDict(node) && depth < 32; depth++) {
    if (node.has(key)) return node.get(key);
    node = objects.resolve(node.get('Parent'));
  }
  return undefined;
}

/** One kind of the page's resources (`XObject`, `ColorSpace`...), as written (maybe a reference). */
export function resourceDict(objects: PdfObjects, page: PdfDict, kind: string): PdfValue | undefined {
  const resources = objects.resolve(inherited(objects, page, 'Resources'));
  return isDict(resources) ? resources.get(kind) : undefined;
}

/** The page's content, its streams joined, filters undone; empty for a page without content. */
export function contentBytes(objects: PdfObjects, page: PdfDict): Uint8Array | undefined {
  if (!page.has('Contents')) return new Uint8Array();
  const contents = objects.resolve(page.get('Contents'));
  const refs = Array.isArray(contents) ? contents : [page.get('Contents')];
  const parts: Uint8Array[] = [];
  for (const ref of refs) {
    if (!(ref instanceof PdfRef)) return undefined;
    const stream = objects.get(ref)?.stream;
    const data = stream && decodeStream(stream, objects);
    if (!data) return undefined;
    parts.push(data, Uint8Array.of(0x0a));
  }
  return Buffer.concat(parts);
}
