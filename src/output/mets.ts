/**
 * METS 1.12.1 for one document (`<documentId>/mets.xml`), after the NDNP / Europeana Newspapers
 * profiles:
 *   fileSec     the source (size, SHA-256), one image per page (the source URI, `#page=N` for a page
 *               of a multi-page file), one ALTO per page (relative path, size, SHA-256)
 *   structMap   PHYSICAL: issue > pages, each pointing at its image and its ALTO
 *   structMap   LOGICAL: issue > articles > section, headline, byline, body, captions, illustration,
 *               each part pointing at its ALTO blocks (area BEGIN=<block ID> BETYPE=IDREF)
 * document.json has no issue date or title of its own: the issue's LABEL is taken from the page
 * furniture (newspaper name, date) when it was read, and there is no dmdSec (no bibliographic record).
 */
import { createHash } from 'node:crypto';
import { altoPath } from './alto.js';
import { articlesOnPage } from './page-articles.js';
import type { BlockType, DocumentJson } from './types.js';
import { el, serialiseXml, xmlId, type XmlElement } from './xml.js';

export const METS_NAMESPACE = 'http://www.loc.gov/METS/';

/** The ALTO files as the writer stores them: bytes per page number, to be linked with size and checksum. */
export type AltoFiles = ReadonlyMap<number, string>;

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

export function sourceMimeType(uri: string): string {
  const ext = /\.([A-Za-z0-9]+)$/u.exec(uri.split(/[?#]/u)[0] ?? '')?.[1]?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream';
}

/** A logical part per block role; roles that are not article content (furniture, jump lines) have none. */
const PART_OF: Partial<Record<BlockType, string>> = {
  section: 'section',
  headline: 'headline',
  subheadline: 'headline',
  author: 'byline',
  byline: 'byline',
  body: 'body',
  caption: 'caption',
  photo: 'illustration',
};

export const imageFileId = (page: number): string => `image-${page}`;
export const altoFileId = (page: number): string => `alto-${page}`;

export function serialiseMets(doc: DocumentJson, alto: AltoFiles): string {
  return serialiseXml(metsElement(doc, alto));
}

export function metsElement(doc: DocumentJson, alto: AltoFiles): XmlElement {
  const mime = sourceMimeType(doc.source.uri);
  const multiPage = doc.pages.length > 1 || mime === 'application/pdf';
  const imageHref = (page: number): string => (multiPage ? `${doc.source.uri}#page=${page}` : doc.source.uri);
  const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
  const label = issueLabel(doc);
  return el(
    'mets:mets',
    {
      'xmlns:mets': METS_NAMESPACE,
      'xmlns:xlink': 'http://www.w3.org/1999/xlink',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation': `${METS_NAMESPACE} http://www.loc.gov/standards/mets/version1121/mets.xsd`,
      OBJID: doc.documentId,
      TYPE: 'Newspaper',
      LABEL: label,
      PROFILE: 'newsprint',
    },
    [
      el('mets:metsHdr', {}, [
        el('mets:agent', { ROLE: 'CREATOR', TYPE: 'OTHER', OTHERTYPE: 'SOFTWARE' }, [el('mets:name', {}, [`${doc.pipeline.name} ${doc.pipeline.version}`])]),
      ]),
      el('mets:fileSec', {}, [
        el('mets:fileGrp', { USE: 'source' }, [
          el('mets:file', { ID: 'source', MIMETYPE: mime, SIZE: doc.source.bytes, CHECKSUM: doc.source.sha256, CHECKSUMTYPE: 'SHA-256' }, [flocat(doc.source.uri)]),
        ]),
        el(
          'mets:fileGrp',
          { USE: 'image' },
          doc.pages.map((p) => el('mets:file', { ID: imageFileId(p.number), MIMETYPE: mime, SEQ: p.number }, [flocat(imageHref(p.number))])),
        ),
        alto.size > 0
          ? el(
              'mets:fileGrp',
              { USE: 'text' },
              doc.pages.flatMap((p) => {
                const text = alto.get(p.number);
                if (text === undefined) return [];
                const size = Buffer.byteLength(text, 'utf8');
                return [el('mets:file', { ID: altoFileId(p.number), MIMETYPE: 'text/xml', SEQ: p.number, SIZE: size, CHECKSUM: sha256(text), CHECKSUMTYPE: 'SHA-256' }, [flocat(altoPath(p.number))])];
              }),
            )
          : undefined,
      ]),
      el('mets:structMap', { TYPE: 'PHYSICAL', LABEL: 'pages' }, [
        el(
          'mets:div',
          { ID: 'physical-issue', TYPE: 'issue', LABEL: label },
          doc.pages.map((p) =>
            el('mets:div', { ID: `physical-page-${p.number}`, TYPE: 'page', ORDER: p.number, ORDERLABEL: p.printedPage, LABEL: p.printedPage !== undefined ? `第${p.printedPage}版` : undefined }, [
              el('mets:fptr', { FILEID: imageFileId(p.number) }),
              alto.has(p.number) ? el('mets:fptr', { FILEID: altoFileId(p.number) }) : undefined,
            ]),
          ),
        ),
      ]),
      el('mets:structMap', { TYPE: 'LOGICAL', LABEL: 'articles' }, [el('mets:div', { ID: 'logical-issue', TYPE: 'issue', LABEL: label }, logicalArticles(doc, alto))]),
    ],
  );
}

function flocat(href: string): XmlElement {
  return el('mets:FLocat', { LOCTYPE: 'URL', 'xlink:href': href });
}

/** Articles in reading order, page after page; each part lists its blocks, page after page. */
function logicalArticles(doc: DocumentJson, alto: AltoFiles): XmlElement[] {
  const parts = new Map<string, Map<string, { page: number; blockId: string }[]>>();
  const order: string[] = [];
  for (const page of doc.pages) {
    for (const { article, blocks } of articlesOnPage(doc, page)) {
      if (!parts.has(article.id)) {
        parts.set(article.id, new Map());
        order.push(article.id);
      }
      const byPart = parts.get(article.id)!;
      for (const block of blocks) {
        const part = PART_OF[block.type];
        if (!part) continue;
        byPart.set(part, [...(byPart.get(part) ?? []), { page: page.number, blockId: block.id }]);
      }
    }
  }
  const articles = new Map(doc.articles.map((a) => [a.id, a]));
  return order.map((articleId, i) => {
    const article = articles.get(articleId)!;
    const id = xmlId(`logical-${articleId}`);
    const children = [...(parts.get(articleId) ?? new Map<string, { page: number; blockId: string }[]>()).entries()].map(([part, blocks]) =>
      el('mets:div', { ID: `${id}-${part}`, TYPE: part }, alto.size > 0 ? [el('mets:fptr', {}, [el('mets:seq', {}, blocks.map((b) => el('mets:area', { FILEID: altoFileId(b.page), BEGIN: xmlId(b.blockId), BETYPE: 'IDREF' })))])] : []),
    );
    return el('mets:div', { ID: id, TYPE: article.kind === 'photo' ? 'illustration' : 'article', ORDER: i + 1, LABEL: article.headline ?? article.captions[0]?.slice(0, 80) }, children);
  });
}

function issueLabel(doc: DocumentJson): string {
  const furniture = doc.pages.flatMap((p) => p.furniture);
  const name = furniture.find((f) => f.role === 'newspaper')?.text;
  const date = furniture.find((f) => f.role === 'date')?.text;
  return [name, date].filter(Boolean).join(' ') || doc.documentId;
}
