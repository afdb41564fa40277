/**
 * The recogniser contract: a region (or line) image in, text with boxes and confidences out.
 * tesseract.js implements it today; a second engine plugs in behind the same interface.
 */
import type { GrayImage, Rect } from '../image/gray-image.js';

/** How the region is to be read: a block of lines of one column, or a single line. */
export type SegmentationMode = 'block' | 'line' | 'sparse';

export interface RecognizeRequest {
  readonly image: GrayImage;
  readonly mode: SegmentationMode;
  /** Identifies the page the region comes from (used to recycle workers every K pages). */
  readonly pageKey?: string;
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
  readonly name: string;
  readonly version: string;
  readonly core: string;
  readonly model: string;
  readonly modelVersion: string;
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
}

export interface Recognizer {
  readonly engine: EngineInfo;
  recognize(request: RecognizeRequest): Promise<RecognizedRegion>;
  /** Optional: get ready for the first request now (load models, start workers); never throws. */
  warmUp?(): void;
  close(): Promise<void>;
}
