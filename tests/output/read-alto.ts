/** A small ALTO reader for the tests: blocks with role, box and line texts, and the reading order groups. */
import { expect } from 'vitest';
import type { BBox } from '../../src/image/gray-image.js';
import { articlesOnPage } from '../../src/output/page-articles.js';
import type { DocumentJson } from '../../src/output/types.js';

export interface ReadBlock {
  readonly role: string;
  readonly box: BBox;
  readonly lines: { readonly text: string; readonly box: BBox }[];
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`, 'u').exec(tag)?.[1];
const boxOf = (tag: string): BBox => ['HPOS', 'VPOS', 'WIDTH', 'HEIGHT'].map((n) => Number(attr(tag, n))) as BBox;
const unescape = (s: string): string => s.replace(/&lt;/gu, '<').replace(/&gt;/gu, '>').replace(/&quot;/gu, '"').replace(/&amp;/gu, '&');

export function readAltoBlocks(xml: string): { blocks: Map<string, ReadBlock>; readingOrder: Map<string, string[]> } {
  const blocks = new Map<string, ReadBlock>();
  for (const m of xml.matchAll(/<(TextBlock|Illustration)\s[^>]*?(\/>|>[\s\S]*?<\/TextBlock>)/gu)) {
    const open = /^<[^>]*>/u.exec(m[0])?.[0] ?? '';
    const role = (attr(open, 'TAGREFS') ?? '').split(' ')[0]?.replace(/^tag-/u, '') ?? '';
    const lines = [...m[0].matchAll(/<TextLine\s[^>]*>([\s\S]*?)<\/TextLine>/gu)].map((l) => ({
      box: boxOf(l[0].slice(0, l[0].indexOf('>'))),
      text: [...(l[1] ?? '').matchAll(/<(String|SP)\s[^>]*\/>/gu)].map((s) => (s[1] === 'SP' ? ' ' : unescape(attr(s[0], 'CONTENT') ?? ''))).join(''),
    }));
    blocks.set(attr(open, 'ID') ?? '', { role, box: boxOf(open), lines });
  }
  const readingOrder = new Map<string, string[]>();
  for (const m of xml.matchAll(/<OrderedGroup ID="([^"]+)">((?:(?!<OrderedGroup)[\s\S])*?)<\/OrderedGroup>/gu)) {
    if (m[1] === 'reading-order') continue;
    readingOrder.set(m[1] ?? '', [...(m[2] ?? '').matchAll(/<ElementRef [^>]*REF="([^"]+)"/gu)].map((r) => r[1] ?? ''));
  }
  return { blocks, readingOrder };
}

/** Each article's text as ALTO gives it back: its blocks' Strings by role, in reading order. */
export function expectAltoMatchesJson(doc: DocumentJson, altoByPage: ReadonlyMap<number, string>): void {
  for (const page of doc.pages) {
    const alto = readAltoBlocks(altoByPage.get(page.number) ?? '');
    for (const { article, blocks } of articlesOnPage(doc, page)) {
      const group = alto.readingOrder.get(article.id);
      expect(group, `reading order group of ${article.id}`).toEqual(blocks.map((b) => b.id));
      for (const block of blocks) {
        const read = alto.blocks.get(block.id);
        expect(read?.box, `box of ${block.id}`).toEqual(block.bbox);
        expect(read?.lines.map((l) => l.box)).toEqual(block.lines.filter((l) => l.text.trim()).map((l) => l.bbox));
      }
    }
  }
  const squash = (s: string): string => s.replace(/\s+/gu, '');
  for (const article of doc.articles) {
    const textOf = (role: string): string =>
      squash(
        doc.pages
          .flatMap((page) => {
            const alto = readAltoBlocks(altoByPage.get(page.number) ?? '');
            return (alto.readingOrder.get(article.id) ?? []).map((id) => alto.blocks.get(id)!);
          })
          .filter((b) => b.role === role)
          .map((b) => b.lines.map((l) => l.text).join(''))
          .join(''),
      );
    expect(textOf('body'), `body of ${article.id}`).toBe(squash(article.paragraphs.join('')));
    expect(textOf('caption'), `captions of ${article.id}`).toBe(squash(article.captions.join('')));
    if (article.headline) expect(textOf('headline'), `headline of ${article.id}`).toBe(squash(article.headline));
  }
}
