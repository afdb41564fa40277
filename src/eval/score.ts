/**
 * Article-level evaluation: predicted articles are matched one-to-one to ground-truth articles on the
 * same page (greedily, by character-bag F1, a pair needs ≥ 0.5), then
 * - article text CER = Σ edit distance / Σ ground-truth length (an unmatched GT article costs its length),
 * - precision / recall / F1 of the article segmentation,
 * - headline CER over matched GT articles that have a headline,
 * - paragraph agreement: share of matched text articles with the same number of paragraphs,
 * - order-free CER: like CER with the edit distance replaced by the bag distance
 *   max(|gt|, |pred|) − character-bag overlap, and order penalty = CER − order-free CER (≥ 0; large
 *   values point to reading-order / column-order errors). Both as defined by the corpus scorer
 *   (newsgen score.mjs `ofCER` / `ordPen`).
 * Text is compared after NFKC with all white space removed; article text is paragraphs + captions.
 * A predicted item that is the caption of a matched article's own photo is counted with that article.
 */
import { levenshtein, normaliseForEval } from './levenshtein.js';
import type { EvalArticle, EvalPage } from './types.js';

const JUMP = /[（(]\s*[上下]\s*[转接]\s*第\s*[0-9０-９一二三四五六七八九十]+\s*版\s*[）)]/gu;

export interface Counts {
  gtArticles: number;
  predArticles: number;
  matched: number;
  gtChars: number;
  editDistance: number;
  /** Σ bag distance max(|gt|, |pred|) − overlap over matched articles, + |gt| for unmatched ones. */
  orderFreeDistance: number;
  headlineChars: number;
  headlineDistance: number;
  paragraphArticles: number;
  paragraphAgreements: number;
}

export interface Scores {
  readonly cer: number;
  /** Order-free CER: Σ bag distance / Σ ground-truth length. */
  readonly orderFreeCer: number;
  /** cer − orderFreeCer. */
  readonly orderPenalty: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly headlineCer: number | null;
  readonly paragraphAgreement: number | null;
}

export interface PageScore extends Scores {
  readonly page: number;
  readonly counts: Counts;
  readonly pairs: ReadonlyArray<{ gt: string; pred: string; cer: number }>;
}

export interface EvalReport {
  readonly pages: PageScore[];
  readonly overall: Scores & { counts: Counts };
}

function articleText(a: EvalArticle): string {
  return normaliseForEval([...a.paragraphs, ...a.captions].join('').replace(JUMP, ''));
}

/** Multiset overlap of the code points of a and b, with both lengths in code points. */
function bagOverlap(a: string, b: string): { overlap: number; la: number; lb: number } {
  const counts = new Map<string, number>();
  let la = 0;
  for (const ch of a) {
    la++;
    counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let overlap = 0;
  let lb = 0;
  for (const ch of b) {
    lb++;
    const n = counts.get(ch) ?? 0;
    if (n > 0) {
      overlap++;
      counts.set(ch, n - 1);
    }
  }
  return { overlap, la, lb };
}

function bagF1(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  const { overlap, la, lb } = bagOverlap(a, b);
  return (2 * overlap) / (la + lb);
}

/** The order-free edit distance max(|a|, |b|) − bag overlap: a lower bound of the Levenshtein distance, blind to order. */
function bagDistance(a: string, b: string): number {
  const { overlap, la, lb } = bagOverlap(a, b);
  return Math.max(la, lb) - overlap;
}

export function emptyCounts(): Counts {
  return { gtArticles: 0, predArticles: 0, matched: 0, gtChars: 0, editDistance: 0, orderFreeDistance: 0, headlineChars: 0, headlineDistance: 0, paragraphArticles: 0, paragraphAgreements: 0 };
}

/** Adds every count of `add` into `into` (pooling pages, or sets of pages). */
export function addCounts(into: Counts, add: Counts): Counts {
  for (const key of Object.keys(into) as Array<keyof Counts>) into[key] += add[key];
  return into;
}

/** The metrics of (pooled) counts. */
export function toScores(c: Counts): Scores {
  const precision = c.predArticles ? c.matched / c.predArticles : 0;
  const recall = c.gtArticles ? c.matched / c.gtArticles : 0;
  const cer = c.gtChars ? c.editDistance / c.gtChars : 0;
  const orderFreeCer = c.gtChars ? c.orderFreeDistance / c.gtChars : 0;
  return {
    cer,
    orderFreeCer,
    orderPenalty: cer - orderFreeCer,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    headlineCer: c.headlineChars ? c.headlineDistance / c.headlineChars : null,
    paragraphAgreement: c.paragraphArticles ? c.paragraphAgreements / c.paragraphArticles : null,
  };
}

export function scorePage(gt: EvalPage, pred: EvalPage | undefined): PageScore {
  const counts = emptyCounts();
  const gtTexts = gt.articles.map(articleText);
  const predArticles = pred?.articles ?? [];
  const predTexts = predArticles.map(articleText);
  counts.gtArticles = gt.articles.length;
  counts.predArticles = predArticles.length;
  const candidates: Array<{ g: number; p: number; f: number }> = [];
  gtTexts.forEach((g, gi) => predTexts.forEach((p, pi) => {
    const f = bagF1(g, p);
    if (f >= 0.5) candidates.push({ g: gi, p: pi, f });
  }));
  candidates.sort((a, b) => b.f - a.f);
  const gtMatch = new Map<number, number>();
  const usedPred = new Set<number>();
  for (const c of candidates) {
    if (gtMatch.has(c.g) || usedPred.has(c.p)) continue;
    gtMatch.set(c.g, c.p);
    usedPred.add(c.p);
  }
  const attached = attachedCaptions(gt.articles, gtMatch, predTexts, usedPred);
  counts.predArticles -= [...attached.values()].reduce((n, list) => n + list.length, 0);
  const pairs: Array<{ gt: string; pred: string; cer: number }> = [];
  gt.articles.forEach((g, gi) => {
    const text = gtTexts[gi] ?? '';
    counts.gtChars += [...text].length;
    const pi = gtMatch.get(gi);
    const p = pi === undefined ? undefined : predArticles[pi];
    if (pi === undefined || !p) {
      counts.editDistance += [...text].length;
      counts.orderFreeDistance += [...text].length;
      if (g.headline) {
        const h = normaliseForEval(g.headline);
        counts.headlineChars += [...h].length;
        counts.headlineDistance += [...h].length;
      }
      return;
    }
    counts.matched++;
    const predText = [pi, ...(attached.get(gi) ?? [])].map((k) => predTexts[k] ?? '').join('');
    const distance = levenshtein(text, predText);
    counts.editDistance += distance;
    counts.orderFreeDistance += bagDistance(text, predText);
    pairs.push({ gt: g.id, pred: p.id, cer: text.length ? distance / [...text].length : 0 });
    if (g.headline) {
      const h = normaliseForEval(g.headline);
      counts.headlineChars += [...h].length;
      counts.headlineDistance += levenshtein(h, normaliseForEval(p.headline ?? ''));
    }
    if (g.paragraphs.length > 0) {
      counts.paragraphArticles++;
      if (g.paragraphs.length === p.paragraphs.filter((t) => normaliseForEval(t).length > 0).length) counts.paragraphAgreements++;
    }
  });
  return { page: gt.page, counts, pairs, ...toScores(counts) };
}

/**
 * As the corpus scorer does: a predicted item left unmatched whose text is the caption of a matched
 * ground-truth article's own photo (bag F1 ≥ 0.5) belongs to that article (a pipeline may give a
 * story's photo and caption as a photo item of its own). Ground-truth index → predicted indices.
 */
function attachedCaptions(gtArticles: readonly EvalArticle[], gtMatch: ReadonlyMap<number, number>, predTexts: readonly string[], usedPred: ReadonlySet<number>): Map<number, number[]> {
  const attached = new Map<number, number[]>();
  predTexts.forEach((text, pi) => {
    if (usedPred.has(pi) || text.length === 0) return;
    let best: { gi: number; f: number } | undefined;
    gtArticles.forEach((g, gi) => {
      if (!gtMatch.has(gi) || g.kind !== 'article') return;
      for (const caption of g.captions) {
        const f = bagF1(normaliseForEval(caption), text);
        if (f >= 0.5 && (!best || f > best.f)) best = { gi, f };
      }
    });
    if (best) attached.set(best.gi, [...(attached.get(best.gi) ?? []), pi]);
  });
  return attached;
}

export function evaluate(gtPages: readonly EvalPage[], predPages: readonly EvalPage[]): EvalReport {
  const pages = gtPages.map((gt) => scorePage(gt, predPages.find((p) => p.page === gt.page)));
  const total = emptyCounts();
  for (const p of pages) addCounts(total, p.counts);
  // Predicted articles on pages the ground truth does not have are all false positives.
  for (const p of predPages) if (!gtPages.some((g) => g.page === p.page)) total.predArticles += p.articles.length;
  return { pages, overall: { counts: total, ...toScores(total) } };
}
