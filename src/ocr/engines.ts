/**
 * The recognition engines a run can use (`--engine`), in one place: the name on the command line,
 * the recogniser it makes, and what it records in the output before any engine starts.
 */
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { PaddlePool, paddleEngineInfo } from './paddle/paddle-pool.js';
import { TesseractPool, tesseractEngineInfo } from './tesseract-pool.js';
import type { EngineInfo, Recognizer } from './types.js';

export const ENGINES = ['tesseract', 'paddle'] as const;
export type EngineChoice = (typeof ENGINES)[number];
export const DEFAULT_ENGINE: EngineChoice = 'tesseract';

export const ENGINE_HELP = `  --engine <tesseract|paddle>        OCR engine: tesseract.js with chi_sim (default; small, fast), or PP-OCRv4
                                     (ONNX; far better on noisy or low-resolution scans, slower)`;

export function parseEngine(value: string | undefined): EngineChoice | undefined {
  if (value === undefined) return undefined;
  const engine = ENGINES.find((e) => e === value);
  if (!engine) throw new ConfigError(`--engine expects ${ENGINES.join(' or ')}, got "${value}"`);
  return engine;
}

export interface EngineOptions {
  readonly workers: number;
  readonly logger?: Logger;
}

/** What `engine` records in the output (pipeline.engine and parameters), known without starting it. */
export function engineInfo(engine: EngineChoice, options: EngineOptions): EngineInfo {
  return engine === 'paddle' ? paddleEngineInfo({ workers: options.workers }) : tesseractEngineInfo({ workers: options.workers });
}

/** A fresh pool of `engine` with `workers` workers (closed by the caller). */
export function createRecognizer(engine: EngineChoice, options: EngineOptions): Recognizer {
  const common = { workers: options.workers, ...(options.logger ? { logger: options.logger } : {}) };
  return engine === 'paddle' ? new PaddlePool(common) : new TesseractPool(common);
}
