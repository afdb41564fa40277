/**
 * IIIF Presentation 3 manifest for one document (`<documentId>/manifest.json`): a Canvas per page at
 * its pixel size, painted by the page image (`<base>/<documentId>/page-N.png`), and an AnnotationPage
 * per canvas with one `supplementing` annotation per article: its text, targeting its box (#xywh).
 * The default base is where `newsprint view` serves the same paths, so the manifest opens in a viewer
 * (Mirador, Universal Viewer) while it runs; an archive passes its own image host with --iiif-base.
 */
import { articlesOnPage, articleText } from './page-articles.js';
import type { DocumentJson } from './types.js';

export const IIIF_CONTEXT = 'http://iiif.io/api/presentation/3/context.json';
export const DEFAULT_IIIF_BASE = 'http://127.0.0.1:8080';

type LanguageMap = Record<string, string[]>;

export interface IiifAnnotation {
  id: string;
  type: 'Annotation';
  motivation: 'painting' | 'supplementing';
  label?: LanguageMap;
  body: { id?: string; type: 'Image' | 'TextualBody'; format: string; value?: string; language?: string; width?: number; height?: number };
  target: string;
}

export interface IiifAnnotationPage {
  id: string;
  type: 'AnnotationPage';
  items: IiifAnnotation[];
}

export interface IiifCanvas {
  id: string;
  type: 'Canvas';
  label: LanguageMap;
  width: number;
  height: number;
  items: IiifAnnotationPage[];
  annotations: IiifAnnotationPage[];
}

export interface IiifManifest {
  '@context': string;
  id: string;
  type: 'Manifest';
  label: LanguageMap;
  metadata: { label: LanguageMap; value: LanguageMap }[];
  items: IiifCanvas[];
}

/** Paths under the base, shared with the view server, which serves them. */
export const manifestPath = (documentId: string): string => `/${encodeURIComponent(documentId)}/manifest.json`;
export const pageImagePath = (documentId: string, page: number): string => `/${encodeURIComponent(documentId)}/page-${page}.png`;

export function iiifManifest(doc: DocumentJson, base: string = DEFAULT_IIIF_BASE): IiifManifest {
  const root = base.replace(/\/+$/u, '');
  const manifestId = `${root}${manifestPath(doc.documentId)}`;
  const none = (text: string): LanguageMap => ({ none: [text] });
  return {
    '@context': IIIF_CONTEXT,
    id: manifestId,
    type: 'Manifest',
    label: none(doc.documentId),
    metadata: [
      { label: { en: ['source'] }, value: none(doc.source.uri) },
      { label: { en: ['pipeline'] }, value: none(`${doc.pipeline.name} ${doc.pipeline.version}; ${doc.pipeline.engine.name} ${doc.pipeline.engine.version}, ${doc.pipeline.engine.model}`) },
    ],
    items: doc.pages.map((page) => {
      const canvasId = `${root}/${encodeURIComponent(doc.documentId)}/canvas/${page.number}`;
      return {
        id: canvasId,
        type: 'Canvas',
        label: none(page.printedPage !== undefined ? `第${page.printedPage}版` : `page ${page.number}`),
        width: page.widthPx,
        height: page.heightPx,
        items: [
          {
            id: `${canvasId}/paintings`,
            type: 'AnnotationPage',
            items: [
              {
                id: `${canvasId}/paintings/image`,
                type: 'Annotation',
                motivation: 'painting',
                body: { id: `${root}${pageImagePath(doc.documentId, page.number)}`, type: 'Image', format: 'image/png', width: page.widthPx, height: page.heightPx },
                target: canvasId,
              },
            ],
          },
        ],
        annotations: [
          {
            id: `${canvasId}/articles`,
            type: 'AnnotationPage',
            items: articlesOnPage(doc, page).map(({ article, bbox }) => ({
              id: `${canvasId}/articles/${encodeURIComponent(article.id)}`,
              type: 'Annotation',
              motivation: 'supplementing',
              label: none(article.headline ?? `${article.kind} ${article.order}`),
              body: { type: 'TextualBody', format: 'text/plain', language: 'zh', value: articleText(article) },
              target: `${canvasId}#xywh=${clampBox(bbox, page.widthPx, page.heightPx).join(',')}`,
            })),
          },
        ],
      };
    }),
  };
}

/** A box cut to the canvas: IIIF targets must lie inside it. */
function clampBox([x, y, w, h]: readonly number[], width: number, height: number): number[] {
  const x0 = Math.max(0, Math.min(width, x ?? 0));
  const y0 = Math.max(0, Math.min(height, y ?? 0));
  const x1 = Math.max(x0, Math.min(width, (x ?? 0) + (w ?? 0)));
  const y1 = Math.max(y0, Math.min(height, (y ?? 0) + (h ?? 0)));
  return [x0, y0, x1 - x0, y1 - y0];
}

export const serialiseManifest = (manifest: IiifManifest): string => `${JSON.stringify(manifest, null, 2)}\n`;
