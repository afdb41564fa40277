import { describe, expect, it } from 'vitest';
import { chinesePunctuation, isCjk, joinLines, normaliseSpacing } from '../../src/text/cjk.js';

describe('isCjk', () => {
  it.each([
    ['中', true],
    ['㐀', true], // CJK extension A
    ['豈', true], // compatibility ideograph
    ['，', true],
    ['。', true],
    ['、', true],
    ['：', true],
    ['“', true],
    ['”', true],
    ['‘', true],
    ['《', true],
    ['》', true],
    ['（', true],
    ['—', true],
    ['…', true],
    ['·', true],
    ['\u3000', true], // ideographic space
    ['１', true], // full-width digit
    ['Ａ', true], // full-width letter
    ['ア', true],
    ['ㄅ', true],
    ['a', false],
    ['Z', false],
    ['1', false],
    [',', false],
    ['.', false],
    ['%', false],
    ['(', false],
    [' ', false],
    ['', false],
    [undefined, false],
  ] as const)('isCjk(%j) is %s', (ch, expected) => {
    expect(isCjk(ch)).toBe(expected);
  });
});

describe('normaliseSpacing', () => {
  it.each([
    // Stray spaces between CJK characters (tesseract's "words") go.
    ['中 国 人 民', '中国人民'],
    ['今天   上午', '今天上午'],
    ['市 政府 召开 常务 会议', '市政府召开常务会议'],
    // Spaces touching CJK punctuation go; full-width punctuation is kept as printed.
    ['他说 ： “ 好 。 ”', '他说：“好。”'],
    ['《 人民日报 》 报道', '《人民日报》报道'],
    ['（ 记者 张三 ）', '（记者张三）'],
    ['一、 二、 三', '一、二、三'],
    ['他 说 ——', '他说——'],
    ['…… 好', '……好'],
    ['张三 · 李四', '张三·李四'],
    ['第 ３ 版', '第３版'],
    ['增长 5.2％ ，', '增长5.2％，'],
    // Between CJK and Latin or digits: no space either.
    ['GDP 增长', 'GDP增长'],
    ['2024 年 12 月 1 日', '2024年12月1日'],
    ['A股 上涨', 'A股上涨'],
    ['COVID-19 疫情', 'COVID-19疫情'],
    ['发布 iPhone 15 Pro 手机', '发布iPhone 15 Pro手机'],
    // Between Latin words and numbers: one space kept.
    ['New York', 'New York'],
    ['New    York', 'New York'],
    ['iPhone 15', 'iPhone 15'],
    ['version 2 . 0', 'version 2 . 0'],
    ['New York, London', 'New York, London'],
    ['访问 www.example.com 了解', '访问www.example.com了解'],
    // White space of every kind is folded or dropped; the ends are trimmed.
    ['  中国  ', '中国'],
    ['a\tb', 'a b'],
    ['a\r\nb', 'a b'],
    ['a\u00A0b', 'a b'],
    ['中\u3000国', '中国'],
    ['中\n国', '中国'],
    ['', ''],
    ['   ', ''],
    ['\u3000', ''],
    // Nothing else is changed: half-width punctuation stays half-width.
    ['我们,他们', '我们,他们'],
    [' 我们 , 他们 ', '我们,他们'],
    ['中国人民', '中国人民'],
  ])('normaliseSpacing(%j) → %j', (input, expected) => {
    expect(normaliseSpacing(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const s of ['中 国 New  York 5 . 2', ' 《 人民日报 》 GDP 增长 ', 'a\tb 中 c']) {
      const once = normaliseSpacing(s);
      expect(normaliseSpacing(once)).toBe(once);
    }
  });

  it('keeps a character outside the BMP whole and drops the space beside its CJK neighbour', () => {
    expect(normaliseSpacing('𠮷 野 家')).toBe('𠮷野家');
  });
});

describe('joinLines', () => {
  it.each([
    // CJK: lines run on directly.
    [['中国', '人民'], '中国人民'],
    [['今天 上午，市 政府', '召开 常务 会议。'], '今天上午，市政府召开常务会议。'],
    [['他说：“', '好。”'], '他说：“好。”'],
    [['中 国', '人 民'], '中国人民'],
    // Two Latin words across a line break: one space.
    [['New', 'York'], 'New York'],
    [['他 抵达 New', 'York，出席 会议'], '他抵达New York，出席会议'],
    [['2024', 'year'], '2024 year'],
    [['版本 3', 'beta'], '版本3 beta'],
    // Latin and CJK across a line break: nothing between.
    [['GDP', '增长 5.2％'], 'GDP增长5.2％'],
    [['增长', 'GDP'], '增长GDP'],
    [['共 12', '人'], '共12人'],
    [['2024', '年'], '2024年'],
    // A word broken with a hyphen is joined as printed.
    [['e-', 'mail'], 'e-mail'],
    // Empty and blank lines are skipped.
    [['', '中国', '  ', '人民'], '中国人民'],
    [[], ''],
    [['   '], ''],
    [['  New  ', '  York  '], 'New York'],
  ] as const)('joinLines(%j) → %j', (lines, expected) => {
    expect(joinLines(lines)).toBe(expected);
  });

  it('adds at most one space at a join', () => {
    expect(joinLines(['New ', ' York'])).toBe('New York');
  });

  it('never leaves a space between CJK characters', () => {
    const joined = joinLines(['本报讯 （记者 张三） 今天', '上午 ， 全市 召开', '大会 。']);
    expect(joined).toBe('本报讯（记者张三）今天上午，全市召开大会。');
    expect(joined).not.toMatch(/\s/u);
  });
});

describe('chinesePunctuation: ASCII look-alikes in running Chinese text', () => {
  it.each([
    ['他说"你好"。', '他说“你好”。'],
    // Opening after a mark, closing before one, else the opposite of the quote left open.
    ['以"米、秒、环"为计量标准', '以“米、秒、环”为计量标准'],
    ['“最近三年"可以说', '“最近三年”可以说'],
    ['仍是"排头兵":面对', '仍是“排头兵”:面对'],
    ['"让能飞的飞得更高!"', '“让能飞的飞得更高!”'],
    // A full stop between Han characters is a comma; a decimal point stays.
    ['总额达2.29亿元.整合省相关部门资金', '总额达2.29亿元，整合省相关部门资金'],
    ['面积将达300万亩.居全国第四位。', '面积将达300万亩，居全国第四位。'],
  ])('%j → %j', (raw, want) => {
    expect(chinesePunctuation(raw)).toBe(want);
  });
  it.each(['He said "hi". Then left.', 'iPhone 15 "Pro"', '3.5 kg'])('leaves text without Han alone: %j', (text) => {
    expect(chinesePunctuation(text)).toBe(text);
  });
});
