/**
 * Reassembly: recognised blocks become the page's blocks, furniture and articles in reading order.
 * Body text runs column after column; a column break never starts a paragraph, an indent does.
 */
import { toBBox } from '../../image/gray-image.js';
import type { Box } from '../../image/geometry.js';
import { toRect, unionBox } from '../../image/geometry.js';
import type { ArticleJson, BlockJson, BlockType, FurnitureJson, FurnitureRole, LineJson, PageJson, TextSource } from '../../output/types.js';
import { parseLeadByline, parseTrailingByline, namesFrom } from '../../text/byline.js';
import { chinesePunctuationOfLines, joinLines, normaliseSpacing } from '../../text/cjk.js';
import { parseJumpLine, splitLeadingJump, type JumpLine } from '../../text/jumps.js';
import type { RecognizedBlock, RecognizedColumn, RecognizedPage, TextLine } from '../recognise/recognise.js';
import { emptyBlock } from '../layout/block.js';
import type { WritingMode } from '../layout/writing-mode.js';

export interface PageFacts {
  readonly number: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly dpi: number;
  readonly skewDeg: number;
  readonly textSource: TextSource;
  readonly columns: number;
}

export interface AssembledPage {
  readonly page: PageJson;
  readonly articles: ArticleJson[];
}

export function assemblePage(recognized: RecognizedPage, facts: PageFacts): AssembledPage {
  const blocks: BlockJson[] = [];
  const furniture: FurnitureJson[] = [];
  const articles: ArticleJson[] = [];
  const p = facts.number;
  const addBlock = (type: BlockType, lines: readonly TextLine[], box?: Box, writingMode?: WritingMode): string => {
    const id = `p${p}-b${blocks.length + 1}`;
    const bbox = box ?? unionOf(lines.map((l) => l.box));
    blocks.push({ id, type, ...(writingMode && writingMode !== 'horizontal-tb' ? { writingMode } : {}), bbox: toBBox(toRect(bbox)), lines: lines.map(lineJson) });
    return id;
  };

  for (const line of recognized.mastheads) {
    const text = normaliseSpacing(line.text);
    if (!text) continue;
    const id = addBlock('furniture', [line]);
    furniture.push({ role: furnitureRole(text), text, bbox: toBBox(toRect(line.box)), blockIds: [id] });
  }

  // The printed page number (第N版) names the page in articles: jump lines refer to it.
  const printedPage = printedPageNumber(furniture);
  const newspaperPage = printedPage ?? p;
  const { stories, labels } = kickersOverStories(recognized.blocks);
  for (const block of stories) {
    if (labels.has(block)) continue;
    if (block.layout.furniture) {
      const lines = block.other.filter((l) => normaliseSpacing(l.text));
      if (lines.length === 0) continue;
      const id = addBlock('furniture', lines, block.layout.box);
      const text = textOf(lines);
      furniture.push({ role: 'ad', text, bbox: toBBox(toRect(block.layout.box)), blockIds: [id] });
      continue;
    }
    for (const story of splitAtContinuation(block)) {
      const article = assembleArticle(story, { index: p, printed: newspaperPage }, articles.length + 1, addBlock);
      if (article) articles.push(article);
    }
  }

  const allLines = blocks.flatMap((b) => b.lines);
  const meanConfidence = round3(allLines.reduce((s, l) => s + l.confidence * l.text.length, 0) / Math.max(1, allLines.reduce((s, l) => s + l.text.length, 0)));
  return {
    page: { ...facts, ...(printedPage !== undefined ? { printedPage } : {}), meanConfidence, blocks, furniture },
    articles,
  };
}

/**
 * A story's kicker (栏目 label: "新时代 新征程 新伟业") set over its headline and parted from it by
 * a rule or a gap comes out of layout as a block of its own with one short line, taken for
 * furniture. Such a line, standing right over a story that has a headline and no kicker, flush with
 * its left edge, is that story's kicker (not a date, page number or paper name). Sizes are the
 * label's own line height.
 */
function kickersOverStories(blocks: readonly RecognizedBlock[]): { stories: RecognizedBlock[]; labels: Set<RecognizedBlock> } {
  const labels = new Set<RecognizedBlock>();
  const stories = blocks.map((story) => {
    if (story.layout.furniture || story.headline.length === 0 || story.section.length > 0) return story;
    const top = Math.min(...story.headline.map((l) => l.box.y0), story.layout.box.y0);
    const label = blocks.find((b) => {
      const line = b.other.length === 1 ? b.other[0] : undefined;
      if (!b.layout.furniture || labels.has(b) || !line || b.columns.length > 0 || b.layout.photos.length > 0) return false;
      const h = line.box.y1 - line.box.y0;
      const text = normaliseSpacing(line.text);
      return (
        text.length > 0 &&
        furnitureRole(text) === 'folio' &&
        line.box.y1 <= top &&
        top - line.box.y1 <= 1.5 * h &&
        Math.abs(line.box.x0 - story.layout.box.x0) <= h &&
        line.box.x1 - line.box.x0 <= 0.5 * (story.layout.box.x1 - story.layout.box.x0)
      );
    });
    if (!label) return story;
    labels.add(label);
    return { ...story, section: label.other };
  });
  return { stories, labels };
}

/**
 * A story continued from another page, set close under the foot of another story: no gap or rule
 * parts them, only its （上接第N版） line does, and only once it is read. From that line down (in
 * its column and the columns after it) is the continuation, a story of its own; the columns before
 * it, and whatever stands above it, stay with the story above. The same holds for a continuation
 * set beside another story, its （上接…） line heading a column right of that story's columns (level
 * with its headline, which then claimed it): a jump line opens a story, it never runs on one.
 */
/** Fewer letters than this above a （上接…） line are no story of their own (noise read as a line). */
const MIN_STORY_LETTERS = 10;

const letters = (lines: readonly TextLine[]): number => lines.reduce((n, l) => n + (l.text.match(/\p{L}/gu)?.length ?? 0), 0);

export function splitAtContinuation(block: RecognizedBlock): RecognizedBlock[] {
  const columns = block.columns;
  for (let c = 0; c < columns.length; c++) {
    const lines = columns[c]?.lines ?? [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const jump = parseJumpLine(line.text) ?? splitLeadingJump(line.text)?.jump;
      if (jump?.direction !== 'continuedFrom') continue;
      const top = line.box.y0;
      const starts = (l: TextLine): boolean => l.box.y1 > top + 0.5 * (line.box.y1 - line.box.y0);
      // Body text above the marker (not only a headline, nor a speck read as a line) means another
      // story stands over it.
      const above = columns.slice(c).flatMap((col) => col.lines.filter((l) => !starts(l)));
      const before = columns.slice(0, c).flatMap((col) => col.lines);
      const heads = letters(lines.slice(0, i)) < MIN_STORY_LETTERS;
      if (letters(above) < MIN_STORY_LETTERS && !(heads && letters(before) >= MIN_STORY_LETTERS)) return [block];
      const upper: RecognizedColumn[] = [];
      const lower: RecognizedColumn[] = [];
      columns.forEach((col, k) => {
        const moved = k >= c ? col.lines.filter(starts) : [];
        const kept = col.lines.filter((l) => !moved.includes(l));
        if (kept.length) upper.push({ box: unionBox(kept.map((l) => l.box)) ?? col.box, lines: kept });
        if (moved.length) lower.push({ box: unionBox(moved.map((l) => l.box)) ?? col.box, lines: moved });
      });
      const lowerBox = unionBox(lower.map((col) => col.box));
      const upperBox = unionBox([...upper.map((col) => col.box), ...block.headline.map((l) => l.box), ...block.section.map((l) => l.box), ...block.layout.photos]);
      if (!lowerBox || !upperBox) return [block];
      const continuation: RecognizedBlock = {
        layout: emptyBlock(lowerBox, [], {}),
        section: [],
        headline: [],
        author: [],
        captions: [],
        columns: lower,
        other: [],
      };
      return [{ ...block, layout: { ...block.layout, box: upperBox }, columns: upper }, continuation];
    }
  }
  return [block];
}

/**
 * The running text of a story (its columns' lines in reading order, and each caption) with the
 * Chinese punctuation chi_sim returned as ASCII look-alikes put back, line by line, so the lines
 * (ALTO) and the paragraphs made of them agree.
 */
function withChinesePunctuation(block: RecognizedBlock): RecognizedBlock {
  const retext = (lines: readonly TextLine[]): TextLine[] => {
    const texts = chinesePunctuationOfLines(lines.map((l) => l.text));
    return lines.map((l, i) => ({ ...l, text: texts[i] ?? l.text }));
  };
  const body = retext(block.columns.flatMap((c) => c.lines));
  let at = 0;
  const columns = block.columns.map((c) => {
    const lines = body.slice(at, at + c.lines.length);
    at += c.lines.length;
    return { ...c, lines };
  });
  return { ...block, columns, captions: block.captions.map(retext) };
}

type AddBlock = (type: BlockType, lines: readonly TextLine[], box?: Box, writingMode?: WritingMode) => string;

function printedPageNumber(furniture: readonly FurnitureJson[]): number | undefined {
  for (const f of furniture) {
    const m = /第\s*([0-9０-９]{1,3})\s*版/u.exec(f.text.normalize('NFKC'));
    if (m?.[1]) return Number(m[1]);
  }
  return undefined;
}

function assembleArticle(recognised: RecognizedBlock, page: { index: number; printed: number }, order: number, addBlock: AddBlock): ArticleJson | undefined {
  const block = withChinesePunctuation(recognised);
  const blockIds: string[] = [];
  for (const photo of block.layout.photos) blockIds.push(addBlock('photo', [], photo));
  const section = textOf(block.section);
  if (block.section.length) blockIds.push(addBlock('section', block.section));
  const { headline, subheadline } = headlineParts(block.headline);
  if (block.headline.length) blockIds.push(addBlock('headline', block.headline, undefined, block.layout.headlineWritingMode));
  let continuedOn: number | undefined;
  let continuedFrom: number | undefined;
  const noteJump = (jump: JumpLine): void => {
    if (jump.page !== undefined && jump.direction === 'continuedOn') continuedOn = jump.page;
    if (jump.page !== undefined && jump.direction === 'continuedFrom') continuedFrom = jump.page;
  };
  // A short line standing over the first column may be a jump line rather than a byline.
  const authorLines: TextLine[] = [];
  for (const line of block.author) {
    const jump = parseJumpLine(line.text) ?? wholeLeadingJump(line.text);
    if (!jump) {
      authorLines.push(line);
      continue;
    }
    noteJump(jump);
    blockIds.push(addBlock('jump', [line]));
  }
  const authorLine = textOf(authorLines);
  if (authorLines.length) blockIds.push(addBlock('author', authorLines));
  const captions: string[] = [];
  for (const group of block.captions) {
    const text = joinLines(group.map((l) => l.text));
    if (text) captions.push(text);
    if (group.length) blockIds.push(addBlock('caption', group));
  }

  const paragraphs: string[][] = [];
  let lastEndedShort = false;
  for (const column of block.columns) {
    const kept: TextLine[] = [];
    for (const printed of column.lines) {
      let line = printed;
      const jump = parseJumpLine(line.text);
      if (jump) {
        noteJump(jump);
        blockIds.push(addBlock('jump', [line]));
        continue;
      }
      // A story continued from another page may open with the marker on its first line, the text
      // running on after it: the marker goes, the text stays.
      const leading = paragraphs.length === 0 ? splitLeadingJump(line.text) : undefined;
      if (leading) {
        noteJump(leading.jump);
        if (!leading.rest) continue;
        line = { ...line, text: leading.rest };
      }
      kept.push(line);
      // A paragraph starts at an indent, and after a line that stopped short (an inter-title set
      // flush left has no indent; a column break alone never starts one).
      if (line.indented || lastEndedShort || paragraphs.length === 0) paragraphs.push([]);
      paragraphs[paragraphs.length - 1]?.push(line.text);
      lastEndedShort = line.endsShort ?? false;
    }
    if (kept.length) blockIds.push(addBlock('body', kept, column.box, block.layout.bodyWritingMode));
  }
  const paragraphTexts = paragraphs.map(joinLines).filter((t) => t.length > 0);
  if (!headline && paragraphTexts.length === 0 && captions.length === 0) return undefined;

  // Bylines are read from the text as recognised: the spaces between names are gone once normalised.
  const rawParagraphs = paragraphs.map((lines) => lines.join(' ').trim()).filter((t) => t.length > 0);
  const firstRaw = rawParagraphs[0];
  const lead = (firstRaw ? parseLeadByline(firstRaw) : undefined) ?? (paragraphTexts[0] ? parseLeadByline(paragraphTexts[0]) : undefined);
  const lastRaw = rawParagraphs[rawParagraphs.length - 1];
  const lastText = paragraphTexts[paragraphTexts.length - 1];
  const trailing = (lastRaw ? parseTrailingByline(lastRaw) : undefined) ?? (lastText ? parseTrailingByline(lastText) : undefined);
  const rawAuthorLine = block.author.map((l) => l.text).join(' ');
  const authors = unique([...(rawAuthorLine ? namesFrom(rawAuthorLine) : []), ...(lead?.authors ?? []), ...(trailing?.authors ?? [])]);
  const bylineRaw = authorLine || lead?.byline || trailing?.byline;
  const byline = bylineRaw ? normaliseSpacing(bylineRaw) : undefined;

  const lines = [...block.section, ...block.headline, ...block.author, ...block.captions.flat(), ...block.columns.flatMap((c) => c.lines)];
  const confidence = round3(lines.reduce((s, l) => s + l.confidence * l.text.length, 0) / Math.max(1, lines.reduce((s, l) => s + l.text.length, 0)));
  const kind = paragraphTexts.length === 0 && !headline ? 'photo' : 'article';
  return {
    id: `p${page.index}-a${order}`,
    page: page.printed,
    pageIndex: page.index,
    pages: [page.printed],
    kind,
    order,
    ...(section ? { section } : {}),
    ...(headline ? { headline } : {}),
    ...(subheadline ? { subheadline } : {}),
    ...(byline ? { byline } : {}),
    authors,
    paragraphs: paragraphTexts,
    captions,
    ...(continuedOn !== undefined ? { continuedOn } : {}),
    ...(continuedFrom !== undefined ? { continuedFrom } : {}),
    bbox: toBBox(toRect(block.layout.box)),
    blockIds,
    confidence,
  };
}

/**
 * The headline as printed, its lines run together (no space may stand between CJK characters); a
 * smaller line under the main one is also given apart as the subheadline.
 */
/** A line that is nothing but a (loosely read) jump marker. */
function wholeLeadingJump(text: string): JumpLine | undefined {
  const leading = splitLeadingJump(text);
  return leading && leading.rest.replace(/[^\p{L}\p{N}]/gu, '').length === 0 ? leading.jump : undefined;
}

function headlineParts(lines: readonly TextLine[]): { headline: string; subheadline: string } {
  // A vertical headline's cells are glyphs, not lines: a short glyph (一, a digit) is no smaller line.
  const heights = lines.map((l) => (l.vertical ? Infinity : l.box.y1 - l.box.y0));
  const tallest = Math.max(0, ...heights.filter(Number.isFinite));
  const texts = lines.map((l) => normaliseSpacing(l.text));
  const subheadline = joinLines(texts.filter((_, i) => (heights[i] ?? 0) < 0.85 * tallest));
  return { headline: joinLines(texts), subheadline };
}

function textOf(lines: readonly TextLine[]): string {
  return joinLines(lines.map((l) => l.text));
}

function furnitureRole(text: string): FurnitureRole {
  if (/第\s*[0-9０-９]+\s*版/u.test(text)) return 'page';
  if (/[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日|星期/u.test(text)) return 'date';
  if (/[报刊]$/u.test(text)) return 'newspaper';
  return 'folio';
}

function lineJson(line: TextLine): LineJson {
  return { text: normaliseSpacing(line.text), bbox: toBBox(toRect(line.box)), confidence: round3(line.confidence) };
}

function unionOf(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return { x0: 0, y0: 0, x1: 0, y1: 0 };
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
