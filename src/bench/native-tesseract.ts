/**
 * The peer in the benchmark: the native `tesseract` command on the same page images, one process per
 * worker, single-threaded each (OMP_THREAD_LIMIT=1), PSM 3 — the way the CLI is usually run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PQueue from 'p-queue';
import { addTask } from '../queue.js';
import { encodePgm } from '../ocr/pgm.js';
import type { GrayImage } from '../image/gray-image.js';

export function nativeTesseractVersion(): string | undefined {
  const probe = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const langs = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  if (!/\bchi_sim\b/u.test(`${langs.stdout}${langs.stderr}`)) return undefined;
  return (probe.stdout || probe.stderr).split('\n')[0]?.trim();
}

export interface NativeImages {
  readonly files: readonly string[];
  dispose(): Promise<void>;
}

/** Writes the page images once (PGM: no encoding cost) so every native run reads the same pixels. */
export async function writePageImages(images: readonly GrayImage[]): Promise<NativeImages> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsprint-bench-'));
  const files: string[] = [];
  for (const [i, image] of images.entries()) {
    const file = path.join(dir, `page-${i + 1}.pgm`);
    await writeFile(file, encodePgm(image));
    files.push(file);
  }
  return { files, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Wall time, ms, of reading every file with `processes` tesseract processes at a time. */
export async function runNativeTesseract(files: readonly string[], processes: number): Promise<number> {
  const queue = new PQueue({ concurrency: processes });
  const started = performance.now();
  await Promise.all(
    files.map((file) =>
      addTask(
        queue,
        () =>
          new Promise<void>((resolve, reject) => {
            const child = spawn('tesseract', [file, '-', '-l', 'chi_sim', '--psm', '3'], {
              env: { ...process.env, OMP_THREAD_LIMIT: '1' },
              stdio: ['ignore', 'ignore', 'ignore'],
            });
            child.on('error', reject);
            child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tesseract exited with ${code} on ${file}`))));
          }),
      ),
    ),
  );
  return performance.now() - started;
}
