import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBench, runLongBench, type BenchReport, type LongRunReport } from '../bench/bench.js';
import { ConfigError } from '../errors.js';
import { parseQueueUrl } from '../page-queue/connection.js';
import { runQueueBench, type QueueBenchReport } from '../bench/queue-bench.js';
import { ENGINES, parseEngine, type EngineChoice } from '../ocr/engines.js';
import { parseCommandArgs, positiveInt, printReport } from './args.js';
import type { Command } from './main.js';

const HELP = `usage: newsprint bench [--corpus <dir>] [input...] [--engine E[,E]] [--workers N] [--repeat R] [--no-native] [--json]
       newsprint bench --long-run <pages> [--corpus <dir>] [input...] [--engine E] [--workers N] [--json]
       newsprint bench --queue <redis://…> [--corpus <dir>] [input...] [--workers N] [--json]

Runs the whole pipeline over a set of scans R times and prints per stage the time, pages per hour
and the peak RSS of the process (tesseract.js workers and PP-OCR sessions are threads of it). With
--engine tesseract,paddle both engines read the same pages in every run, one after the other (the
order alternates from run to run), and are printed side by side: time, pages per hour, peak RSS,
the ratio to the first engine, and the eval scores of inputs that have ground truth beside them
(page-N.gt.json in a corpus set's folder, <name>.gt.json beside <name>.scan.pdf, or in gt/). When the native
\`tesseract\` command (with chi_sim) is installed, the same page images go through
\`tesseract <image> - -l chi_sim --psm 3\` (OMP_THREAD_LIMIT=1, N processes) in the same run, and
the ratio of the two wall times is printed. So is the engines' ratio alone: the body-column images
of page 1 of the first input, as the pipeline sends them, read by one tesseract.js worker and by one
native process (PSM 6). A benchmark, not a test: nothing is asserted.

With --long-run, one ingest run goes over the inputs repeated until it has that many pages, and
the RSS is printed every 10 pages: a long run must not grow (compare the end with page 10).

With --queue, the inputs go once through the in-process pool and once through the queue with 1
and with 2 local worker processes (workers/page-worker.mjs, the N workers shared out between them):
pages/hour, the overhead per page against the in-process pool, and Redis commands per page. Use a
Redis nobody else uses. --repeat R makes R rounds of every configuration in turn (default 1 here); medians are reported.

options:
  --queue <redis://…> compare the queue with the in-process pool (see above)
  --corpus <dir>  use <dir>/*/issue.scan.pdf (default: the files in samples/)
  --engine <list> OCR engines, comma-separated: ${ENGINES.join(', ')} (default tesseract)
  --workers <n>   pipeline workers and native processes (default: cores, here ${os.availableParallelism()})
  --repeat <r>    runs; medians are reported (default 3)
  --no-native     skip the native tesseract peer
  --long-run <p>  one run of at least p pages instead, for memory growth (no native peer)
  --json          the report as JSON on stdout
`;

async function corpusInputs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => {
    throw new ConfigError(`corpus folder not found: ${dir}`);
  });
  const files: string[] = [];
  for (const e of entries) {
    const candidate = path.join(dir, e.name, 'issue.scan.pdf');
    if (e.isDirectory() && (await fs.stat(candidate).catch(() => undefined))) files.push(candidate);
  }
  if (files.length === 0) throw new ConfigError(`no */issue.scan.pdf under ${dir}`);
  return files.sort();
}

async function sampleInputs(): Promise<string[]> {
  const dir = new URL('../../samples/', import.meta.url).pathname;
  const names = (await fs.readdir(dir)).filter((n) => /\.(pdf|tiff?|jpe?g|png)$/iu.test(n)).sort();
  return names.map((n) => path.join(dir, n));
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `--engine tesseract,paddle`: each named once, at least one. */
export function parseEngineList(value: string | undefined): EngineChoice[] | undefined {
  if (value === undefined) return undefined;
  const engines = value.split(',').map((v) => parseEngine(v.trim()) as EngineChoice);
  if (new Set(engines).size !== engines.length) throw new ConfigError(`--engine names an engine twice: "${value}"`);
  return engines;
}

const f3 = (v: number | null): string => (v === null ? '    -' : v.toFixed(3));

/** The engines side by side: one row each, then each engine's scores per input with ground truth. */
function formatEngines(r: BenchReport): string[] {
  const lines = ['', 'engine     median wall  per page  pages/hour  x first (medians; per-run pairs)  peak RSS'];
  for (const e of r.engines) {
    lines.push(`${e.engine.padEnd(10)} ${s(e.medianPipelineMs).padStart(11)}  ${`${(e.medianPipelineMs / 1000 / Math.max(1, r.pages)).toFixed(1)} s`.padStart(8)}  ${String(Math.round(e.pagesPerHour)).padStart(10)}  ${e.ratioToFirst.toFixed(2).padStart(6)}; ${e.runRatioToFirst.toFixed(2).padEnd(25)}  ${e.peakRssMb} MB`);
  }
  const scored = r.engines.filter((e) => e.quality.length > 0);
  if (scored.length > 0) {
    lines.push('', 'engine     CER    ofCER  F1     hlCER  input (last run, against the ground truth beside it)');
    for (const e of scored) for (const q of e.quality) lines.push(`${e.engine.padEnd(10)} ${f3(q.cer)}  ${f3(q.orderFreeCer)}  ${f3(q.f1)}  ${f3(q.headlineCer)}  ${q.input}`);
  }
  return lines;
}

export function formatBench(r: BenchReport): string {
  const lines = [`pages per run: ${r.pages} (${r.inputs.length} inputs), workers: ${r.workers}, runs: ${r.runs.length}, engines: ${r.engines.map((e) => e.engine).join(', ')}`];
  lines.push('', `run  ${r.engines.map((e) => e.engine.padStart(9)).join(' ')}  native   ratio`);
  for (const run of r.runs) {
    lines.push(`${String(run.run).padStart(3)}  ${run.engines.map((e) => s(e.pipelineMs).padStart(9)).join(' ')}  ${run.nativeMs !== undefined ? s(run.nativeMs).padStart(7) : '      -'}  ${run.nativeMs ? (run.pipelineMs / run.nativeMs).toFixed(2).padStart(6) : '     -'}`);
  }
  const stages = r.runs[r.runs.length - 1]?.stageMs ?? {};
  const total = Object.values(stages).reduce((a, b) => a + (b ?? 0), 0);
  lines.push(...formatEngines(r));
  lines.push('', `stage (last run of ${r.engines[0]?.engine ?? 'the first engine'}; time summed over pages)`);
  for (const [stage, ms] of Object.entries(stages)) lines.push(`  ${stage.padEnd(11)} ${s(ms ?? 0).padStart(8)}  ${((100 * (ms ?? 0)) / Math.max(1, total)).toFixed(0).padStart(3)} %`);
  lines.push('');
  lines.push(`median wall: pipeline ${s(r.medianPipelineMs)} (${(r.medianPipelineMs / 1000 / Math.max(1, r.pages)).toFixed(1)} s/page, ${Math.round(r.pagesPerHour)} pages/hour)`);
  if (r.medianNativeMs !== undefined) lines.push(`             native tesseract ${s(r.medianNativeMs)} (${r.nativeVersion}); ratio ${r.ratio?.toFixed(2)}`);
  if (r.engineGap) {
    const g = r.engineGap;
    lines.push(`engines alone (${g.images} column images of page 1, one worker / one process): tesseract.js ${s(g.tesseractJsMs)}, native ${s(g.nativeMs)}; ratio ${g.ratio.toFixed(2)}`);
  }
  else lines.push('             native tesseract: not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim) or --no-native');
  lines.push(`peak RSS: ${r.peakRssMb} MB; RSS after 10 pages: ${r.rssAfter10PagesMb ?? '-'} MB; at end: ${r.rssAtEndMb} MB`);
  return lines.join('\n') + '\n';
}

export function formatQueueBench(r: QueueBenchReport): string {
  const lines = [`inputs: ${r.inputs.length}, cores used: ${r.workers}`, '', 'configuration                          pages   wall     pages/h  overhead/page  Redis cmds/page'];
  for (const c of r.configs) {
    const overhead = c.processes === 0 ? '-' : `${c.overheadMsPerPage >= 0 ? '+' : ''}${(c.overheadMsPerPage / 1000).toFixed(2)} s (${c.overheadRatio >= 0 ? '+' : ''}${(100 * c.overheadRatio).toFixed(1)} %)`;
    lines.push(`${c.name.padEnd(38)} ${String(c.pages).padStart(5)}  ${s(c.ms).padStart(7)}  ${String(Math.round(c.pagesPerHour)).padStart(7)}  ${overhead.padStart(13)}  ${c.redisCommandsPerPage ?? '-'}`);
  }
  return lines.join('\n') + '\n';
}

export function formatLongRun(r: LongRunReport): string {
  const lines = [`one run: ${r.pages} pages (${r.inputs.length} inputs repeated), workers: ${r.workers}, ${s(r.ms)} (${(r.ms / 1000 / Math.max(1, r.pages)).toFixed(1)} s/page)`];
  lines.push('', 'pages  RSS');
  for (const sample of r.samples) lines.push(`${String(sample.pages).padStart(5)}  ${sample.rssMb} MB`);
  lines.push('', `RSS after 10 pages: ${r.rssAfter10PagesMb} MB; at the end: ${r.rssAtEndMb} MB (${r.growth >= 0 ? '+' : ''}${(100 * r.growth).toFixed(0)} %); peak ${r.peakRssMb} MB`);
  return lines.join('\n') + '\n';
}

/**
 * glibc gives threads that allocate at the same time malloc arenas of their own; the pages' pixel
 * buffers, allocated on sharp's threads, end up scattered over them and the RSS creeps up 15-20 %
 * over 100 pages (measured). With two arenas it stays flat and 200-250 MB lower. The setting only
 * takes effect when a process starts, so the bench, whose output is these figures, starts itself
 * again with it when it is not set. `run` and `schedule` are best started with it (see the README).
 */
function restartWithTwoMallocArenas(): number | undefined {
  if (process.platform !== 'linux' || process.env['MALLOC_ARENA_MAX'] !== undefined || !process.argv[1]) return undefined;
  process.stderr.write('bench: starting again with MALLOC_ARENA_MAX=2 (see README, Performance)\n');
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  return child.status ?? 1;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'benchmark the pipeline (per stage, pages/hour, memory) against native tesseract',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      corpus: { type: 'string' },
      workers: { type: 'string' },
      repeat: { type: 'string' },
      'no-native': { type: 'boolean' },
      'long-run': { type: 'string' },
      queue: { type: 'string' },
      engine: { type: 'string' },
      json: { type: 'boolean' },
    });
    const engines = parseEngineList(values.engine);
    const inputs = positionals.length ? positionals : values.corpus ? await corpusInputs(values.corpus) : await sampleInputs();
    const workers = positiveInt(values.workers, '--workers') ?? os.availableParallelism();
    const longRunPages = positiveInt(values['long-run'], '--long-run');
    const repeat = positiveInt(values.repeat, '--repeat') ?? 3;
    const restarted = restartWithTwoMallocArenas();
    if (restarted !== undefined) return restarted;
    if (values.queue !== undefined) {
      const report = await runQueueBench({
        inputs,
        workers,
        queue: parseQueueUrl(values.queue),
        repeat: positiveInt(values.repeat, '--repeat') ?? 1,
        onConfig: (c) => process.stderr.write(`${c.name}: runs ${c.runsMs.map((ms) => s(ms)).join(', ')} for ${c.pages} pages\n`),
      });
      printReport(report, values.json, formatQueueBench);
      return 0;
    }
    if (longRunPages !== undefined) {
      if ((engines?.length ?? 0) > 1) throw new ConfigError('--long-run measures one engine: give one --engine');
      const report = await runLongBench({
        inputs,
        workers,
        pages: longRunPages,
        ...(engines?.[0] ? { engine: engines[0] } : {}),
        onSample: (sample) => process.stderr.write(`${sample.pages} pages: RSS ${sample.rssMb} MB\n`),
      });
      printReport(report, values.json, formatLongRun);
      return 0;
    }
    const report = await runBench({
      inputs,
      workers,
      repeat,
      ...(engines ? { engines } : {}),
      native: !values['no-native'],
      onRun: (run) => process.stderr.write(`run ${run.run}: ${run.engines.map((e) => `${e.engine} ${s(e.pipelineMs)}`).join(', ')}${run.nativeMs !== undefined ? `, native ${s(run.nativeMs)}` : ''}\n`),
    });
    printReport(report, values.json, formatBench);
    return 0;
  },
};
