/**
 * The document assembly stage: the assembled pages of one document, in page order, in; the
 * document's articles out, with one page numbering for the whole document (page numbers in ids and
 * boxes) and the stories that jump between its pages ((下转第N版) … (上接第N版)) joined.
 */
import type { ArticleJson } from '../../output/types.js';
import type { AssembledPage } from '../assemble-page/index.js';
import { joinJumps } from './join-jumps.js';
import { numberPages } from './number-pages.js';

export type AssembleDocumentInput = readonly AssembledPage[];
export type AssembleDocumentOutput = ArticleJson[];

export function assembleDocument(pages: AssembleDocumentInput): AssembleDocumentOutput {
  return joinJumps(numberPages(pages.map((p) => p.page), pages.flatMap((p) => p.articles)));
}

export { joinJumps } from './join-jumps.js';
export { numberPages } from './number-pages.js';
