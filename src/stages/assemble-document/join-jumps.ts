/**
 * Jumps across pages of one document: a story that ends in "（下转第N版）" goes on in the story on
 * page N that starts with "（上接第M版）". The two become one article carrying both parts in order,
 * and `parts` says which paragraphs and captions were printed on which page.
 */
import type { ArticleJson, ArticlePartJson } from '../../output/types.js';

export function joinJumps(articles: readonly ArticleJson[]): ArticleJson[] {
  const result = articles.map((a) => ({ ...a }));
  const absorbed = new Set<ArticleJson>();
  for (const head of result) {
    if (absorbed.has(head) || head.continuedOn === undefined) continue;
    let current: ArticleJson = head;
    // Follow the chain: a continuation can itself jump on.
    while (current.continuedOn !== undefined) {
      const from = current.pages[current.pages.length - 1];
      const tail = result.find(
        (a) => !absorbed.has(a) && a !== head && a.page === current.continuedOn && a.continuedFrom === from,
      );
      if (!tail) break;
      absorbed.add(tail);
      head.parts = [...(head.parts ?? [partOf(head)]), partOf(tail)];
      head.paragraphs = [...head.paragraphs, ...tail.paragraphs];
      head.captions = [...head.captions, ...tail.captions];
      head.blockIds = [...head.blockIds, ...tail.blockIds];
      head.authors = [...new Set([...head.authors, ...tail.authors])];
      head.pages = [...head.pages, ...tail.pages];
      head.confidence = Math.round(((head.confidence + tail.confidence) / 2) * 1000) / 1000;
      if (tail.continuedOn !== undefined) head.continuedOn = tail.continuedOn;
      else delete head.continuedOn;
      current = tail;
    }
  }
  return result.filter((a) => !absorbed.has(a));
}

function partOf(article: ArticleJson): ArticlePartJson {
  return { page: article.page, pageIndex: article.pageIndex, paragraphs: article.paragraphs.length, captions: article.captions.length };
}
