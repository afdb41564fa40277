/**
 * Jump lines: "（下转第3版）" sends the story on to a page, "（上接第1版）" brings it from one. The page
 * number is printed in digits or, on many papers, in Chinese numerals ("（上接第一版）").
 */
const PAGE_NUMBER = '[0-9０-９]+|[一二三四五六七八九十]{1,3}';
const JUMP = new RegExp(`[（(]\\s*([下上])\\s*[转接]\\s*第\\s*(${PAGE_NUMBER})\\s*版\\s*[）)]`, 'u');

export interface JumpLine {
  readonly direction: 'continuedOn' | 'continuedFrom';
  /** Absent when the number could not be read (the line is still a jump line, not body text). */
  readonly page?: number;
}

/**
 * A short line in brackets that says 下转 or 上接, its page number misread ("（下转第:", "《上接第JR)":
 * small print's brackets come back as look-alikes too).
 */
const DAMAGED_JUMP = /^[（(【\[{〔《〈]\s*([下上])\s*[转接]\s*第?[^\u4e00-\u9fff]{0,4}版?[）)】\]}〕》〉]?$/u;

export function parseJumpLine(text: string): JumpLine | undefined {
  const compact = text.replace(/\s+/gu, '');
  const m = JUMP.exec(compact);
  if (!m) {
    const damaged = DAMAGED_JUMP.exec(compact);
    return damaged ? { direction: damaged[1] === '下' ? 'continuedOn' : 'continuedFrom' } : undefined;
  }
  const stripped = text.replace(/\s+/gu, '').replace(JUMP, '');
  // Only a line that is (almost) nothing but the jump marker counts; a mention inside a sentence does not.
  if (stripped.length > 2) return undefined;
  return { direction: m[1] === '下' ? 'continuedOn' : 'continuedFrom', page: pageNumber(m[2] ?? '') };
}

/**
 * A jump marker opening the first line of a story, the text running on after it on the same line:
 * "（上接第一版）工程旨在…". Small print comes back from recognition with its brackets misread
 * (【 ] } 《 for （ ）) and now and then one glyph of the marker wrong (抒 for 接, 槛 for 第, 岳 for 版), so the
 * marker is matched loosely; only the opening of a story is searched, where nothing else looks
 * like it. Returns the jump and the text after the marker.
 */
const CLOSE = '）)】\\]}〕》〉';
const LEADING_JUMP = new RegExp(`^\\s*[（(【\\[{〔《〈]\\s*([上下])\\s*[^\\s第]?\\s*(?:第|[^\\s0-9${CLOSE}])\\s*(${PAGE_NUMBER})\\s*[^\\s${CLOSE}]?\\s*[${CLOSE}]`, 'u');

export function splitLeadingJump(text: string): { jump: JumpLine; rest: string } | undefined {
  const m = LEADING_JUMP.exec(text);
  if (!m) return undefined;
  const page = pageNumber(m[2] ?? '');
  const direction = m[1] === '下' ? 'continuedOn' : 'continuedFrom';
  return { jump: Number.isFinite(page) ? { direction, page } : { direction }, rest: text.slice(m[0].length).trim() };
}

const CHINESE_DIGITS = '一二三四五六七八九';

/** "3", "３", "12", "一", "十二", "二十" → the number. */
function pageNumber(text: string): number {
  const digits = text.replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (/^[0-9]+$/u.test(digits)) return Number(digits);
  const ten = digits.indexOf('十');
  const digit = (ch: string | undefined): number => (ch ? CHINESE_DIGITS.indexOf(ch) + 1 : 0);
  if (ten < 0) return digit(digits[0]);
  return (ten === 0 ? 1 : digit(digits[ten - 1])) * 10 + digit(digits[ten + 1]);
}
