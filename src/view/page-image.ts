/**
 * The page raster the viewer shows: rendered from the document's source on request, through the
 * same rasterise and preprocess stages the pipeline ran (so the boxes of document.json fit it), as
 * PNG. Nothing extra is stored in the output; the last few renders are kept in memory.
 */
import sharp from 'sharp';
import { sharpFromGray } from '../image/sharp-gray.js';
import type { DocumentJson } from '../output/types.js';
import { preprocess } from '../stages/preprocess/index.js';
import { openPageSource } from '../stages/rasterise/index.js';

export type SourceReader = (uri: string) => Promise<Uint8Array>;

export interface PageImages {
  /** PNG of page `page` (position in the document), `width` pixels wide (default: full size). */
  png(doc: DocumentJson, page: number, width?: number): Promise<Buffer>;
}

export function createPageImages(readSource: SourceReader, keep = 6): PageImages {
  const cache = new Map<string, Promise<Buffer>>();
  return {
    png(doc, page, width) {
      const key = `${doc.documentId}\u0000${doc.source.sha256}\u0000${page}\u0000${width ?? 0}`;
      let hit = cache.get(key);
      if (!hit) {
        hit = render(doc, page, width, readSource);
        hit.catch(() => cache.delete(key));
        cache.set(key, hit);
        while (cache.size > keep) cache.delete(cache.keys().next().value as string);
      }
      return hit;
    },
  };
}

async function render(doc: DocumentJson, page: number, width: number | undefined, readSource: SourceReader): Promise<Buffer> {
  const raster = await openPageSource(await readSource(doc.source.uri));
  try {
    const pre = await preprocess((await raster.renderPage(page)).image);
    const full = sharpFromGray(pre.image);
    if (width === undefined || width >= pre.image.width) return await full.png().toBuffer();
    return await sharp(await full.png({ compressionLevel: 1 }).toBuffer()).resize(width).png().toBuffer();
  } finally {
    await raster.close();
  }
}
