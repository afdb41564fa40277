import { ConfigError } from '../errors.js';
import type { TextSourceChoice } from '../pipeline/page-job.js';

export const TEXT_SOURCE_HELP =
  '  --text-source <auto|ocr|pdf>       page text from a usable PDF text layer, else OCR (auto, default); always OCR; always the PDF layer';

export function parseTextSource(value: string | undefined): TextSourceChoice | undefined {
  if (value === undefined) return undefined;
  if (value === 'auto' || value === 'ocr' || value === 'pdf') return value;
  throw new ConfigError(`--text-source expects auto, ocr or pdf, got "${value}"`);
}
