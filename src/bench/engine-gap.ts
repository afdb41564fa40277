/**
 * The OCR engine alone against native tesseract: the body-column images of one page, exactly as the
 * pipeline sends them, read by one tesseract.js worker and by one native tesseract process (PSM 6, the
 * mode the pipeline reads columns in, and the same parameters), one image after the other. It tells
 * how much of the whole-pipeline ratio is the engine's rather than the pipeline's.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GrayImage } from '../image/gray-image.js';
import { INIT_PARAMETERS, TesseractPool, WORKER_PARAMETERS } from '../ocr/tesseract-pool.js';
import type { Recognizer } from '../ocr/types.js';
import { processPage } from '../pipeline/page-job.js';
import { openPageSource } from '../stages/rasterise/index.js';
import { writePageImages } from './native-tesseract.js';

export interface EngineGap {
  readonly input: string;
  /** Body-column images of page 1. */
  readonly images: number;
  readonly tesseractJsMs: number;
  /** One process for all the images: its one model load (about 0.1 s) is counted. */
  readonly nativeMs: number;
  /** tesseractJsMs / nativeMs. */
  readonly ratio: number;
}

/** The images the pipeline gives the recogniser for the body columns of page 1 of `input`. */
async function columnImages(input: string): Promise<GrayImage[]> {
  const images: GrayImage[] = [];
  const recorder: Recognizer = {
    engine: { id: 'recorder', name: 'recorder', version: '', core: '', model: '', modelVersion: '', parameters: {} },
    recognize: (request) => {
      if (request.mode === 'block') images.push(request.image);
      return Promise.resolve({ lines: [] });
    },
    close: () => Promise.resolve(),
  };
  const document = await openPageSource(new Uint8Array(await readFile(input)));
  try {
    await processPage({ documentId: 'engine-gap', sourceUri: input, pageNumber: 1, textSource: 'ocr' }, { document, recognizer: recorder });
  } finally {
    await document.close();
  }
  return images;
}

async function timeTesseractJs(images: readonly GrayImage[]): Promise<number> {
  const pool = new TesseractPool({ workers: 1 });
  try {
    // Started and warm before the clock runs, as the native model load is the only start-up counted.
    await pool.recognize({ image: { width: 8, height: 8, dpi: 300, data: new Uint8Array(64).fill(255) }, mode: 'block' });
    const started = performance.now();
    for (const image of images) await pool.recognize({ image, mode: 'block' });
    return performance.now() - started;
  } finally {
    await pool.close();
  }
}

async function timeNative(images: readonly GrayImage[]): Promise<number> {
  const written = await writePageImages(images);
  try {
    const list = path.join(path.dirname(written.files[0] ?? '.'), 'images.txt');
    await writeFile(list, `${written.files.join('\n')}\n`);
    const dpi = String(Math.round(images[0]?.dpi ?? 300));
    const parameters = Object.entries({ ...INIT_PARAMETERS, ...WORKER_PARAMETERS }).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn('tesseract', [list, '-', '-l', 'chi_sim', '--psm', '6', '--dpi', dpi, ...parameters], {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tesseract exited with ${code}`))));
    });
    return performance.now() - started;
  } finally {
    await written.dispose();
  }
}

/** Needs the native `tesseract` command with chi_sim (the caller checks). */
export async function measureEngineGap(input: string): Promise<EngineGap> {
  const images = await columnImages(input);
  if (images.length === 0) throw new Error(`${input}: page 1 has no body columns to read`);
  const tesseractJsMs = await timeTesseractJs(images);
  const nativeMs = await timeNative(images);
  return { input, images: images.length, tesseractJsMs, nativeMs, ratio: tesseractJsMs / nativeMs };
}
