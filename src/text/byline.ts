/**
 * Bylines in their common forms: 本报讯(记者 X), 本报讯, 本报记者 X, 新华社记者 X摄, 新华社北京12月1日电(记者 X),
 * and a trailing "（X Y）" at the end of a story. The text stays in the paragraphs as printed; the
 * byline and its names are given apart as metadata.
 */
export interface Byline {
  readonly byline: string;
  readonly authors: string[];
}

const LEAD = /^((?:本报讯|本报[^\s(（]{0,12}电|新华社[^\s(（]{0,16}电|中新网[^\s(（]{0,12}电)\s*(?:[（(]([^）)]{1,40})[）)])?)/u;
// A name is 1-4 characters standing on its own (a space, punctuation, 摄 or the end follows it).
const STAFF = /^(本报记者|新华社记者|记者)\s*((?:[\u4e00-\u9fff]{1,4}(?=\s|$|摄|[，。、：:,;；)）])\s*){1,3})/u;
const TRAILING = /[（(]((?:[\u4e00-\u9fff]{2,4}\s*){1,4})[）)]\s*$/u;
/** Words that stand where names stand but are not names (editorial notes, verbs of a dateline). */
const NOT_NAMES = new Set(['报道', '摄影', '待续', '摘要', '完', '续', '全文', '新华社', '本报', '记者', '通讯员', '评论员', '编者按', '摄']);

export function parseLeadByline(paragraph: string): Byline | undefined {
  const lead = LEAD.exec(paragraph);
  if (lead?.[1]) {
    return { byline: lead[1].trim(), authors: namesFrom(lead[2] ?? '') };
  }
  const staff = STAFF.exec(paragraph);
  if (staff?.[0]) {
    const authors = namesFrom(staff[2] ?? '');
    if (authors.length > 0) return { byline: staff[0].trim(), authors };
  }
  return undefined;
}

export function parseTrailingByline(paragraph: string): Byline | undefined {
  const m = TRAILING.exec(paragraph);
  if (!m?.[1]) return undefined;
  const authors = namesFrom(m[1]);
  if (authors.length === 0) return undefined;
  return { byline: m[0].trim(), authors };
}

/** "记者 张三 李四" → ["张三", "李四"]; "记者 张彩峰" → ["张彩峰"]. */
export function namesFrom(text: string): string[] {
  const cleaned = text.replace(/(本报|新华社)?(记者|通讯员|实习生|摄影)/gu, ' ').replace(/摄$/u, '');
  const parts = cleaned.split(/[\s、,，]+/u).filter((p) => /^[\u4e00-\u9fff]{1,4}$/u.test(p) && !NOT_NAMES.has(p));
  // Two one-character parts are one name printed with a space ("孙 权").
  if (parts.length === 2 && parts.every((p) => p.length === 1)) return [parts.join('')];
  return parts;
}
