/** The CTC decoder on hand-made probability rows: argmax per step, repeats collapsed, blanks dropped. */
import { describe, expect, it } from 'vitest';
import { ctcClasses, decodeCtc } from '../../src/ocr/paddle/ctc.js';

// Classes: 0 blank, 1 中, 2 文, 3 报, 4 space (the last class).
const CLASSES = ctcClasses(['中', '文', '报']);

/** One probability row per step: the class named gets `p`, the rest share 1 - p. */
function rows(steps: ReadonlyArray<readonly [number, number]>): Float32Array {
  const out = new Float32Array(steps.length * CLASSES.length);
  steps.forEach(([cls, p], t) => {
    for (let c = 0; c < CLASSES.length; c++) out[t * CLASSES.length + c] = c === cls ? p : (1 - p) / (CLASSES.length - 1);
  });
  return out;
}

describe('decodeCtc', () => {
  it('has the blank first and a space last around the character list', () => {
    expect(CLASSES).toEqual(['', '中', '文', '报', ' ']);
  });

  it('collapses repeats, drops blanks, and keeps a repeat that a blank separates', () => {
    const probabilities = rows([[1, 0.9], [1, 0.8], [0, 0.9], [2, 0.7], [0, 0.6], [2, 0.5], [3, 0.95], [4, 0.9], [1, 0.6]]);
    const decoded = decodeCtc(probabilities, CLASSES, 9);
    expect(decoded.text).toBe('中文文报 中');
    expect(decoded.chars.map((c) => [c.firstStep, c.lastStep])).toEqual([[0, 1], [3, 3], [5, 5], [6, 6], [7, 7], [8, 8]]);
  });

  it("scores a line by the mean probability of the characters it kept (each run's first step)", () => {
    const decoded = decodeCtc(rows([[1, 0.9], [1, 0.5], [0, 0.99], [3, 0.6]]), CLASSES, 4);
    expect(decoded.text).toBe('中报');
    expect(decoded.confidence).toBeCloseTo((0.9 + 0.6) / 2, 6);
  });

  it('reads an all-blank line as empty with confidence 0', () => {
    const decoded = decodeCtc(rows([[0, 0.9], [0, 0.8]]), CLASSES, 2);
    expect(decoded).toEqual({ text: '', chars: [], confidence: 0 });
  });

  it('reads one line of a batch from its offset and only its own steps (the rest is padding)', () => {
    const first = rows([[1, 0.9], [0, 0.9], [2, 0.9]]);
    const second = rows([[3, 0.9], [2, 0.9], [1, 0.9]]);
    const batch = new Float32Array(first.length + second.length);
    batch.set(first, 0);
    batch.set(second, first.length);
    expect(decodeCtc(batch, CLASSES, 3, 0).text).toBe('中文');
    expect(decodeCtc(batch, CLASSES, 2, first.length).text).toBe('报文');
  });
});
