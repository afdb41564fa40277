/**
 * Greedy CTC decoding of PP-OCR's recognition output: per time step the most likely class, repeats
 * collapsed, the blank dropped. PP-OCR's classes are: 0 the CTC blank, 1..n the characters of the
 * model's character list (ppocr_keys_v1.txt), n+1 a space.
 */

/** One recognised character and where the network saw it. */
export interface DecodedChar {
  readonly char: string;
  /** Probability of the character at the step it was taken from (the first of a run of repeats). */
  readonly probability: number;
  /** First and last time step of the run of steps that gave it. */
  readonly firstStep: number;
  readonly lastStep: number;
}

export interface DecodedLine {
  readonly text: string;
  readonly chars: readonly DecodedChar[];
  /** Mean probability of the characters kept (PP-OCR's own line score); 0 for an empty line. */
  readonly confidence: number;
}

/** The class table of a character list: index 0 the blank, then the characters, then a space. */
export function ctcClasses(characters: readonly string[]): readonly string[] {
  return ['', ...characters, ' '];
}

/**
 * Decodes one line: `probabilities` holds `steps` rows of `classes.length` class probabilities
 * (softmax output, row after row), starting at `offset`. Only the first `steps` rows are read, so a
 * line padded to its batch's width can stop where its own image ended.
 */
export function decodeCtc(probabilities: Float32Array, classes: readonly string[], steps: number, offset = 0): DecodedLine {
  const width = classes.length;
  const chars: DecodedChar[] = [];
  let previous = 0;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * width;
    let best = 0;
    let bestP = probabilities[row] ?? 0;
    for (let c = 1; c < width; c++) {
      const p = probabilities[row + c] ?? 0;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best === previous) {
      const last = chars[chars.length - 1];
      if (last) chars[chars.length - 1] = { ...last, lastStep: t };
    } else if (best !== 0) {
      chars.push({ char: classes[best] ?? '', probability: bestP, firstStep: t, lastStep: t });
    }
    previous = best;
  }
  const text = chars.map((c) => c.char).join('');
  const confidence = chars.length ? chars.reduce((s, c) => s + c.probability, 0) / chars.length : 0;
  return { text, chars, confidence };
}
