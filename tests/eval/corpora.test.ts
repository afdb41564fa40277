/** `newsprint eval --corpora <folder> --pred <folder>`: one table over a folder of corpus sets. */
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { evaluateCorpora, findCorpusSets } from '../../src/eval/corpora.js';
import { evalCommand, formatCorporaReport } from '../../src/cli/eval.js';
import { ConfigError } from '../../src/errors.js';

const SAMPLE_GT = new URL('../../samples/gt/', import.meta.url).pathname;
const GT_FILES = ['daily-2023-12-02-p1.gt.json', 'daily-2023-12-02-p2.gt.json'];

interface GtArticle { kind: string; headline?: string; paragraphs?: string[]; captions?: string[] }
interface GtPage { page: number; articles: GtArticle[] }

let root = '';
let corpora = '';
let pred = '';

/** A prediction in newsprint's document.json shape (articles with page numbers) made from GT pages. */
function documentFrom(pages: GtPage[], damage: boolean): unknown {
  const articles = pages.flatMap((p) =>
    p.articles
      .filter((_, i) => !(damage && p.page === 1 && i === 0)) // damaged: first article of page 1 lost
      .map((a, i) => ({
        id: `p${p.page}-${i + 1}`,
        page: p.page,
        kind: a.kind,
        ...(a.headline ? { headline: damage ? a.headline.slice(1) : a.headline } : {}),
        // damaged: the body columns come out in the wrong order
        paragraphs: damage ? [...(a.paragraphs ?? [])].reverse() : (a.paragraphs ?? []),
        captions: a.captions ?? [],
      })),
  );
  return { documentId: 'issue', articles: [...articles, { id: 'folio', page: 1, kind: 'furniture', paragraphs: ['第1版'] }] };
}

async function writeSet(name: string): Promise<void> {
  await mkdir(path.join(corpora, name), { recursive: true });
  for (const [i, f] of GT_FILES.entries()) await copyFile(path.join(SAMPLE_GT, f), path.join(corpora, name, `page-${i + 1}.gt.json`));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'newsprint-corpora-'));
  corpora = path.join(root, 'corpora');
  pred = path.join(root, 'pred');
  for (const name of ['s1-perfect', 's2-damaged', 's3-missing', 's4-failed']) await writeSet(name);
  await mkdir(path.join(corpora, 'not-a-set'), { recursive: true }); // no page-N.gt.json: not a set
  await writeFile(path.join(corpora, 'gen.log'), 'log\n');
  const pages = await Promise.all(GT_FILES.map(async (f) => JSON.parse(await readFile(path.join(SAMPLE_GT, f), 'utf8')) as GtPage));
  // the layout `newsprint ingest <set>/issue.scan.pdf --out <pred>/<set>` writes
  for (const [name, damage] of [['s1-perfect', false], ['s2-damaged', true]] as const) {
    await mkdir(path.join(pred, name, 'issue-0001'), { recursive: true });
    await writeFile(path.join(pred, name, 'issue-0001', 'document.json'), JSON.stringify(documentFrom(pages, damage)));
  }
  await mkdir(path.join(pred, 's4-failed', 'issue-0001'), { recursive: true });
  await writeFile(path.join(pred, 's4-failed', 'issue-0001', 'error.json'), JSON.stringify({ stage: 'rasterise', reason: 'broken PDF' }));
});

afterEach(() => vi.restoreAllMocks());

describe('findCorpusSets', () => {
  it('takes the subfolders holding page-N.gt.json files, by name', async () => {
    const sets = await findCorpusSets(corpora, pred);
    expect(sets.map((s) => s.name)).toEqual(['s1-perfect', 's2-damaged', 's3-missing', 's4-failed']);
    expect(sets[0]).toMatchObject({ pages: 2, predDir: path.join(pred, 's1-perfect') });
  });

  it('fails fast on a folder without sets', async () => {
    await expect(findCorpusSets(path.join(corpora, 'not-a-set'), pred)).rejects.toBeInstanceOf(ConfigError);
    await expect(findCorpusSets(path.join(root, 'nope'), pred)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('evaluateCorpora', () => {
  it('scores each set, lists the ones without prediction, and pools the scored ones', async () => {
    const report = await evaluateCorpora(corpora, pred);
    const [perfect, damaged, missing, failed] = report.sets;
    expect(perfect).toMatchObject({ status: 'ok', documents: 1 });
    expect(perfect?.scores).toMatchObject({ f1: 1, cer: 0, orderFreeCer: 0, orderPenalty: 0, headlineCer: 0, paragraphAgreement: 1 });
    expect(perfect?.scores?.counts).toMatchObject({ gtArticles: 11, predArticles: 11, matched: 11 });

    expect(damaged?.status).toBe('ok');
    const d = damaged!.scores!;
    expect(d.f1).toBeLessThan(1);
    expect(d.f1).toBeGreaterThan(0.9);
    expect(d.cer).toBeGreaterThan(0.05);
    expect(d.headlineCer).toBeGreaterThan(0);
    // reversed paragraphs keep the characters: the loss is order, not recognition
    expect(d.orderPenalty).toBeGreaterThan(0);
    expect(d.orderFreeCer).toBeLessThan(d.cer);
    expect(d.orderFreeCer + d.orderPenalty).toBeCloseTo(d.cer, 12);

    expect(missing).toMatchObject({ status: 'missing', documents: 0 });
    expect(missing?.scores).toBeUndefined();
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed?.reason).toContain('broken PDF');

    expect(report.scored).toBe(2);
    expect(report.mean?.f1).toBeCloseTo((1 + d.f1) / 2, 12);
    expect(report.mean?.cer).toBeCloseTo(d.cer / 2, 12);
    expect(report.overall?.counts.gtArticles).toBe(22);
    expect(report.overall?.counts.matched).toBe(21);
    expect(report.overall?.cer).toBeGreaterThan(0);
    expect(report.overall?.cer).toBeLessThan(d.cer);
  });

  it('prints one table: a row per set, missing ones marked, then mean and ALL', async () => {
    const table = formatCorporaReport(await evaluateCorpora(corpora, pred));
    const lines = table.trimEnd().split('\n');
    const rowOf = (name: string) => lines.find((l) => l.startsWith(name + ' '));
    expect(lines[0]).toMatch(/^set\s+pages\s+GT\s+pred\s+match\s+F1\s+CER\s+ofCER\s+ordPen\s+hlCER\s+paraAgr\s+status$/u);
    expect(rowOf('s1-perfect')).toMatch(/\s2\s+11\s+11\s+11\s+1\.000\s+0\.000\s+0\.000\s+0\.000\s+0\.000\s+1\.000\s+ok$/u);
    expect(rowOf('s2-damaged')).toMatch(/\s10\s+10\s+0\.9\d\d\s+0\.\d{3}.*\sok$/u);
    expect(rowOf('s3-missing')).toMatch(/MISSING \(no document\.json under /u);
    expect(rowOf('s4-failed')).toMatch(/FAILED \(ingest failed at rasterise: broken PDF\)/u);
    expect(rowOf('mean')).toMatch(/2\/4 sets$/u);
    expect(rowOf('ALL')).toMatch(/^ALL\s+4\s+22\s+21\s+21\s.*2\/4 sets, pooled$/u);
  });
});

describe('newsprint eval --corpora', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const code = await evalCommand.run(argv);
    return { code, out };
  }

  it('--json gives the same figures as JSON', async () => {
    const { code, out } = await run(['--corpora', corpora, '--pred', pred, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { sets: Array<{ name: string; status: string; scores?: { f1: number; cer: number } }>; scored: number };
    expect(json.sets.map((s) => [s.name, s.status])).toEqual([['s1-perfect', 'ok'], ['s2-damaged', 'ok'], ['s3-missing', 'missing'], ['s4-failed', 'failed']]);
    expect(json.sets[0]?.scores).toMatchObject({ f1: 1, cer: 0 });
    expect(json.sets[1]?.scores?.cer).toBeGreaterThan(0);
    expect(json.scored).toBe(2);
  });

  it.each([
    [['--corpora', 'x']],
    [['--corpora', 'x', '--gt', 'y', '--pred', 'z']],
    [['--gt', 'y', '--pred', 'z', '--ingest']],
    [['--pred', 'z']],
    [['--corpora', 'x', '--pred', 'z', 'extra']],
    [['--corpora', 'x', '--pred', 'z', '--workers', '0']],
    [['--corpora', 'x', '--pred', 'z', '--ingest', '--engine', 'abbyy']],
    [['--gt', 'y', '--pred', 'z', '--engine', 'paddle']],
  ])('rejects bad arguments %j with a ConfigError', async (argv) => {
    await expect(evalCommand.run(argv)).rejects.toBeInstanceOf(ConfigError);
  });

  it('rejects a prediction folder that does not exist (unless --ingest)', async () => {
    await expect(evalCommand.run(['--corpora', corpora, '--pred', path.join(root, 'no-pred')])).rejects.toBeInstanceOf(ConfigError);
  });
});
