/** `newsprint eval`: matching and metrics on the sample ground truth. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGroundTruth, loadPrediction } from '../../src/eval/load.js';
import { evaluate } from '../../src/eval/score.js';
import { cer, levenshtein } from '../../src/eval/levenshtein.js';
import type { EvalPage } from '../../src/eval/types.js';

const GT = new URL('../../samples/gt/daily-2023-12-02-p1.gt.json', import.meta.url).pathname;

async function gtAsPrediction(): Promise<EvalPage[]> {
  return loadGroundTruth(GT);
}

describe('levenshtein and cer', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['新荣区', '新灾区', 1],
    ['𠮷野家', '吉野家', 1],
  ])('levenshtein(%s, %s) = %i', (a, b, d) => expect(levenshtein(a, b)).toBe(d));

  it('ignores white space and width differences (NFKC)', () => {
    expect(cer('本报讯（记者 张三）', '本报讯(记者张三)')).toBe(0);
  });
});

describe('evaluate: a story\'s photo given as an item of its own', () => {
  const story = { id: 'a1', kind: 'article', headline: '标题', paragraphs: ['正文第一段落的文字内容很长很长，记者从市教育局获悉，本市今年共有三百多所学校开展了宣传教育活动。'], captions: ['图为工作人员发放宣传材料。本报记者韩莹摄'] };
  const gt: EvalPage[] = [{ page: 1, articles: [story] }];
  const text = { id: 'p1', kind: 'article', headline: '标题', paragraphs: story.paragraphs, captions: [] };

  it('counts its caption with the story, as the corpus scorer does, not as a false positive', () => {
    const photo = { id: 'p2', kind: 'photo', paragraphs: [], captions: ['图为工作人员发放宣传材料。本报记者韩莹摄'] };
    const report = evaluate(gt, [{ page: 1, articles: [text, photo] }]);
    expect(report.overall.f1).toBe(1);
    expect(report.overall.cer).toBe(0);
    expect(report.overall.counts.predArticles).toBe(1);
  });
  it('still counts an item that is no caption of a matched story', () => {
    const stray = { id: 'p2', kind: 'photo', paragraphs: [], captions: ['完全无关的另一段说明文字'] };
    const report = evaluate(gt, [{ page: 1, articles: [text, stray] }]);
    expect(report.overall.precision).toBe(0.5);
  });
});

describe('evaluate', () => {
  it('scores ground truth against itself as perfect', async () => {
    const gt = await loadGroundTruth(GT);
    const report = evaluate(gt, await gtAsPrediction());
    expect(report.overall.cer).toBe(0);
    expect(report.overall.f1).toBe(1);
    expect(report.overall.headlineCer).toBe(0);
    expect(report.overall.paragraphAgreement).toBe(1);
  });

  it('counts a missing article against recall and its text as errors', async () => {
    const gt = await loadGroundTruth(GT);
    const pred = (await gtAsPrediction()).map((p) => ({ ...p, articles: p.articles.slice(1) }));
    const report = evaluate(gt, pred);
    expect(report.overall.recall).toBeLessThan(1);
    expect(report.overall.precision).toBe(1);
    expect(report.overall.cer).toBeGreaterThan(0);
  });

  it('sees swapped columns as a higher CER', async () => {
    const gt = await loadGroundTruth(GT);
    const pred = (await gtAsPrediction()).map((p) => ({
      ...p,
      articles: p.articles.map((a) => ({ ...a, paragraphs: [...a.paragraphs].reverse() })),
    }));
    const report = evaluate(gt, pred);
    expect(report.overall.cer).toBeGreaterThan(0.05);
    expect(report.overall.f1).toBe(1);
  });

  it('sees merged articles as lower precision and recall', async () => {
    const gt = await loadGroundTruth(GT);
    const [page] = await gtAsPrediction();
    const merged = { ...page!.articles[0]!, paragraphs: page!.articles.flatMap((a) => [...a.paragraphs]) };
    const report = evaluate(gt, [{ page: page!.page, articles: [merged] }]);
    expect(report.overall.f1).toBeLessThan(0.5);
  });

  it('reads a newsprint document.json and ignores furniture', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsprint-eval-'));
    const [page] = await gtAsPrediction();
    const doc = { articles: [...page!.articles.map((a) => ({ ...a, page: page!.page })), { id: 'ad', page: page!.page, kind: 'furniture', paragraphs: ['广告'] }] };
    await writeFile(path.join(dir, 'document.json'), JSON.stringify(doc));
    const pred = await loadPrediction(dir);
    expect(pred[0]?.articles).toHaveLength(page!.articles.length);
    expect(evaluate(await loadGroundTruth(GT), pred).overall.f1).toBe(1);
  });

  it('scores a story joined across a jump where each part was printed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsprint-eval-'));
    const joined = {
      id: 'p1-a4', page: 1, pages: [1, 2], kind: 'article', headline: '青年先锋', paragraphs: ['一段。', '二段。', '接续。'], captions: ['图片说明'],
      parts: [{ page: 1, pageIndex: 1, paragraphs: 2, captions: 1 }, { page: 2, pageIndex: 2, paragraphs: 1, captions: 0 }],
    };
    await writeFile(path.join(dir, 'document.json'), JSON.stringify({ articles: [joined] }));
    const pred = await loadPrediction(dir);
    expect(pred.map((p) => [p.page, p.articles.map((a) => [a.headline, a.paragraphs, a.captions])])).toEqual([
      [1, [['青年先锋', ['一段。', '二段。'], ['图片说明']]]],
      [2, [[undefined, ['接续。'], []]]],
    ]);
  });
});

describe('order-free CER and order penalty (as newsgen score.mjs ofCER / ordPen)', () => {
  it('are 0 for a perfect prediction', async () => {
    const gt = await loadGroundTruth(GT);
    const report = evaluate(gt, await gtAsPrediction());
    expect(report.overall.orderFreeCer).toBe(0);
    expect(report.overall.orderPenalty).toBe(0);
  });

  it('put reordered columns into the penalty, not the order-free CER', async () => {
    const gt = await loadGroundTruth(GT);
    const pred = (await gtAsPrediction()).map((p) => ({
      ...p,
      articles: p.articles.map((a) => ({ ...a, paragraphs: [...a.paragraphs].reverse() })),
    }));
    const report = evaluate(gt, pred);
    expect(report.overall.orderFreeCer).toBe(0);
    expect(report.overall.orderPenalty).toBeCloseTo(report.overall.cer, 12);
    expect(report.overall.orderPenalty).toBeGreaterThan(0.05);
  });

  it('use the bag distance max(|gt|, |pred|) - overlap, and count an unmatched article whole', () => {
    const gt: EvalPage[] = [{ page: 1, articles: [
      { id: 'a', kind: 'article', paragraphs: ['甲乙丙丁戊己庚辛'], captions: [] },
      { id: 'b', kind: 'article', paragraphs: ['子丑寅卯'], captions: [] },
    ] }];
    // 'a' read with two characters swapped and one extra: lev 3 (2 subst + 1 ins), bag distance 9 - 8 = 1
    const pred: EvalPage[] = [{ page: 1, articles: [{ id: 'x', kind: 'article', paragraphs: ['乙甲丙丁戊己庚辛壬'], captions: [] }] }];
    const report = evaluate(gt, pred);
    expect(report.overall.counts.editDistance).toBe(3 + 4);
    expect(report.overall.counts.orderFreeDistance).toBe(1 + 4);
    expect(report.overall.orderFreeCer).toBeCloseTo(5 / 12, 12);
    expect(report.overall.orderPenalty).toBeCloseTo(7 / 12 - 5 / 12, 12);
  });
});
