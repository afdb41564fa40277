/** Jump lines: "（下转第3版）" sends the story on to a page, "（上接第1版）" brings it from one. */
const JUMP = /[（(]\s*([下上])\s*[转接]\s*第\s*([0-9０-９]+)\s*版\s*[）)]/u;

export interface JumpLine {
  readonly direction: 'continuedOn' | 'continuedFrom';
  readonly page: number;
}

export function parseJumpLine(text: string): JumpLine | undefined {
  const m = JUMP.exec(text.replace(/\s+/gu, ''));
  if (!m) return undefined;
  const stripped = text.replace(/\s+/gu, '').replace(JUMP, '');
  // Only a line that is (almost) nothing but the jump marker counts; a mention inside a sentence does not.
  if (stripped.length > 2) return undefined;
  const digits = (m[2] ?? '').replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return { direction: m[1] === '下' ? 'continuedOn' : 'continuedFrom', page: Number(digits) };
}
