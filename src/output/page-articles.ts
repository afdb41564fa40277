/**
 * What the exports and the viewer ask of a DocumentJson alike: which articles (or which parts of
 * them, for a story joined across pages) stand on a page, with which blocks, in reading order, and
 * an article's text as one string.
 */
import type { BBox } from '../image/gray-image.js';
import type { ArticleJson, BlockJson, DocumentJson, PageJson } from './types.js';

export interface ArticleOnPage {
  readonly article: ArticleJson;
  /** The article's blocks on this page, in the article's order (blockIds). */
  readonly blocks: readonly BlockJson[];
  /** The article's box on the page it starts on; elsewhere the union of its blocks there. */
  readonly bbox: BBox;
}

/** The articles with a block on `page`, in the page's reading order (the position of their first block). */
export function articlesOnPage(doc: DocumentJson, page: PageJson): ArticleOnPage[] {
  const position = new Map(page.blocks.map((b, i) => [b.id, i] as const));
  const found: { at: number; part: ArticleOnPage }[] = [];
  for (const article of doc.articles) {
    const blocks = article.blockIds.flatMap((id) => {
      const i = position.get(id);
      return i === undefined ? [] : [page.blocks[i] as BlockJson];
    });
    if (blocks.length === 0) continue;
    const at = Math.min(...blocks.map((b) => position.get(b.id) ?? 0));
    const bbox = article.pageIndex === page.number ? article.bbox : unionBox(blocks.map((b) => b.bbox));
    found.push({ at, part: { article, blocks, bbox } });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.part);
}

/** The blocks of a page that no article claims (furniture: masthead, date, folio, ads). */
export function furnitureBlocks(page: PageJson): BlockJson[] {
  return page.blocks.filter((b) => b.type === 'furniture');
}

/** Headline, paragraphs and captions, one per line: what a reader of the article reads. */
export function articleText(article: ArticleJson): string {
  return [article.headline, ...article.paragraphs, ...article.captions].filter((t): t is string => Boolean(t)).join('\n');
}

export function unionBox(boxes: readonly BBox[]): BBox {
  if (boxes.length === 0) return [0, 0, 0, 0];
  const x0 = Math.min(...boxes.map((b) => b[0]));
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2]));
  const y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
  return [x0, y0, x1 - x0, y1 - y0];
}
