/**
 * The recogniser contract: a region (or line) image in, text with boxes and confidences out.
 * tesseract.js (./tesseract-pool.ts) and PP-OCR (./paddle/) implement it; ./engines.ts picks one.
 */
import type { GrayImage, Rect } from '../image/gray-image.js';

/** How the region is to be read: a block of lines of one column, or a single line. */
export type SegmentationMode = 'block' | 'line' | 'sparse';

export interface RecognizeRequest {
  readonly image: GrayImage;
  readonly mode: SegmentationMode;
  /** Identifies the page the region comes from (used to recycle workers every K pages). */
  readonly pageKey?: string;
  /**
   * The text lines the layout found in a block, in the image's coordinates. A recogniser that reads
   * line by line reads these instead of finding the lines itself; one that reads blocks ignores them.
   */
  readonly lines?: readonly Rect[];
}

export interface RecognizedLine {
  readonly text: string;
  /** In the request image's pixel coordinates. */
  readonly bbox: Rect;
  /** 0..1 */
  readonly confidence: number;
}

export interface RecognizedRegion {
  readonly lines: readonly RecognizedLine[];
}

export interface EngineInfo {
  /** The engine's name on the command line (`--engine`), recorded per page and in pipeline.parameters. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly core: string;
  readonly model: string;
  readonly modelVersion: string;
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  /**
   * Body glyphs shorter than `belowPx` (in pixels of the page as scanned) are smaller than this
   * engine reads well: such a page is still read, and the run warns with `advice`. Absent: no limit
   * measured.
   */
  readonly smallGlyphs?: { readonly belowPx: number; readonly advice: string };
}

export interface Recognizer {
  readonly engine: EngineInfo;
  recognize(request: RecognizeRequest): Promise<RecognizedRegion>;
  /** Optional: get ready for the first request now (load models, start workers); never throws. */
  warmUp?(): void;
  close(): Promise<void>;
}
