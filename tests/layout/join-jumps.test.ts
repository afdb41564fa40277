import { describe, expect, it } from 'vitest';
import type { ArticleJson } from '../../src/output/types.js';
import { joinJumps } from '../../src/stages/assemble-document/join-jumps.js';
import { numberPages } from '../../src/stages/assemble-document/number-pages.js';

function article(id: string, page: number, paragraphs: string[], extra: Partial<ArticleJson> = {}): ArticleJson {
  return { id, page, pageIndex: page, pages: [page], kind: 'article', order: 1, authors: [], paragraphs, captions: [], bbox: [0, 0, 1, 1], blockIds: [id], confidence: 0.9, ...extra };
}

describe('joinJumps', () => {
  it('joins a story jumping to a later page of the same document, both parts in order', () => {
    const joined = joinJumps([
      article('p2-a5', 2, ['开头一段。', '第二段'], { headline: '统计培训', continuedOn: 3 }),
      article('p2-a6', 2, ['别的稿件。']),
      article('p3-a1', 3, ['接续的文字。'], { continuedFrom: 2 }),
    ]);
    expect(joined.map((a) => a.id)).toEqual(['p2-a5', 'p2-a6']);
    expect(joined[0]?.pages).toEqual([2, 3]);
    expect(joined[0]?.paragraphs).toEqual(['开头一段。', '第二段', '接续的文字。']);
    expect(joined[0]?.continuedOn).toBeUndefined();
    expect(joined[0]?.blockIds).toEqual(['p2-a5', 'p3-a1']);
    expect(joined[0]?.parts).toEqual([
      { page: 2, pageIndex: 2, paragraphs: 2, captions: 0 },
      { page: 3, pageIndex: 3, paragraphs: 1, captions: 0 },
    ]);
  });

  it('keeps continuedOn when the continuation is not in the document', () => {
    const joined = joinJumps([article('p2-a5', 2, ['开头。'], { continuedOn: 3 })]);
    expect(joined).toHaveLength(1);
    expect(joined[0]?.continuedOn).toBe(3);
    expect(joined[0]?.pages).toEqual([2]);
    expect(joined[0]?.parts).toBeUndefined();
  });

  it('follows a chain over three pages and does not join a story from another page', () => {
    const joined = joinJumps([
      article('a', 1, ['一'], { continuedOn: 2 }),
      article('b', 2, ['二'], { continuedFrom: 1, continuedOn: 4 }),
      article('c', 4, ['三'], { continuedFrom: 2 }),
      article('d', 4, ['别处'], { continuedFrom: 3 }),
    ]);
    expect(joined.map((a) => a.id)).toEqual(['a', 'd']);
    expect(joined[0]?.pages).toEqual([1, 2, 4]);
    expect(joined[0]?.paragraphs).toEqual(['一', '二', '三']);
    expect(joined[0]?.parts?.map((p) => [p.page, p.paragraphs])).toEqual([[1, 1], [2, 1], [4, 1]]);
  });
});

describe('numberPages', () => {
  const page = (number: number, printedPage?: number) => ({
    number,
    ...(printedPage !== undefined ? { printedPage } : {}),
    widthPx: 1, heightPx: 1, dpi: 300, skewDeg: 0, textSource: 'ocr' as const, meanConfidence: 1, columns: 1, blocks: [], furniture: [],
  });
  const art = (pageIndex: number): ArticleJson => article(`p${pageIndex}`, pageIndex, ['x']);

  it('numbers every page by the offset most pages agree on, outvoting a misread number', () => {
    const out = numberPages([page(1, 5), page(2, 6), page(3, 9), page(4)], [art(1), art(3), art(4)]);
    expect(out.map((a) => a.page)).toEqual([5, 7, 8]);
    expect(out.map((a) => a.pageIndex)).toEqual([1, 3, 4]);
  });

  it('keeps positions when no page shows its number', () => {
    expect(numberPages([page(1), page(2)], [art(2)]).map((a) => a.page)).toEqual([2]);
  });
});
