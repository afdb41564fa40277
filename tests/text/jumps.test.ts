import { describe, expect, it } from 'vitest';
import { parseJumpLine, splitLeadingJump, type JumpLine } from '../../src/text/jumps.js';

describe('parseJumpLine', () => {
  it.each<[string, JumpLine]>([
    ['（下转第3版）', { direction: 'continuedOn', page: 3 }],
    ['（上接第1版）', { direction: 'continuedFrom', page: 1 }],
    ['(下转第3版)', { direction: 'continuedOn', page: 3 }],
    ['(上接第1版)', { direction: 'continuedFrom', page: 1 }],
    ['（下转第12版）', { direction: 'continuedOn', page: 12 }],
    ['（上接第20版）', { direction: 'continuedFrom', page: 20 }],
    // Full-width digits.
    ['（下转第３版）', { direction: 'continuedOn', page: 3 }],
    ['（上接第１２版）', { direction: 'continuedFrom', page: 12 }],
    ['（下转第１0版）', { direction: 'continuedOn', page: 10 }],
    // OCR spacing anywhere.
    ['（ 下 转 第 3 版 ）', { direction: 'continuedOn', page: 3 }],
    ['(下转第 12 版)', { direction: 'continuedOn', page: 12 }],
    ['  （上接第1版）  ', { direction: 'continuedFrom', page: 1 }],
    ['（上接\t第1版）', { direction: 'continuedFrom', page: 1 }],
    // Mixed brackets.
    ['（下转第3版)', { direction: 'continuedOn', page: 3 }],
    // A stray mark or two next to the marker still counts.
    ['（下转第3版）。', { direction: 'continuedOn', page: 3 }],
    ['——（下转第3版）', { direction: 'continuedOn', page: 3 }],
    // Leading zero.
    ['（下转第03版）', { direction: 'continuedOn', page: 3 }],
  ])('parseJumpLine(%j)', (text, expected) => {
    expect(parseJumpLine(text)).toEqual(expected);
  });

  it.each([
    // Inside a sentence: not a jump line.
    '详见（下转第3版）一文报道',
    '本报今日（下转第3版）的文章',
    '会议强调，要坚持稳中求进。（下转第3版）',
    // Not the marker.
    '下转第3版',
    '第3版',
    '（转第3版）',
    '（下转第3页）',
    '（待续）',
    '（张三）',
    '',
    '   ',
  ])('finds no jump in %j', (text) => {
    expect(parseJumpLine(text)).toBeUndefined();
  });
});

describe('parseJumpLine on damaged recognition', () => {
  it.each(['(下转第:', '（下转第版）', '(上接第 ?', '《上接第JR)', '【下转第1R】'])('%s is a jump line without a page', (text) => {
    const jump = parseJumpLine(text);
    expect(jump?.direction).toBeDefined();
    expect(jump?.page).toBeUndefined();
  });
  it('a sentence with 下转 is not', () => {
    expect(parseJumpLine('(下转移支付资金)')).toBeUndefined();
    expect(parseJumpLine('《上海接力》')).toBeUndefined();
  });
});


describe('jump markers with the page in Chinese numerals', () => {
  it.each<[string, JumpLine]>([
    ['（上接第一版）', { direction: 'continuedFrom', page: 1 }],
    ['（下转第十二版）', { direction: 'continuedOn', page: 12 }],
    ['（上接第二十版）', { direction: 'continuedFrom', page: 20 }],
    ['（下转第十版）', { direction: 'continuedOn', page: 10 }],
  ])('parseJumpLine(%j)', (text, expected) => {
    expect(parseJumpLine(text)).toEqual(expected);
  });
});

describe('splitLeadingJump: the marker opening a story\'s first line', () => {
  it.each<[string, JumpLine, string]>([
    ['（上接第一版）工程旨在提升流通设施', { direction: 'continuedFrom', page: 1 }, '工程旨在提升流通设施'],
    // As recognition gives small print: brackets and one glyph misread.
    ['【上接第一版]工程旨在', { direction: 'continuedFrom', page: 1 }, '工程旨在'],
    ['【上抒第一岳} 在以“米', { direction: 'continuedFrom', page: 1 }, '在以“米'],
    ['(上接第3版)', { direction: 'continuedFrom', page: 3 }, ''],
    // The 72 dpi real scan: a double angle bracket for the parenthesis, a glyph misread for 第.
    ['《上接第一版]工程在提升', { direction: 'continuedFrom', page: 1 }, '工程在提升'],
    ['【上接槛一咎)百产432公斤', { direction: 'continuedFrom', page: 1 }, '百产432公斤'],
  ])('%j', (text, jump, rest) => {
    expect(splitLeadingJump(text)).toEqual({ jump, rest });
  });
  it.each(['工程旨在（上接第一版）', '上接第一版工程', '（第一版）工程', '（记者 张三）', '（上海1日电）记者', '（上海二日电）记者'])('no marker at the start of %j', (text) => {
    expect(splitLeadingJump(text)).toBeUndefined();
  });
});
