/**
 * The unit of work: one page of one document. A job names its input; its result is plain JSON, so a
 * distributed queue can carry both later. Stages run in order: rasterise, preprocess, layout,
 * recognise, assemble.
 */
import type { GrayImage } from '../image/gray-image.js';
import type { Recognizer } from '../ocr/types.js';
import type { ArticleJson, PageJson, TextSource } from '../output/types.js';
import { assemblePageStage, type AssembledPage, type PageFacts } from '../stages/assemble-page/index.js';
import { layoutStage, type PageLayout } from '../stages/layout/index.js';
import { preprocessStage, type PreprocessedPage } from '../stages/preprocess/index.js';
import type { PageSource, RasterProvenance } from '../stages/rasterise/index.js';
import { recogniseStage } from '../stages/recognise/index.js';
import type { PageStage } from '../stages/stage.js';
import { classifyError, InputError, type Stage } from '../errors.js';

export interface PageJob {
  readonly documentId: string;
  readonly sourceUri: string;
  readonly pageNumber: number;
  /** Default `auto`. */
  readonly textSource?: TextSourceChoice;
}

/** Where a page's text comes from: `auto` takes a usable PDF text layer and OCRs everything else. */
export type TextSourceChoice = 'auto' | 'ocr' | 'pdf';

/** A text layer this long makes a page born-digital; its sketch is drawn at this resolution. */
const BORN_DIGITAL_SKETCH = { dpi: 100, minChars: 50 } as const;

function pageFacts(job: PageJob, image: GrayImage, skewDeg: number, textSource: TextSource, layout: PageLayout): PageFacts {
  return {
    number: job.pageNumber,
    widthPx: image.width,
    heightPx: image.height,
    dpi: image.dpi,
    skewDeg,
    textSource,
    columns: Math.max(0, ...layout.blocks.map((b) => b.columns.length)),
  };
}

export type StageTimings = Partial<Record<Stage, number>>;

export interface PageResult {
  readonly documentId: string;
  readonly pageNumber: number;
  readonly page: PageJson;
  readonly articles: ArticleJson[];
  readonly timings: StageTimings;
  /** Scans: the body glyph height the layout measured, px (absent for text-layer pages and in older checkpoints). */
  readonly bodyGlyphPx?: number;
}

export interface PageDependencies {
  /** The opened document the job names (opened once per document by the run). */
  readonly document: PageSource;
  readonly recognizer: Recognizer;
  /** Checked before each stage: once aborted, the job stops there and rejects with the reason. */
  readonly signal?: AbortSignal;
  /** Told when each stage starts (for a timeout message that names the stage). */
  readonly onStage?: (stage: Stage) => void;
  /**
   * Runs a page's preparation (rasterise, preprocess, layout) in the lane the pages in flight share.
   * Those stages are main-thread work: run side by side they only interleave and hold back the
   * first page's OCR; one at a time, the next page is ready when the OCR workers finish the last.
   * Default: at once.
   */
  readonly prepare?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Runs a stage on its input, timed, after a cancellation check, with whatever it throws typed. */
type Timed = <In, Out>(stage: PageStage<In, Out>, input: In) => Promise<Out>;

/** A page after its preparation: a born-digital page already read from its text layer, or a scan laid out for OCR. */
type PreparedPage = (
  | { readonly kind: 'text-layer'; readonly assembled: AssembledPage }
  | { readonly kind: 'scan'; readonly pre: PreprocessedPage; readonly layout: PageLayout }
) & { readonly raster: RasterProvenance };

export async function processPage(job: PageJob, deps: PageDependencies): Promise<PageResult> {
  const timings: StageTimings = {};
  const timed: Timed = async (stage, input) => {
    deps.signal?.throwIfAborted();
    deps.onStage?.(stage.name);
    const started = performance.now();
    try {
      return await stage.run(input);
    } catch (err) {
      throw classifyError(err, stage.name);
    } finally {
      timings[stage.name] = Math.round(performance.now() - started);
    }
  };
  const prepare = deps.prepare ?? (<T>(work: () => Promise<T>) => work());
  const prepared = await prepare(() => preparePage(job, deps.document, deps.recognizer, timed));
  let assembled: AssembledPage;
  if (prepared.kind === 'text-layer') {
    assembled = prepared.assembled;
  } else {
    const { pre, layout } = prepared;
    const pageKey = `${job.documentId}#${job.pageNumber}`;
    const recognized = await timed(recogniseStage, { layout, image: pre.image, recognizer: deps.recognizer, pageKey });
    assembled = await timed(assemblePageStage, { recognized, facts: pageFacts(job, pre.image, pre.skewDeg, 'ocr', layout) });
  }
  // A scan's page names the engine that read it (the text-layer pages were read by none).
  const engine = prepared.kind === 'scan' ? { engine: deps.recognizer.engine.id } : {};
  const glyph = prepared.kind === 'scan' ? { bodyGlyphPx: Math.round(prepared.layout.bodyGlyphHeight) } : {};
  return { documentId: job.documentId, pageNumber: job.pageNumber, page: { ...assembled.page, ...engine, raster: prepared.raster }, articles: assembled.articles, timings, ...glyph };
}

/** Rasterise, then either read a born-digital page from its text layer or preprocess and lay out a scan. */
async function preparePage(job: PageJob, document: PageSource, recognizer: Recognizer, timed: Timed): Promise<PreparedPage> {
  const textSource = job.textSource ?? 'auto';
  const raster = await timed(
    { name: 'rasterise', run: (pageNumber: number) => document.renderPage(pageNumber, textSource === 'ocr' ? {} : { textLayerRender: BORN_DIGITAL_SKETCH }) },
    job.pageNumber,
  );
  if (raster.origin === 'vector-sketch' && raster.textLayer) {
    // Born-digital: structure from the sketch of the page's vector content, text from its text layer.
    const textLayer = raster.textLayer;
    const layout = await timed(layoutStage, { image: raster.image, textLayer });
    const recognized = await timed(recogniseStage, { layout, textLayer });
    const assembled = await timed(assemblePageStage, { recognized, facts: pageFacts(job, raster.image, 0, 'pdf', layout) });
    return { kind: 'text-layer', assembled, raster: raster.provenance };
  }
  if (textSource === 'pdf') {
    throw new InputError(`page ${job.pageNumber} has no usable text layer (--text-source pdf)`, { stage: 'rasterise' });
  }
  // A scan will need OCR: the recogniser starts up while this page is prepared.
  recognizer.warmUp?.();
  const pre = await timed(preprocessStage, raster.image);
  const layout = await timed(layoutStage, { image: pre.image, scanned: raster.image });
  return { kind: 'scan', pre, layout, raster: raster.provenance };
}
