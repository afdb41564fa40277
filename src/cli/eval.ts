import { existsSync } from 'node:fs';
import path from 'node:path';
import { evaluateCorpora, findCorpusSets, findOutputs, type CorporaReport, type MeanScores } from '../eval/corpora.js';
import { evaluate, type Counts, type EvalReport, type Scores } from '../eval/score.js';
import { loadGroundTruth, loadPrediction } from '../eval/load.js';
import { createJsonLogger } from '../logger.js';
import { runIngest } from '../pipeline/ingest.js';
import { parseEngine, type EngineChoice } from '../ocr/engines.js';
import { formatSummary } from './progress.js';
import { ConfigError } from '../errors.js';
import { parseCommandArgs, positiveInt, printReport } from './args.js';
import type { Command } from './main.js';

const HELP = `usage: newsprint eval --gt <dir|page-N.gt.json> --pred <document.json|dir> [--json]
       newsprint eval --corpora <folder> --pred <folder> [--ingest [--workers N] [--engine E]] [--json]

Scores articles against ground truth, per page and overall:
  CER      article text character error rate (paragraphs + captions; unmatched GT articles count whole)
  ofCER    order-free CER: the edit distance replaced by the bag distance max(|gt|,|pred|) - overlap
  ordPen   CER - ofCER (>= 0); large values point to reading-order / column-order errors
  P R F1   article segmentation (one-to-one matching by character overlap, a pair needs bag-F1 >= 0.5)
  hlCER    headline CER over matched articles that have a headline
  paraAgr  share of matched articles with the printed number of paragraphs
Text is compared after NFKC normalisation with white space removed.

one set:
  --gt <path>        folder of page-N.gt.json files, or one such file
  --pred <path>      a document.json written by newsprint, or a folder searched for document.json

a folder of sets (one table, a row per set, then the mean over the sets and all sets pooled):
  --corpora <folder> every subfolder holding page-N.gt.json files is a set (e.g. real-s3-office/,
                     as written by the corpus generator with its issue.scan.pdf)
  --pred <folder>    the prediction of set <name> is <folder>/<name>/, searched for document.json:
                     what \`newsprint ingest <corpora>/<name>/issue.scan.pdf --out <folder>/<name>\`
                     writes. A set without one is listed as missing (failed when an error.json is
                     there) and left out of the mean and pooled rows.
  --ingest           first ingest <set>/issue.scan.pdf into <folder>/<name> for each set that has no
                     prediction yet, one set at a time
  --workers <n>      OCR workers for --ingest (default: number of cores)
  --engine <name>    OCR engine for --ingest: tesseract (default) or paddle

  --json             the report as JSON on stdout
`;

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? '   -  ' : v.toFixed(3).padStart(6));

function row(label: string, s: Scores, counts: { gtArticles: number; predArticles: number; matched: number }): string {
  return [label.padEnd(7), String(counts.gtArticles).padStart(3), String(counts.predArticles).padStart(5), String(counts.matched).padStart(6), fmt(s.cer), fmt(s.orderFreeCer), fmt(s.orderPenalty), fmt(s.precision), fmt(s.recall), fmt(s.f1), fmt(s.headlineCer), fmt(s.paragraphAgreement)].join('  ');
}

export function formatReport(report: EvalReport): string {
  const header = ['page   ', ' GT', ' pred', ' match', '   CER', ' ofCER', 'ordPen', '     P', '     R', '    F1', ' hlCER', 'paraAgr'].join('  ');
  const lines = [header, '-'.repeat(header.length)];
  for (const p of report.pages) lines.push(row(`page ${p.page}`, p, p.counts));
  lines.push('-'.repeat(header.length), row('ALL', report.overall, report.overall.counts));
  return lines.join('\n') + '\n';
}

/** The corpora table: a row per set, then `mean` (sets weigh the same) and `ALL` (counts pooled). */
export function formatCorporaReport(report: CorporaReport): string {
  const width = Math.max(7, ...report.sets.map((s) => s.name.length));
  const header = ['set'.padEnd(width), 'pages', ' GT', ' pred', 'match', '    F1', '   CER', ' ofCER', 'ordPen', ' hlCER', 'paraAgr', 'status'].join('  ');
  const line = (name: string, pages: string, counts: Pick<Counts, 'gtArticles' | 'predArticles' | 'matched'> | undefined, s: Scores | MeanScores | undefined, status: string): string =>
    [
      name.padEnd(width),
      pages.padStart(5),
      (counts ? String(counts.gtArticles) : '-').padStart(3),
      (counts ? String(counts.predArticles) : '-').padStart(5),
      (counts ? String(counts.matched) : '-').padStart(5),
      fmt(s?.f1),
      fmt(s?.cer),
      fmt(s?.orderFreeCer),
      fmt(s?.orderPenalty),
      fmt(s?.headlineCer),
      fmt(s?.paragraphAgreement).padStart(7),
      status,
    ].join('  ');
  const lines = [header, '-'.repeat(header.length)];
  for (const set of report.sets) {
    const status = set.status === 'ok' ? 'ok' : `${set.status.toUpperCase()}${set.reason ? ` (${set.reason})` : ''}`;
    lines.push(line(set.name, String(set.pages), set.scores?.counts, set.scores, status));
  }
  lines.push('-'.repeat(header.length));
  const note = `${report.scored}/${report.sets.length} sets`;
  const pages = String(report.sets.filter((s) => s.status === 'ok').reduce((n, s) => n + s.pages, 0));
  lines.push(line('mean', '', undefined, report.mean ?? undefined, note));
  lines.push(line('ALL', pages, report.overall?.counts, report.overall ?? undefined, `${note}, pooled`));
  return lines.join('\n') + '\n';
}

/** --ingest: each set without a prediction gets `ingest <set>/issue.scan.pdf --out <pred>/<set>`. */
async function ingestMissing(corpora: string, pred: string, workers: number | undefined, engine: EngineChoice | undefined): Promise<void> {
  const sets = await findCorpusSets(corpora, pred);
  for (const set of sets) {
    if ((await findOutputs(set.predDir)).documents.length > 0) continue;
    const issue = path.join(set.gtDir, 'issue.scan.pdf');
    if (!existsSync(issue)) {
      process.stderr.write(`newsprint eval: ${set.name}: no issue.scan.pdf, not ingested\n`);
      continue;
    }
    process.stderr.write(`newsprint eval: ingesting ${issue} -> ${set.predDir}\n`);
    const report = await runIngest({ inputs: [issue], out: set.predDir, ...(workers ? { workers } : {}), ...(engine ? { engine } : {}), logger: createJsonLogger({ level: 'warn' }) });
    process.stderr.write(formatSummary(report.summary));
  }
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'score outputs against ground truth (CER, article F1, headline CER, paragraphs), one set or a folder of sets',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      gt: { type: 'string' },
      corpora: { type: 'string' },
      pred: { type: 'string' },
      ingest: { type: 'boolean' },
      workers: { type: 'string' },
      engine: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new ConfigError(`eval takes no positional arguments, got "${positionals.join(' ')}" (see --help)`);
    if (values.gt && values.corpora) throw new ConfigError('eval takes either --gt (one set) or --corpora (a folder of sets), not both');
    if (!values.pred) throw new ConfigError('eval needs --pred (see --help)');
    if (values.corpora) {
      const workers = positiveInt(values.workers, '--workers');
      const engine = parseEngine(values.engine);
      if (values.ingest) await ingestMissing(values.corpora, values.pred, workers, engine);
      else if (!existsSync(values.pred)) throw new ConfigError(`prediction folder not found: ${values.pred} (use --ingest to create it)`);
      printReport(await evaluateCorpora(values.corpora, values.pred), values.json, formatCorporaReport);
      return 0;
    }
    if (values.ingest || values.workers || values.engine) throw new ConfigError('--ingest, --workers and --engine go with --corpora');
    if (!values.gt) throw new ConfigError('eval needs --gt or --corpora (see --help)');
    const report = evaluate(await loadGroundTruth(values.gt), await loadPrediction(values.pred));
    printReport(report, values.json, formatReport);
    return 0;
  },
};
