import { evaluate, type EvalReport, type Scores } from '../eval/score.js';
import { loadGroundTruth, loadPrediction } from '../eval/load.js';
import { ConfigError } from '../errors.js';
import { parseCommandArgs, printReport } from './args.js';
import type { Command } from './main.js';

const HELP = `usage: newsprint eval --gt <dir|page-N.gt.json> --pred <document.json|dir> [--json]

Scores articles against ground truth, per page and overall:
  CER      article text character error rate (paragraphs + captions; unmatched GT articles count whole)
  P R F1   article segmentation (one-to-one matching by character overlap, a pair needs bag-F1 >= 0.5)
  hlCER    headline CER over matched articles that have a headline
  paraAgr  share of matched articles with the printed number of paragraphs
Text is compared after NFKC normalisation with white space removed.

options:
  --gt <path>     folder of page-N.gt.json files, or one such file
  --pred <path>   a document.json written by newsprint, or a folder searched for document.json
  --json          the report as JSON on stdout
`;

const fmt = (v: number | null): string => (v === null ? '   -  ' : v.toFixed(3).padStart(6));

function row(label: string, s: Scores, counts: { gtArticles: number; predArticles: number; matched: number }): string {
  return [label.padEnd(7), String(counts.gtArticles).padStart(3), String(counts.predArticles).padStart(5), String(counts.matched).padStart(6), fmt(s.cer), fmt(s.precision), fmt(s.recall), fmt(s.f1), fmt(s.headlineCer), fmt(s.paragraphAgreement)].join('  ');
}

export function formatReport(report: EvalReport): string {
  const header = ['page   ', ' GT', ' pred', ' match', '   CER', '     P', '     R', '    F1', ' hlCER', 'paraAgr'].join('  ');
  const lines = [header, '-'.repeat(header.length)];
  for (const p of report.pages) lines.push(row(`page ${p.page}`, p, p.counts));
  lines.push('-'.repeat(header.length), row('ALL', report.overall, report.overall.counts));
  return lines.join('\n') + '\n';
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'score outputs against ground truth (CER, article F1, headline CER, paragraphs)',
  help: HELP,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { gt: { type: 'string' }, pred: { type: 'string' }, json: { type: 'boolean' } });
    if (!values.gt || !values.pred) throw new ConfigError('eval needs --gt and --pred (see --help)');
    const report = evaluate(await loadGroundTruth(values.gt), await loadPrediction(values.pred));
    printReport(report, values.json, formatReport);
    return 0;
  },
};
