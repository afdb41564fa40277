/**
 * Newspaper page numbers for a whole document. Each page may have read its printed number (第N版)
 * from its masthead or folio, or not, or misread it; within one document the numbers run on with
 * the pages, so the most common offset between printed number and position wins and every article
 * is numbered with it.
 */
import type { ArticleJson, PageJson } from '../../output/types.js';

export function numberPages(pages: readonly PageJson[], articles: readonly ArticleJson[]): ArticleJson[] {
  const votes = new Map<number, number>();
  for (const page of pages) {
    if (page.printedPage === undefined) continue;
    const offset = page.printedPage - page.number;
    votes.set(offset, (votes.get(offset) ?? 0) + 1);
  }
  let offset = 0;
  let best = 0;
  for (const [candidate, count] of votes) {
    if (count > best || (count === best && Math.abs(candidate) < Math.abs(offset))) {
      offset = candidate;
      best = count;
    }
  }
  return articles.map((a) => ({ ...a, page: a.pageIndex + offset, pages: [a.pageIndex + offset] }));
}
