/**
 * Text rules for Chinese print: no spaces between CJK characters (tesseract puts them between its
 * arbitrary "words"), spaces kept between Latin words and numbers; lines of a paragraph joined.
 */

// Han ideographs, CJK symbols and punctuation, fullwidth forms, kana, bopomofo.
const CJK = /[\u2E80-\u2FFF\u3000-\u30FF\u3100-\u312F\u31A0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u201C\u201D\u2018\u2019\u2014\u2026\u00B7]/u;

export function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && CJK.test(ch);
}

/** Removes every run of white space that touches a CJK character on either side; folds the rest to one space. */
export function normaliseSpacing(text: string): string {
  const chars = [...text.replace(/[\t\r\n\u00A0\u3000 ]+/gu, ' ').trim()];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === ' ') {
      const prev = out[out.length - 1];
      const next = chars[i + 1];
      if (isCjk(prev) || isCjk(next)) continue;
    }
    out += ch;
  }
  return out;
}

/** Joins the lines of one paragraph: directly after CJK, with one space between two Latin words. */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = normaliseSpacing(raw);
    if (!line) continue;
    const prev = out[out.length - 1];
    const next = line[0];
    // Latin words and numbers keep the space a line break stood for ("iPhone" / "15", "York," / "London").
    const latinBefore = prev !== undefined && /[A-Za-z0-9,.;:!?]/.test(prev);
    const latinAfter = next !== undefined && /[A-Za-z0-9]/.test(next);
    const bothDigits = prev !== undefined && next !== undefined && /[0-9]/.test(prev) && /[0-9]/.test(next);
    if (out && latinBefore && latinAfter && !bothDigits && !(/[0-9]/.test(next ?? '') && /[,.:]/.test(prev ?? ''))) out += ' ';
    out += line;
  }
  return out;
}

/** One Han character. */
export const HAN = /\p{Script=Han}/u;
/** Marks after which a quote opens, and before which one closes. */
const BEFORE_OPENING = /[\s:：,，。、;；(（《]/u;
const AFTER_CLOSING = /[\s:：,，。、;；!！?？)）》.]/u;

/**
 * Chinese punctuation that the recogniser returns as ASCII look-alikes in running text, put back
 * (chi_sim reads small print's “ ” as " and ， as "." often: on the 72 dpi real scan 81 of its
 * quotes and 72 of its commas):
 * - an ASCII double quote next to CJK text, a mark or an end of the text is “ or ”: closing when a
 *   mark or the end follows it, opening when a mark or the start is before it, else the opposite of
 *   the quote left open;
 * - a full stop between two Han characters is the comma ，(a decimal point stands between digits,
 *   and Chinese print never sets "." between Han characters).
 * Text without any Han character is left alone.
 */
export function chinesePunctuation(text: string): string {
  return chinesePunctuationOfLines([text])[0] ?? text;
}

/**
 * chinesePunctuation over the lines of one text in reading order, as if they were run together (a
 * quote opened on one line closes on a later one): each line keeps its own text, so the lines and
 * the paragraphs made of them say the same.
 */
export function chinesePunctuationOfLines(lines: readonly string[]): string[] {
  const pieces = lines.map((line) => [...line]);
  const chars = pieces.flat();
  if (!chars.some((ch) => HAN.test(ch))) return [...lines];
  let open = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const before = chars[i - 1];
    const after = chars[i + 1];
    if (ch === '\u201C') open = true;
    else if (ch === '\u201D') open = false;
    else if (ch === '"' && [before, after].some((c) => c === undefined || isCjk(c) || /\p{P}/u.test(c))) {
      const closing = after === undefined || AFTER_CLOSING.test(after);
      const opening = before === undefined || BEFORE_OPENING.test(before);
      const close: boolean = closing === opening ? open : closing;
      chars[i] = close ? '\u201D' : '\u201C';
      open = !close;
    } else if (ch === '.' && HAN.test(before ?? '') && HAN.test(after ?? '')) chars[i] = '\uFF0C';
  }
  // Every replacement is one character for one: the lines are cut where they were.
  let at = 0;
  return pieces.map((piece) => {
    const line = chars.slice(at, at + piece.length).join('');
    at += piece.length;
    return line;
  });
}
