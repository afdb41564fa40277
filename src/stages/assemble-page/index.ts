/**
 * The page assembly stage: a RecognizedPage and the page's facts in; the page's blocks, furniture
 * and articles (headline, section, byline, paragraphs, captions) in reading order out, as the JSON
 * contract's PageJson and ArticleJson (src/output/types.ts).
 */
import type { RecognizedPage } from '../recognise/index.js';
import type { PageStage } from '../stage.js';
import { assemblePage, type AssembledPage, type PageFacts } from './assemble.js';

export interface AssemblePageInput {
  readonly recognized: RecognizedPage;
  readonly facts: PageFacts;
}
export type AssemblePageOutput = AssembledPage;

export const assemblePageStage: PageStage<AssemblePageInput, AssemblePageOutput> = {
  name: 'assemble',
  run: ({ recognized, facts }) => assemblePage(recognized, facts),
};

export type { AssembledPage, PageFacts } from './assemble.js';
