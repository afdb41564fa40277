/**
 * The benchmark: the whole pipeline over a set of scans, R times, with per-stage times, pages per
 * hour and peak memory, for one or more OCR engines side by side on the same pages in the same run
 * (their order alternates from run to run), with each engine's scores when ground truth lies next
 * to an input; and, when the native tesseract command is there, the same page images through it in
 * the same run, for a ratio measured on the same machine at the same time.
 */
import { existsSync } from 'node:fs';
import { readFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProgress } from '../cli/progress.js';
import { loadGroundTruth, loadPrediction } from '../eval/load.js';
import { evaluate } from '../eval/score.js';
import { silentLogger } from '../logger.js';
import { DEFAULT_ENGINE, type EngineChoice } from '../ocr/engines.js';
import { runIngest } from '../pipeline/ingest.js';
import type { StageTimings } from '../pipeline/page-job.js';
import { openPageSource } from '../stages/rasterise/index.js';
import { preprocess } from '../stages/preprocess/index.js';
import type { GrayImage } from '../image/gray-image.js';
import { measureEngineGap, type EngineGap } from './engine-gap.js';
import { nativeTesseractVersion, runNativeTesseract, writePageImages } from './native-tesseract.js';

export interface BenchOptions {
  readonly inputs: readonly string[];
  readonly workers: number;
  readonly repeat: number;
  /** The engines to run side by side, in this order in odd runs and reversed in even ones. Default tesseract. */
  readonly engines?: readonly EngineChoice[];
  /** Compare with native tesseract when it is installed. Default true. */
  readonly native?: boolean;
  readonly onRun?: (run: BenchRun) => void;
}

export interface LongRunOptions {
  readonly inputs: readonly string[];
  readonly workers: number;
  /** Pages in the one run: the inputs are repeated until there are at least this many. */
  readonly pages: number;
  /** Default tesseract. */
  readonly engine?: EngineChoice;
  /** Told every `every` pages. */
  readonly onSample?: (sample: RssSample) => void;
}

export interface RssSample {
  readonly pages: number;
  readonly rssMb: number;
}

export interface LongRunReport {
  readonly inputs: readonly string[];
  readonly workers: number;
  readonly pages: number;
  readonly ms: number;
  /** RSS every 10 pages, as pages finish. */
  readonly samples: readonly RssSample[];
  readonly rssAfter10PagesMb: number;
  /** RSS when the last page finished (the pool still open). */
  readonly rssAtEndMb: number;
  /** rssAtEnd / rssAfter10 - 1. */
  readonly growth: number;
  readonly peakRssMb: number;
}

/** One engine's ingest within a run. */
export interface EngineRun {
  readonly engine: EngineChoice;
  readonly pipelineMs: number;
  readonly pages: number;
  readonly stageMs: StageTimings;
  /** The process's peak RSS while this ingest ran. */
  readonly peakRssMb: number;
}

export interface BenchRun {
  readonly run: number;
  /** The first engine's wall time (the one native tesseract is compared with). */
  readonly pipelineMs: number;
  readonly engines: readonly EngineRun[];
  readonly nativeMs?: number;
  readonly pages: number;
  readonly stageMs: StageTimings;
}

/** The scores of one input's output against the ground truth lying next to it. */
export interface InputQuality {
  readonly input: string;
  readonly groundTruth: string;
  readonly cer: number;
  readonly orderFreeCer: number;
  readonly f1: number;
  readonly headlineCer: number | null;
}

export interface EngineSummary {
  readonly engine: EngineChoice;
  readonly medianPipelineMs: number;
  readonly pagesPerHour: number;
  /** This engine's median wall time / the first engine's, from the same runs. */
  readonly ratioToFirst: number;
  /** Medians of the per-run ratios to the first engine (each run's pair measured back to back). */
  readonly runRatioToFirst: number;
  readonly peakRssMb: number;
  /** Scores of the last run's outputs, for inputs with ground truth beside them. */
  readonly quality: readonly InputQuality[];
}

export interface BenchReport {
  readonly inputs: readonly string[];
  readonly workers: number;
  readonly pages: number;
  readonly runs: readonly BenchRun[];
  readonly engines: readonly EngineSummary[];
  /** The first engine's figures. */
  readonly medianPipelineMs: number;
  readonly medianNativeMs?: number;
  /** First engine's pipeline wall time / native wall time (medians). */
  readonly ratio?: number;
  readonly pagesPerHour: number;
  readonly peakRssMb: number;
  /** RSS after the first 10 pages and at the end of the pipeline runs (growth check). */
  readonly rssAfter10PagesMb?: number;
  readonly rssAtEndMb: number;
  readonly nativeVersion?: string;
  /** With native tesseract: the engines alone on the same column images (see engine-gap.ts). */
  readonly engineGap?: EngineGap;
}

const mb = (bytes: number): number => Math.round(bytes / 1048576);

/** One ingest run as the bench makes it: silent, into `out`; `onPage` is told as each page finishes. */
function benchIngest(inputs: readonly string[], out: string, workers: number, onPage: () => void, engine: EngineChoice = DEFAULT_ENGINE): ReturnType<typeof runIngest> {
  const progress = createProgress({ isTTY: false, logger: silentLogger });
  return runIngest({
    inputs,
    out,
    workers,
    engine,
    logger: silentLogger,
    progress: {
      ...progress,
      pageDone: (id, page, ms) => {
        progress.pageDone(id, page, ms);
        onPage();
      },
    },
  });
}

/**
 * Samples the process's RSS every 100 ms until stopped; `stop()` returns the peak seen, bytes, and
 * with `lifetime` the process's own peak if higher (a window of a longer process passes false).
 */
function sampleRss(lifetime = true): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss(), lifetime ? process.resourceUsage().maxRSS * 1024 : 0);
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The page images the native peer reads: rasterised and deskewed as the pipeline's OCR sees them. */
async function pageImages(inputs: readonly string[]): Promise<GrayImage[]> {
  const images: GrayImage[] = [];
  for (const input of inputs) {
    const doc = await openPageSource(new Uint8Array(await readFile(input)));
    try {
      for (let p = 1; p <= doc.pageCount; p++) images.push((await preprocess((await doc.renderPage(p)).image)).image);
    } finally {
      await doc.close();
    }
  }
  return images;
}

/**
 * The ground truth lying next to an input, if any: `<name>.gt.json` beside `<name>.scan.pdf` (or
 * `<name>.pdf`), or in a `gt/` folder beside it (samples/), else the page-N.gt.json files of the
 * input's folder (a corpus set's issue.scan.pdf).
 */
export function groundTruthBeside(input: string): string | undefined {
  const dir = path.dirname(input);
  const stem = path.basename(input).replace(/\.[^.]+$/u, '').replace(/\.scan$/u, '');
  for (const file of [path.join(dir, `${stem}.gt.json`), path.join(dir, 'gt', `${stem}.gt.json`)]) if (existsSync(file)) return file;
  return existsSync(path.join(dir, 'page-1.gt.json')) ? dir : undefined;
}

async function scoreOutputs(report: Awaited<ReturnType<typeof runIngest>>, out: string): Promise<InputQuality[]> {
  const scores: InputQuality[] = [];
  for (const doc of report.documents) {
    const input = doc.uri.startsWith('file://') ? new URL(doc.uri).pathname : doc.uri;
    const groundTruth = groundTruthBeside(input);
    if (!groundTruth || !doc.ok) continue;
    const scored = evaluate(await loadGroundTruth(groundTruth), await loadPrediction(path.join(out, doc.documentId, 'document.json'))).overall;
    scores.push({ input, groundTruth, cer: scored.cer, orderFreeCer: scored.orderFreeCer, f1: scored.f1, headlineCer: scored.headlineCer });
  }
  return scores;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const engines = options.engines && options.engines.length > 0 ? options.engines : [DEFAULT_ENGINE];
  const nativeVersion = options.native === false ? undefined : nativeTesseractVersion();
  const native = nativeVersion ? await writePageImages(await pageImages(options.inputs)) : undefined;
  const engineGap = nativeVersion && options.inputs[0] ? await measureEngineGap(options.inputs[0]) : undefined;
  const rss = sampleRss();
  let peakRss = 0;
  let pagesDone = 0;
  let rssAfter10: number | undefined;
  const runs: BenchRun[] = [];
  const quality = new Map<EngineChoice, InputQuality[]>();
  try {
    for (let run = 1; run <= options.repeat; run++) {
      const results: EngineRun[] = [];
      for (const engine of run % 2 === 1 ? engines : [...engines].reverse()) {
        const out = await mkdtemp(path.join(tmpdir(), 'newsprint-bench-out-'));
        const window = sampleRss(false);
        const started = performance.now();
        try {
          const report = await benchIngest(options.inputs, out, options.workers, () => {
            pagesDone++;
            if (pagesDone === 10) rssAfter10 = process.memoryUsage.rss();
          }, engine);
          const pipelineMs = performance.now() - started;
          const pages = report.documents.reduce((n, d) => n + d.pages, 0);
          results.push({ engine, pipelineMs, pages, stageMs: report.stageMs, peakRssMb: mb(window.stop()) });
          if (run === options.repeat) quality.set(engine, await scoreOutputs(report, out));
        } finally {
          window.stop();
          await rm(out, { recursive: true, force: true });
        }
      }
      results.sort((a, b) => engines.indexOf(a.engine) - engines.indexOf(b.engine));
      const first = results[0];
      const nativeMs = native ? await runNativeTesseract(native.files, options.workers) : undefined;
      const entry: BenchRun = { run, pipelineMs: first?.pipelineMs ?? 0, engines: results, pages: first?.pages ?? 0, stageMs: first?.stageMs ?? {}, ...(nativeMs !== undefined ? { nativeMs } : {}) };
      runs.push(entry);
      options.onRun?.(entry);
    }
  } finally {
    peakRss = rss.stop();
    await native?.dispose();
  }
  const rssAtEnd = process.memoryUsage.rss();
  const pages = runs[0]?.pages ?? 0;
  const timesOf = (engine: EngineChoice): number[] => runs.flatMap((r) => r.engines.filter((e) => e.engine === engine).map((e) => e.pipelineMs));
  const firstMedian = median(timesOf(engines[0] ?? DEFAULT_ENGINE));
  const summaries = engines.map((engine): EngineSummary => {
    const medianPipelineMs = median(timesOf(engine));
    const runRatios = runs.map((r) => (r.engines.find((e) => e.engine === engine)?.pipelineMs ?? 0) / Math.max(1, r.pipelineMs));
    return {
      engine,
      medianPipelineMs,
      pagesPerHour: medianPipelineMs > 0 ? (pages * 3600_000) / medianPipelineMs : 0,
      ratioToFirst: medianPipelineMs / Math.max(1, firstMedian),
      runRatioToFirst: median(runRatios),
      peakRssMb: Math.max(0, ...runs.flatMap((r) => r.engines.filter((e) => e.engine === engine).map((e) => e.peakRssMb))),
      quality: quality.get(engine) ?? [],
    };
  });
  const medianPipelineMs = firstMedian;
  const nativeTimes = runs.flatMap((r) => (r.nativeMs !== undefined ? [r.nativeMs] : []));
  const medianNativeMs = nativeTimes.length ? median(nativeTimes) : undefined;
  return {
    inputs: options.inputs,
    workers: options.workers,
    pages,
    runs,
    engines: summaries,
    medianPipelineMs,
    ...(medianNativeMs !== undefined ? { medianNativeMs, ratio: medianPipelineMs / medianNativeMs } : {}),
    pagesPerHour: medianPipelineMs > 0 ? (pages * 3600_000) / medianPipelineMs : 0,
    peakRssMb: mb(peakRss),
    ...(rssAfter10 !== undefined ? { rssAfter10PagesMb: mb(rssAfter10) } : {}),
    rssAtEndMb: mb(rssAtEnd),
    ...(nativeVersion ? { nativeVersion } : {}),
    ...(engineGap ? { engineGap } : {}),
  };
}

async function pageCount(input: string): Promise<number> {
  const doc = await openPageSource(new Uint8Array(await readFile(input)));
  try {
    return doc.pageCount;
  } finally {
    await doc.close();
  }
}

/**
 * One ingest run over the inputs repeated until it has `pages` pages (each repeat is a link with its
 * own name, so its own document), sampling RSS every 10 pages: a long run must not grow.
 */
export async function runLongBench(options: LongRunOptions): Promise<LongRunReport> {
  const counts = await Promise.all(options.inputs.map(pageCount));
  const perRound = counts.reduce((a, b) => a + b, 0);
  if (perRound === 0) throw new Error('the inputs have no pages');
  const dir = await mkdtemp(path.join(tmpdir(), 'newsprint-bench-long-'));
  const out = await mkdtemp(path.join(tmpdir(), 'newsprint-bench-out-'));
  const links: string[] = [];
  for (let round = 1, total = 0; total < options.pages; round++) {
    for (const [i, input] of options.inputs.entries()) {
      const link = path.join(dir, `r${String(round).padStart(4, '0')}-${i + 1}-${path.basename(input)}`);
      await symlink(path.resolve(input), link);
      links.push(link);
    }
    total += perRound;
  }
  const rss = sampleRss();
  let peakRss = 0;
  const samples: RssSample[] = [];
  let pagesDone = 0;
  let rssAtEnd = 0;
  const started = performance.now();
  try {
    await benchIngest(links, out, options.workers, () => {
      pagesDone++;
      rssAtEnd = process.memoryUsage.rss();
      if (pagesDone % 10 === 0) {
        const sample = { pages: pagesDone, rssMb: mb(rssAtEnd) };
        samples.push(sample);
        options.onSample?.(sample);
      }
    }, options.engine);
  } finally {
    peakRss = rss.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  }
  const after10 = samples[0]?.rssMb ?? mb(rssAtEnd);
  return {
    inputs: options.inputs,
    workers: options.workers,
    pages: pagesDone,
    ms: performance.now() - started,
    samples,
    rssAfter10PagesMb: after10,
    rssAtEndMb: mb(rssAtEnd),
    growth: mb(rssAtEnd) / Math.max(1, after10) - 1,
    peakRssMb: mb(peakRss),
  };
}
