/**
 * Article assembly from hand-built recognition results (no OCR): paragraphs across columns, jump
 * lines, furniture, bylines, CJK spacing, and the output contract.
 */
import { describe, expect, it } from 'vitest';
import { emptyBlock } from '../../src/stages/layout/block.js';
import type { Box } from '../../src/image/geometry.js';
import type { LayoutBlock, LayoutLine } from '../../src/stages/layout/types.js';
import type { ArticleJson } from '../../src/output/types.js';
import { validateDocument } from '../../src/output/validate.js';
import { assemblePage, type AssembledPage, type PageFacts } from '../../src/stages/assemble-page/assemble.js';
import type { RecognizedBlock, RecognizedColumn, RecognizedPage, TextLine } from '../../src/stages/recognise/recognise.js';
import { sampleDocument } from '../output/sample-document.js';

const FACTS: PageFacts = { number: 3, widthPx: 2000, heightPx: 2800, dpi: 300, skewDeg: 0, textSource: 'ocr', columns: 3 };

const BODY = 40;
const PITCH = 62;

/** One recognised line; `x` is the left edge, the indent is set by hand as recognise.markIndents would. */
function line(text: string, y: number, opts: { x?: number; width?: number; height?: number; indented?: boolean; confidence?: number } = {}): TextLine {
  const x0 = opts.x ?? 100;
  const h = opts.height ?? BODY;
  return {
    text,
    box: { x0, y0: y, x1: x0 + (opts.width ?? 300), y1: y + h },
    confidence: opts.confidence ?? 0.9,
    indented: opts.indented ?? false,
  };
}

/** A column of lines; a leading '>' marks an indented (paragraph-first) line. */
function column(x: number, y: number, texts: readonly string[]): RecognizedColumn {
  const lines = texts.map((t, i) => {
    const indented = t.startsWith('>');
    return line(indented ? t.slice(1) : t, y + i * PITCH, { x: indented ? x + 2 * 46 : x, indented });
  });
  return { box: { x0: x, y0: y, x1: x + 300, y1: y + texts.length * PITCH }, lines };
}


interface BlockParts {
  readonly box?: Box;
  readonly layout?: Partial<LayoutBlock>;
  readonly section?: readonly TextLine[];
  readonly headline?: readonly TextLine[];
  readonly author?: readonly TextLine[];
  readonly captions?: readonly (readonly TextLine[])[];
  readonly columns?: readonly RecognizedColumn[];
  readonly other?: readonly TextLine[];
}

function block(parts: BlockParts): RecognizedBlock {
  return {
    layout: emptyBlock(parts.box ?? { x0: 80, y0: 300, x1: 1200, y1: 1200 }, [], parts.layout ?? {}),
    section: parts.section ?? [],
    headline: parts.headline ?? [],
    author: parts.author ?? [],
    captions: parts.captions ?? [],
    columns: parts.columns ?? [],
    other: parts.other ?? [],
  };
}

function assemble(blocks: readonly RecognizedBlock[], mastheads: readonly TextLine[] = []): AssembledPage {
  const page: RecognizedPage = { mastheads, blocks };
  return assemblePage(page, FACTS);
}

function onlyArticle(result: AssembledPage): ArticleJson {
  expect(result.articles).toHaveLength(1);
  const [article] = result.articles;
  if (!article) throw new Error('no article');
  return article;
}

const headline = (text: string, y = 320, height = 110): TextLine => line(text, y, { height, width: 800 });

/** Every text the page and its articles give out. */
function allTexts(result: AssembledPage): string[] {
  const texts: string[] = [];
  for (const b of result.page.blocks) for (const l of b.lines) texts.push(l.text);
  for (const f of result.page.furniture) texts.push(f.text);
  for (const a of result.articles) {
    texts.push(...a.paragraphs, ...a.captions, ...a.authors);
    for (const t of [a.headline, a.section, a.byline]) if (t !== undefined) texts.push(t);
  }
  return texts;
}

const CJK_SPACE_CJK = /[\u3000-\u303F\u4E00-\u9FFF\uFF00-\uFFEF]\s+[\u3000-\u303F\u4E00-\u9FFF\uFF00-\uFFEF]/u;

describe('assemblePage: paragraphs', () => {
  it('continues a paragraph across a column break when the next column does not start indented', () => {
    const article = onlyArticle(
      assemble([
        block({
          headline: [headline('市 政府 召开 会议')],
          columns: [column(100, 500, ['>今天 上午，市 政府', '召开 常务 会议，研究']), column(460, 500, ['部署 近期 重点 工作。', '>会议 指出，要 抓好', '民生 实事。'])],
        }),
      ]),
    );
    expect(article.paragraphs).toEqual(['今天上午，市政府召开常务会议，研究部署近期重点工作。', '会议指出，要抓好民生实事。']);
  });

  it('starts a paragraph at an indented line inside a column, and at the first line even without indent', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('标题')], columns: [column(100, 500, ['第一 段 开头', '第一 段 结尾。', '>第二 段。', '>第三 段 开头', '第三 段 结尾。'])] })]),
    );
    expect(article.paragraphs).toEqual(['第一段开头第一段结尾。', '第二段。', '第三段开头第三段结尾。']);
  });

  it('starts a paragraph at an indented first line of a later column', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('标题')], columns: [column(100, 500, ['>甲 段 全文。']), column(460, 500, ['>乙 段 全文。'])] })]),
    );
    expect(article.paragraphs).toEqual(['甲段全文。', '乙段全文。']);
  });

  it('joins Latin words across a column break with one space and CJK directly', () => {
    const article = onlyArticle(
      assemble([
        block({
          headline: [headline('纽约 来电')],
          columns: [column(100, 500, ['>他 昨天 抵达 New']), column(460, 500, ['York，出席 会议。'])],
        }),
      ]),
    );
    expect(article.paragraphs).toEqual(['他昨天抵达New York，出席会议。']);
  });

  it('keeps a mixed line as printed: GDP, numbers and full-width punctuation', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('经济 数据')], columns: [column(100, 500, ['>前 三 季度 GDP 增长 5.2％，', '“稳中 有 进”。'])] })]),
    );
    expect(article.paragraphs).toEqual(['前三季度GDP增长5.2％，“稳中有进”。']);
  });

  it('skips lines that are empty or only white space', () => {
    const article = onlyArticle(assemble([block({ headline: [headline('标题')], columns: [column(100, 500, ['>第一 句，', '   ', '第二 句。'])] })]));
    expect(article.paragraphs).toEqual(['第一句，第二句。']);
  });

  it('adds one body block per column, with its lines normalised', () => {
    const result = assemble([block({ headline: [headline('标题')], columns: [column(100, 500, ['>甲 乙', '丙 丁']), column(460, 500, ['戊 己。'])] })]);
    const bodies = result.page.blocks.filter((b) => b.type === 'body');
    expect(bodies.map((b) => b.lines.map((l) => l.text))).toEqual([['甲乙', '丙丁'], ['戊己。']]);
    expect(bodies[0]?.bbox).toEqual([100, 500, 300, 2 * PITCH]);
  });
});

describe('assemblePage: jump lines', () => {
  it('removes a "continued on" line from the body and sets continuedOn', () => {
    const result = assemble([
      block({ headline: [headline('头条')], columns: [column(100, 500, ['>会议 强调，要 坚持', '稳中 求进。']), column(460, 500, ['>要 加快 建设', '（下转第３版）'])] }),
    ]);
    const article = onlyArticle(result);
    expect(article.continuedOn).toBe(3);
    expect(article.continuedFrom).toBeUndefined();
    expect(article.paragraphs).toEqual(['会议强调，要坚持稳中求进。', '要加快建设']);
    expect(article.paragraphs.join('')).not.toContain('转');
    const jump = result.page.blocks.find((b) => b.type === 'jump');
    expect(jump?.lines.map((l) => l.text)).toEqual(['（下转第３版）']);
    expect(article.blockIds).toContain(jump?.id);
    const body = result.page.blocks.filter((b) => b.type === 'body').flatMap((b) => b.lines.map((l) => l.text));
    expect(body).not.toContain('（下转第３版）');
  });

  it('removes a "continued from" line at the top of a column and continues the paragraph after it', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('续 前 文')], columns: [column(100, 500, ['( 上接 第 1 版 )', '>会议 还 指出，', '要 抓好 落实。'])] })]),
    );
    expect(article.continuedFrom).toBe(1);
    expect(article.continuedOn).toBeUndefined();
    expect(article.paragraphs).toEqual(['会议还指出，要抓好落实。']);
  });

  it('does not take a mention of a page inside a sentence for a jump line', () => {
    const article = onlyArticle(assemble([block({ headline: [headline('导读')], columns: [column(100, 500, ['>详见 本报（下转第3版）一文 的 报道。'])] })]));
    expect(article.continuedOn).toBeUndefined();
    expect(article.paragraphs).toEqual(['详见本报（下转第3版）一文的报道。']);
  });

  it('sets both directions for a story continued from and on', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('续')], columns: [column(100, 500, ['（上接第1版）', '>正文 一 句。', '（下转第12版）'])] })]),
    );
    expect(article.continuedFrom).toBe(1);
    expect(article.continuedOn).toBe(12);
    expect(article.paragraphs).toEqual(['正文一句。']);
  });
});

describe('assemblePage: furniture', () => {
  it('makes a furniture block page furniture (an ad), not an article', () => {
    const ad = block({
      box: { x0: 1300, y0: 300, x1: 1900, y1: 700 },
      layout: { furniture: true },
      other: [line('欢迎 订阅 本报', 320, { height: 70 }), line('订阅 电话 12345678', 420)],
    });
    const story = block({ headline: [headline('新闻')], columns: [column(100, 500, ['>正文。'])] });
    const result = assemble([ad, story]);
    expect(result.articles).toHaveLength(1);
    expect(result.articles[0]?.headline).toBe('新闻');
    expect(result.articles[0]?.order).toBe(1);
    expect(result.articles[0]?.id).toBe('p3-a1');
    expect(result.page.furniture).toHaveLength(1);
    const f = result.page.furniture[0];
    expect(f?.role).toBe('ad');
    // Each line normalised; how lines are separated is left open (see the report on furniture text).
    expect(f?.text.startsWith('欢迎订阅本报')).toBe(true);
    expect(f?.text.endsWith('订阅电话12345678')).toBe(true);
    expect(f?.bbox).toEqual([1300, 300, 600, 400]);
    const blockTypes = Object.fromEntries(result.page.blocks.map((b) => [b.id, b.type]));
    expect(f?.blockIds.map((id) => blockTypes[id])).toEqual(['furniture']);
    for (const id of result.articles[0]?.blockIds ?? []) expect(f?.blockIds).not.toContain(id);
  });

  it('drops a furniture block with no text at all', () => {
    const result = assemble([block({ layout: { furniture: true }, other: [line('  ', 320)] })]);
    expect(result.articles).toHaveLength(0);
    expect(result.page.furniture).toHaveLength(0);
    expect(result.page.blocks).toHaveLength(0);
  });

  it('gives masthead lines a furniture role from their text', () => {
    const result = assemble(
      [],
      [line('人民 日报', 80, { height: 120 }), line('2023年 12月 2日 星期六', 100, { x: 1500 }), line('第 3 版', 160, { x: 1500 }), line('要闻', 160, { x: 80 }), line('   ', 170)],
    );
    expect(result.page.furniture.map((f) => [f.role, f.text])).toEqual([
      ['newspaper', '人民日报'],
      ['date', '2023年12月2日星期六'],
      ['page', '第3版'],
      ['folio', '要闻'],
    ]);
    expect(result.articles).toHaveLength(0);
  });
});

describe('assemblePage: bylines and authors', () => {
  it('reads the lead byline of the first paragraph', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('新闻')], columns: [column(100, 500, ['>本报讯（记者 张彩峰）昨天 上午，', '全市 召开 大会。'])] })]),
    );
    expect(article.byline).toBe('本报讯（记者张彩峰）');
    expect(article.authors).toEqual(['张彩峰']);
    // The byline stays in the text as printed.
    expect(article.paragraphs[0]).toBe('本报讯（记者张彩峰）昨天上午，全市召开大会。');
  });

  it('reads an agency dateline with a reporter', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('新闻')], columns: [column(100, 500, ['>新华社 北京 12月1日 电（记者 王 五）国务院', '新闻 办 今天 举行 发布会。'])] })]),
    );
    expect(article.byline).toBe('新华社北京12月1日电（记者王五）');
    expect(article.authors).toEqual(['王五']);
  });

  it('prefers the author line under the headline, and reads a name printed with a space as one name', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('新闻')], author: [line('本报记者 孙 权', 460)], columns: [column(100, 540, ['>昨天，会议 召开。'])] })]),
    );
    expect(article.byline).toBe('本报记者孙权');
    expect(article.authors).toEqual(['孙权']);
    expect(article.paragraphs).toEqual(['昨天，会议召开。']);
  });

  it('reads a trailing byline at the end of the last paragraph', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('新闻')], columns: [column(100, 500, ['>会议 昨天 召开。']), column(460, 500, ['>会议 要求 落实。', '（张三）'])] })]),
    );
    expect(article.byline).toBe('（张三）');
    expect(article.authors).toEqual(['张三']);
    expect(article.paragraphs).toEqual(['会议昨天召开。', '会议要求落实。（张三）']);
  });

  it('lists an author once when the author line and the lead byline both name them', () => {
    const article = onlyArticle(
      assemble([block({ headline: [headline('新闻')], author: [line('记者 刘洋', 460)], columns: [column(100, 540, ['>本报讯（记者 刘洋）昨天，', '会议 召开。'])] })]),
    );
    expect(article.authors).toEqual(['刘洋']);
    expect(article.byline).toBe('记者刘洋');
  });

  it('gives no byline when there is none', () => {
    const article = onlyArticle(assemble([block({ headline: [headline('新闻')], columns: [column(100, 500, ['>今天 天气 很 好。'])] })]));
    expect(article.byline).toBeUndefined();
    expect(article.authors).toEqual([]);
  });
});

describe('assemblePage: headlines, captions, photos', () => {
  it('runs headline lines together (no space between CJK) and gives a smaller line apart as subheadline', () => {
    const article = onlyArticle(
      assemble([
        block({
          section: [line('要闻 速递', 250)],
          headline: [headline('坚持 稳中求进', 320), headline('推动 高质量 发展', 450), headline('全年 经济 运行 总体 平稳', 580, 60)],
          columns: [column(100, 700, ['>正文。'])],
        }),
      ]),
    );
    expect(article.headline).toBe('坚持稳中求进推动高质量发展全年经济运行总体平稳');
    expect(article.subheadline).toBe('全年经济运行总体平稳');
    expect(article.section).toBe('要闻速递');
  });

  it('gives no subheadline for a vertical headline whose glyph cells differ in height (a digit, 一)', () => {
    const cell = (text: string, y: number, height: number): TextLine => ({ ...line(text, y, { height, width: 100 }), vertical: true });
    const article = onlyArticle(
      assemble([block({ headline: [cell('1', 320, 80), cell('5', 420, 80), cell('分', 520, 110), cell('钟', 640, 110)], columns: [column(300, 320, ['>正文。'])] })]),
    );
    expect(article.headline).toBe('15分钟');
    expect(article).not.toHaveProperty('subheadline');
  });

  it('takes a one-line block right over a story, flush with it, for its kicker (not furniture)', () => {
    const label = (text: string, y: number, x = 80) => block({ box: { x0: x, y0: y, x1: x + 400, y1: y + 50 }, layout: { furniture: true }, other: [line(text, y, { x, width: 400, height: 50 })] });
    const story = block({ headline: [headline('坚持稳中求进', 320)], columns: [column(100, 460, ['>正文。'])] });
    const result = assemble([label('新时代 新征程', 250), story]);
    expect(onlyArticle(result).section).toBe('新时代新征程');
    expect(result.page.furniture).toEqual([]);
    // Not when it stands off to the side, too far above, or is a date.
    for (const other of [label('新时代 新征程', 250, 700), label('新时代 新征程', 100), label('2023年12月2日 星期六', 250)]) {
      const apart = assemble([other, story]);
      expect(onlyArticle(apart)).not.toHaveProperty('section');
      expect(apart.page.furniture).toHaveLength(1);
    }
  });

  it('makes a photo with a caption and no text a photo article', () => {
    const photo: Box = { x0: 100, y0: 300, x1: 700, y1: 700 };
    const result = assemble([
      block({ layout: { photos: [photo] }, captions: [[line('图为 工人 正在 施工。', 740), line('新华社记者 李 明摄', 802)]] }),
    ]);
    const article = onlyArticle(result);
    expect(article.kind).toBe('photo');
    expect(article.captions).toEqual(['图为工人正在施工。新华社记者李明摄']);
    expect(article.paragraphs).toEqual([]);
    const types = result.page.blocks.filter((b) => article.blockIds.includes(b.id)).map((b) => b.type);
    expect(types).toEqual(['photo', 'caption']);
    expect(result.page.blocks.find((b) => b.type === 'photo')?.bbox).toEqual([100, 300, 600, 400]);
  });

  it('keeps a story with a photo an article', () => {
    const article = onlyArticle(
      assemble([
        block({
          layout: { photos: [{ x0: 100, y0: 450, x1: 700, y1: 800 }] },
          headline: [headline('新闻')],
          captions: [[line('图为 会议 现场。', 830)]],
          columns: [column(100, 920, ['>正文 一 句。'])],
        }),
      ]),
    );
    expect(article.kind).toBe('article');
    expect(article.captions).toEqual(['图为会议现场。']);
  });

  it('makes no article of a block with no headline, text or caption', () => {
    const result = assemble([block({ columns: [column(100, 500, ['  '])] })]);
    expect(result.articles).toHaveLength(0);
  });
});

describe('assemblePage: output', () => {
  const layoutLine = (b: Box): LayoutLine => ({ ...b, glyphHeight: b.y1 - b.y0, reversed: false });
  const result = assemble(
    [
      block({
        section: [line('要闻 ', 250)],
        headline: [headline('市 政府 召开 常务 会议')],
        author: [line('本报记者 张 三', 460)],
        columns: [column(100, 540, ['>本报讯 今天 上午，市 政府', '召开 常务 会议。', '>会议 强调 ， 要 “ 稳 ” 字 当头 。']), column(460, 540, ['GDP 增长 5.2 ％ ，', '（下转第2版）'])],
        layout: { headline: [layoutLine({ x0: 100, y0: 320, x1: 900, y1: 430 })] },
      }),
      block({ box: { x0: 1300, y0: 300, x1: 1900, y1: 700 }, layout: { furniture: true }, other: [line('广 告', 320)] }),
      block({ box: { x0: 80, y0: 1300, x1: 1200, y1: 2000 }, headline: [headline('第二 篇', 1320)], columns: [column(100, 1500, ['>第二 篇 正文 。'])] }),
    ],
    [line('新 民 晚 报', 80, { height: 120 })],
  );

  it('puts no space between CJK characters or CJK punctuation anywhere', () => {
    const texts = allTexts(result);
    expect(texts.length).toBeGreaterThan(10);
    for (const t of texts) expect(t, JSON.stringify(t)).not.toMatch(CJK_SPACE_CJK);
    expect(result.articles[0]?.paragraphs).toEqual(['本报讯今天上午，市政府召开常务会议。', '会议强调，要“稳”字当头。GDP增长5.2％，']);
  });

  it('numbers articles in reading order and refers only to blocks that exist', () => {
    expect(result.articles.map((a) => [a.id, a.order, a.headline])).toEqual([
      ['p3-a1', 1, '市政府召开常务会议'],
      ['p3-a2', 2, '第二篇'],
    ]);
    const ids = result.page.blocks.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of result.articles) for (const id of a.blockIds) expect(ids).toContain(id);
    for (const f of result.page.furniture) for (const id of f.blockIds) expect(ids).toContain(id);
    expect(result.articles[0]?.continuedOn).toBe(2);
    expect(result.articles[0]?.authors).toEqual(['张三']);
  });

  it('copies the page facts and weights confidence by text length', () => {
    expect(result.page).toMatchObject({ number: 3, widthPx: 2000, heightPx: 2800, dpi: 300, skewDeg: 0, textSource: 'ocr', columns: 3 });
    expect(result.page.meanConfidence).toBeCloseTo(0.9, 3);
    const mixed = onlyArticle(
      assemble([block({ headline: [line('甲', 320, { confidence: 1 })], columns: [{ box: { x0: 0, y0: 500, x1: 300, y1: 540 }, lines: [line('乙乙乙', 500, { confidence: 0.5, indented: true })] }] })]),
    );
    // (1 × 1 + 0.5 × 3) / 4
    expect(mixed.confidence).toBe(0.625);
  });

  it('satisfies the document schema', () => {
    const doc = { ...sampleDocument(), pages: [result.page], articles: result.articles };
    const verdict = validateDocument(doc);
    expect(verdict.errors).toEqual([]);
    expect(verdict.ok).toBe(true);
  });
});

describe('assemblePage: writing mode', () => {
  /** A column of glyph cells, one glyph each, top to bottom. */
  const cells = (x: number, y: number, text: string): RecognizedColumn => {
    const lines = Array.from(text, (ch, i) => line(ch, y + i * 44, { x, width: 40, height: 40 }));
    return { box: { x0: x, y0: y, x1: x + 40, y1: y + text.length * 44 }, lines };
  };
  const vertical = assemble([
    block({
      headline: Array.from('竖排标题', (ch, i) => line(ch, 320 + i * 110, { x: 1100, width: 100, height: 100 })),
      columns: [cells(1000, 320, '近年来新荣区'), cells(940, 320, '坚持党建引领')],
      layout: { headlineWritingMode: 'vertical-rl', bodyWritingMode: 'vertical-rl' },
    }),
    block({ box: { x0: 80, y0: 1300, x1: 1200, y1: 2000 }, headline: [headline('横排', 1320)], columns: [column(100, 1500, ['>横排正文。'])] }),
  ]);

  it('marks the blocks of vertical text vertical-rl, and no other block', () => {
    expect(vertical.page.blocks.map((b) => [b.type, b.writingMode])).toEqual([
      ['headline', 'vertical-rl'],
      ['body', 'vertical-rl'],
      ['body', 'vertical-rl'],
      ['headline', undefined],
      ['body', undefined],
    ]);
    expect(vertical.page.blocks[3]).not.toHaveProperty('writingMode');
  });

  it('reads glyph cells into one run of text, column after column, and stays schema-valid', () => {
    expect(vertical.articles[0]?.headline).toBe('竖排标题');
    expect(vertical.articles[0]?.paragraphs).toEqual(['近年来新荣区坚持党建引领']);
    const verdict = validateDocument({ ...sampleDocument(), pages: [vertical.page], articles: vertical.articles });
    expect(verdict.errors).toEqual([]);
  });
});
