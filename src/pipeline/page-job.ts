/**
 * The unit of work: one page of one document. A job names its input; its result is plain JSON, so a
 * distributed queue can carry both later. Stages run in order: rasterise, preprocess, layout,
 * recognise, assemble.
 */
import { analysePage } from '../layout/analyse.js';
import type { Recognizer } from '../ocr/types.js';
import type { ArticleJson, PageJson } from '../output/types.js';
import { grayFromSharp, sharpFromGray } from '../sharp-gray.js';
import { assemblePage } from '../stages/assemble.js';
import { preprocess } from '../stages/preprocess.js';
import type { RasterDocument } from '../stages/raster-types.js';
import { recognisePage } from '../stages/recognise.js';
import { classifyError, type Stage } from '../errors.js';

export interface PageJob {
  readonly documentId: string;
  readonly sourceUri: string;
  readonly pageNumber: number;
}

export type StageTimings = Partial<Record<Stage, number>>;

export interface PageResult {
  readonly documentId: string;
  readonly pageNumber: number;
  readonly page: PageJson;
  readonly articles: ArticleJson[];
  readonly timings: StageTimings;
}

export interface PageDependencies {
  /** The opened document the job names (opened once per document by the run). */
  readonly document: RasterDocument;
  readonly recognizer: Recognizer;
}

export async function processPage(job: PageJob, deps: PageDependencies): Promise<PageResult> {
  const timings: StageTimings = {};
  const timed = async <T>(stage: Stage, fn: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } catch (err) {
      throw classifyError(err, stage);
    } finally {
      timings[stage] = Math.round(performance.now() - started);
    }
  };
  const raster = await timed('rasterise', () => deps.document.renderPage(job.pageNumber));
  const pre = await timed('preprocess', () => preprocess(raster.image));
  const layout = await timed('layout', async () => {
    // Despeckled copy for finding structure only; recognition reads the unfiltered pixels.
    const despeckled = await grayFromSharp(sharpFromGray(pre.image).median(3), pre.image.dpi);
    return analysePage(despeckled);
  });
  const pageKey = `${job.documentId}#${job.pageNumber}`;
  const recognized = await timed('recognise', () => recognisePage(pre.image, layout, deps.recognizer, pageKey));
  const assembled = await timed('assemble', () =>
    assemblePage(recognized, {
      number: job.pageNumber,
      widthPx: pre.image.width,
      heightPx: pre.image.height,
      dpi: pre.image.dpi,
      skewDeg: pre.skewDeg,
      textSource: 'ocr',
      columns: Math.max(0, ...layout.blocks.map((b) => b.columns.length)),
    }),
  );
  return { documentId: job.documentId, pageNumber: job.pageNumber, page: assembled.page, articles: assembled.articles, timings };
}
