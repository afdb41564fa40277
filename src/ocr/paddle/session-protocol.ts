/** The messages between a PP-OCR session thread (./session-host.ts) and the pool (./session-thread.ts). */
import type { GrayImage, Rect } from '../../image/gray-image.js';

export interface SessionWorkerData {
  /** URL of ./session-host (.js built, .ts from the sources). */
  readonly host: string;
  readonly modelPath: string;
  readonly threads: number;
}

/** One batch: lines of `image`, each read from `rect` scaled to `width` at the model's height. */
export interface BatchRequest {
  readonly id: number;
  readonly image: GrayImage;
  readonly lines: ReadonlyArray<{ readonly rect: Rect; readonly width: number }>;
}

export interface LineReading {
  readonly text: string;
  readonly confidence: number;
}

export type HostMessage =
  | { readonly ready: true }
  | { readonly loadError: string }
  | { readonly id: number; readonly lines: readonly LineReading[] }
  | { readonly id: number; readonly error: string };
