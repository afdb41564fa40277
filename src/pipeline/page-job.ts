/**
 * The unit of work: one page of one document. A job names its input; its result is plain JSON, so a
 * distributed queue can carry both later. Stages run in order: rasterise, preprocess, layout,
 * recognise, assemble.
 */
import { analysePage } from '../layout/analyse.js';
import type { PageLayout } from '../layout/types.js';
import { isBilevel } from '../layout/photos.js';
import { inkMask, speckRate } from '../layout/mask.js';
import { median3 } from '../layout/median3.js';
import type { Recognizer } from '../ocr/types.js';
import type { ArticleJson, PageJson, TextSource } from '../output/types.js';
import type { GrayImage } from '../image.js';
import { assemblePage, type PageFacts } from '../stages/assemble.js';
import { textLayerReader } from '../stages/read-text-layer.js';
import { preprocess, type PreprocessedPage } from '../stages/preprocess.js';
import type { PageSource, RasterProvenance } from '../stages/rasterise/index.js';
import { readLayout, recognisePage } from '../stages/recognise.js';
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

/** Above this share of lone ink pixels a scan is noisy (clean scans: under 0.1 %; archive: about 1 %). */
const NOISY_SPECK_RATE = 0.004;

/** A text layer this long makes a page born-digital; its sketch is drawn at this resolution. */
const BORN_DIGITAL_SKETCH = { dpi: 100, minChars: 50 } as const;

function pageFacts(job: PageJob, image: GrayImage, skewDeg: number, textSource: TextSource, blockColumns: readonly number[]): PageFacts {
  return {
    number: job.pageNumber,
    widthPx: image.width,
    heightPx: image.height,
    dpi: image.dpi,
    skewDeg,
    textSource,
    columns: Math.max(0, ...blockColumns),
  };
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

type Timed = <T>(stage: Stage, fn: () => Promise<T> | T) => Promise<T>;
type Assembled = Awaited<ReturnType<typeof assemblePage>>;

/** A page after its preparation: a born-digital page already read from its text layer, or a scan laid out for OCR. */
type PreparedPage = (
  | { readonly kind: 'text-layer'; readonly assembled: Assembled }
  | { readonly kind: 'scan'; readonly pre: PreprocessedPage; readonly layout: PageLayout }
) & { readonly raster: RasterProvenance };

export async function processPage(job: PageJob, deps: PageDependencies): Promise<PageResult> {
  const timings: StageTimings = {};
  const timed: Timed = async (stage, fn) => {
    deps.signal?.throwIfAborted();
    deps.onStage?.(stage);
    const started = performance.now();
    try {
      return await fn();
    } catch (err) {
      throw classifyError(err, stage);
    } finally {
      timings[stage] = Math.round(performance.now() - started);
    }
  };
  const prepare = deps.prepare ?? (<T>(work: () => Promise<T>) => work());
  const prepared = await prepare(() => preparePage(job, deps.document, deps.recognizer, timed));
  let assembled: Assembled;
  if (prepared.kind === 'text-layer') {
    assembled = prepared.assembled;
  } else {
    const { pre, layout } = prepared;
    const pageKey = `${job.documentId}#${job.pageNumber}`;
    const recognized = await timed('recognise', () => recognisePage(pre.image, layout, deps.recognizer, pageKey));
    assembled = await timed('assemble', () =>
      assemblePage(recognized, pageFacts(job, pre.image, pre.skewDeg, 'ocr', layout.blocks.map((b) => b.columns.length))),
    );
  }
  return { documentId: job.documentId, pageNumber: job.pageNumber, page: { ...assembled.page, raster: prepared.raster }, articles: assembled.articles, timings };
}

/** Rasterise, then either read a born-digital page from its text layer or preprocess and lay out a scan. */
async function preparePage(job: PageJob, document: PageSource, recognizer: Recognizer, timed: Timed): Promise<PreparedPage> {
  const textSource = job.textSource ?? 'auto';
  const raster = await timed('rasterise', () =>
    document.renderPage(job.pageNumber, textSource === 'ocr' ? {} : { textLayerRender: BORN_DIGITAL_SKETCH }),
  );
  if (raster.origin === 'vector-sketch' && raster.textLayer) {
    // Born-digital: structure from the sketch of the page's vector content, text from its text layer.
    const textLayer = raster.textLayer;
    const layout = await timed('layout', () => analysePage(raster.image, { textLayer }));
    const pad = Math.round(layout.bodyGlyphHeight * 0.3);
    const recognized = await timed('recognise', () => readLayout(layout, textLayerReader(textLayer, pad)));
    const assembled = await timed('assemble', () =>
      assemblePage(recognized, pageFacts(job, raster.image, 0, 'pdf', layout.blocks.map((b) => b.columns.length))),
    );
    return { kind: 'text-layer', assembled, raster: raster.provenance };
  }
  if (textSource === 'pdf') {
    throw new InputError(`page ${job.pageNumber} has no usable text layer (--text-source pdf)`, { stage: 'rasterise' });
  }
  // A scan will need OCR: the recogniser starts up while this page is prepared.
  recognizer.warmUp?.();
  const pre = await timed('preprocess', () => preprocess(raster.image));
  const layout = await timed('layout', async () => {
    // A noisy scan is despeckled for finding structure only; recognition reads the unfiltered pixels.
    // A bilevel scan, rotated by deskewing, is smoothed the same way (its edges are all jaggies).
    const bilevelSource = isBilevel(raster.image);
    if (bilevelSource) return analysePage(median3(pre.image), { bilevelSource });
    // The mask that measures the specks is the one layout analysis starts from on a clean page.
    const mask = inkMask(pre.image);
    if (speckRate(mask) > NOISY_SPECK_RATE) return analysePage(median3(pre.image), { bilevelSource });
    return analysePage(pre.image, { bilevelSource, mask });
  });
  return { kind: 'scan', pre, layout, raster: raster.provenance };
}
