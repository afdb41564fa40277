/** Levenshtein distance over code points (two rows of Int32Array). */
export function levenshtein(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = new Int32Array(t.length + 1);
  let curr = new Int32Array(t.length + 1);
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    curr[0] = i;
    const si = s[i - 1];
    for (let j = 1; j <= t.length; j++) {
      const cost = si === t[j - 1] ? 0 : 1;
      curr[j] = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[t.length] ?? 0;
}

/** Text as the evaluation compares it: NFKC, all white space removed. */
export function normaliseForEval(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '');
}

/** Character error rate of `predicted` against `truth`, after normalisation. */
export function cer(truth: string, predicted: string): number {
  const g = normaliseForEval(truth);
  const p = normaliseForEval(predicted);
  return g.length === 0 ? (p.length === 0 ? 0 : 1) : levenshtein(g, p) / g.length;
}
