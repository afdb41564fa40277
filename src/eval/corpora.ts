/**
 * Evaluation over a folder of corpora (`newsprint eval --corpora <folder> --pred <folder>`).
 *
 * Layout: every direct subfolder of the corpora folder that holds page-N.gt.json files is one set
 * (as written by the corpus generator: page-N.gt.json, page-N.scan.pdf, issue.scan.pdf). Its
 * prediction is `<pred>/<set name>/`, searched recursively for document.json — which is what
 * `newsprint ingest <corpora>/<set>/issue.scan.pdf --out <pred>/<set>` writes
 * (`<pred>/<set>/<documentId>/document.json`). A set whose prediction folder is absent or holds no
 * document.json is reported as missing (as failed when the ingest left an error.json there); it is
 * listed, never dropped, and left out of the mean and pooled rows.
 *
 * Scoring is `evaluate` of score.ts per set; the pooled row adds the sets' counts, the mean row
 * averages the sets' metrics (each set weighs the same).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { loadGroundTruth, loadPrediction } from './load.js';
import { addCounts, emptyCounts, evaluate, toScores, type Counts, type Scores } from './score.js';

export type SetStatus = 'ok' | 'missing' | 'failed';

export interface CorpusSet {
  /** Subfolder name, also the name of its prediction folder. */
  readonly name: string;
  /** The set's folder (holds page-N.gt.json and, from the generator, issue.scan.pdf). */
  readonly gtDir: string;
  /** Where its prediction is looked for: `<pred>/<name>`. */
  readonly predDir: string;
  /** Number of page-N.gt.json files. */
  readonly pages: number;
}

export interface SetResult extends CorpusSet {
  readonly status: SetStatus;
  /** Number of document.json files found under predDir. */
  readonly documents: number;
  /** For status ok: the set's overall scores and counts. */
  readonly scores?: Scores & { counts: Counts };
  /** For missing / failed: why (e.g. the reason recorded in error.json). */
  readonly reason?: string;
}

export interface CorporaReport {
  readonly corpora: string;
  readonly pred: string;
  readonly sets: SetResult[];
  /** Sets with a prediction, out of sets.length. */
  readonly scored: number;
  /** Unweighted mean of the metrics of the scored sets (null when none was scored). */
  readonly mean: MeanScores | null;
  /** All scored sets pooled: counts added, metrics computed from the sums (null when none). */
  readonly overall: (Scores & { counts: Counts }) | null;
}

export type MeanScores = { readonly [K in keyof Scores]: number | null };

const GT_FILE = /^page-\d+\.gt\.json$/u;

/** The sets of a corpora folder: its direct subfolders holding page-N.gt.json files, by name. */
export async function findCorpusSets(corporaDir: string, predDir: string): Promise<CorpusSet[]> {
  const stat = await fs.stat(corporaDir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new ConfigError(`--corpora must be a folder: ${corporaDir}`);
  const sets: CorpusSet[] = [];
  for (const entry of await fs.readdir(corporaDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const gtDir = path.join(corporaDir, entry.name);
    const pages = (await fs.readdir(gtDir)).filter((f) => GT_FILE.test(f)).length;
    if (pages > 0) sets.push({ name: entry.name, gtDir, predDir: path.join(predDir, entry.name), pages });
  }
  if (sets.length === 0) throw new ConfigError(`no corpus sets (subfolders with page-N.gt.json files) in ${corporaDir}`);
  return sets.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** document.json and error.json files under dir (recursively); both empty when dir does not exist. */
export async function findOutputs(dir: string): Promise<{ documents: string[]; errors: string[] }> {
  const out = { documents: [] as string[], errors: [] as string[] };
  const walk = async (d: string): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name === 'document.json') out.documents.push(full);
      else if (entry.name === 'error.json') out.errors.push(full);
    }
  };
  await walk(dir);
  return out;
}

async function failureReason(errorFile: string): Promise<string> {
  try {
    const json = JSON.parse(await fs.readFile(errorFile, 'utf8')) as { stage?: unknown; reason?: unknown };
    return `ingest failed${typeof json.stage === 'string' ? ` at ${json.stage}` : ''}: ${typeof json.reason === 'string' ? json.reason : 'see ' + errorFile}`;
  } catch {
    return `ingest failed (unreadable ${errorFile})`;
  }
}

/** Scores one set against its prediction folder. */
export async function evaluateSet(set: CorpusSet): Promise<SetResult> {
  const { documents, errors } = await findOutputs(set.predDir);
  if (documents.length === 0) {
    const [errorFile] = errors;
    if (errorFile) return { ...set, status: 'failed', documents: 0, reason: await failureReason(errorFile) };
    return { ...set, status: 'missing', documents: 0, reason: `no document.json under ${set.predDir}` };
  }
  const gt = await loadGroundTruth(set.gtDir);
  let pred;
  try {
    pred = await loadPrediction(set.predDir);
  } catch (err) {
    // An unreadable prediction is this set's failure, not the whole evaluation's.
    if (!(err instanceof ConfigError)) throw err;
    return { ...set, status: 'failed', documents: documents.length, reason: err.message };
  }
  return { ...set, status: 'ok', documents: documents.length, scores: evaluate(gt, pred).overall };
}

const SCORE_KEYS = ['cer', 'orderFreeCer', 'orderPenalty', 'precision', 'recall', 'f1', 'headlineCer', 'paragraphAgreement'] as const satisfies ReadonlyArray<keyof Scores>;

function meanScores(all: readonly Scores[]): MeanScores {
  const mean = {} as Record<keyof Scores, number | null>;
  for (const key of SCORE_KEYS) {
    const values = all.map((s) => s[key]).filter((v): v is number => v !== null);
    mean[key] = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  }
  return mean;
}

/** Every set of `corporaDir` scored against `<predDir>/<set name>`. */
export async function evaluateCorpora(corporaDir: string, predDir: string): Promise<CorporaReport> {
  const results: SetResult[] = [];
  for (const set of await findCorpusSets(corporaDir, predDir)) results.push(await evaluateSet(set));
  const scored = results.flatMap((r) => (r.scores ? [r.scores] : []));
  const pooled = scored.reduce((acc, s) => addCounts(acc, s.counts), emptyCounts());
  return {
    corpora: corporaDir,
    pred: predDir,
    sets: results,
    scored: scored.length,
    mean: scored.length ? meanScores(scored) : null,
    overall: scored.length ? { counts: pooled, ...toScores(pooled) } : null,
  };
}
