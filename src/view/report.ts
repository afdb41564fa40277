/**
 * `newsprint report`: the viewer's page as one static HTML file to share: its CSS and JS inline,
 * the documents and scores embedded as JSON, the page images as PNG data URLs (narrower than in the
 * viewer, to keep the file small).
 */
import { readAsset } from './assets.js';
import type { Catalog, DocumentView } from './catalog.js';
import type { PageImages } from './page-image.js';

export const REPORT_IMAGE_WIDTH = 1200;

/** JSON safe inside <script>: no "</script>" or "<!--" can close or confuse it. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</gu, '\\u003c').replace(/\u2028/gu, '\\u2028').replace(/\u2029/gu, '\\u2029');

export async function buildReport(catalog: Catalog, images: PageImages): Promise<string> {
  const documents = await catalog.list();
  const views: Record<string, DocumentView> = {};
  const pictures: Record<string, string> = {};
  for (const d of documents) {
    const view = await catalog.get(d.documentId);
    if (!view) continue;
    views[d.documentId] = view;
    for (const page of view.doc.pages) {
      const png = await images.png(view.doc, page.number, REPORT_IMAGE_WIDTH);
      pictures[`${d.documentId}/${page.number}`] = `data:image/png;base64,${png.toString('base64')}`;
    }
  }
  const data = `<script>window.NEWSPRINT_REPORT = ${scriptJson({ documents, views, images: pictures })};</script>`;
  return readAsset('viewer.html')
    .replace('<link rel="stylesheet" href="viewer.css">', () => `<style>\n${readAsset('viewer.css')}</style>`)
    .replace('<!--REPORT-->', () => data)
    .replace('<script src="viewer.js"></script>', () => `<script>\n${readAsset('viewer.js').replace(/<\/script/giu, '<\\/script')}</script>`);
}
