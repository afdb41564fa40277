/** Jump lines: "（下转第3版）" sends the story on to a page, "（上接第1版）" brings it from one. */
const JUMP = /[（(]\s*([下上])\s*[转接]\s*第\s*([0-9０-９]+)\s*版\s*[）)]/u;

export interface JumpLine {
  readonly direction: 'continuedOn' | 'continuedFrom';
  /** Absent when the number could not be read (the line is still a jump line, not body text). */
  readonly page?: number;
}

/** A short line in brackets that says 下转 or 上接, its page number misread ("（下转第:"). */
const DAMAGED_JUMP = /^[（(]\s*([下上])\s*[转接]\s*第?[^\u4e00-\u9fff]{0,4}版?[）)]?$/u;

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
  const digits = (m[2] ?? '').replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return { direction: m[1] === '下' ? 'continuedOn' : 'continuedFrom', page: Number(digits) };
}
