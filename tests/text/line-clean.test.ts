/** Clean-up of display lines (headlines, kickers) read on their own. */
import { describe, expect, it } from 'vitest';
import { cleanLineText, closeTrailingQuote } from '../../src/stages/recognise/line-prep.js';

describe('cleanLineText', () => {
  it.each([
    ['-北路梆子《穆柯寨》精彩上演', '——北路梆子《穆柯寨》精彩上演'],
    ['北京-上海高铁', '北京-上海高铁'],
    ['新时代新征程新伟业|', '新时代新征程新伟业'],
    ['学历能力|双提升', '学历能力双提升'],
    ['“多彩平城北梆情”一一北路梆子', '“多彩平城北梆情”——北路梆子'],
    ['《穆柯寨》一一精彩上演', '《穆柯寨》——精彩上演'],
    ['一一对应的帮扶', '一一对应的帮扶'],
  ])('%s → %s', (raw, clean) => expect(cleanLineText(raw).replace(/\s+/gu, '')).toBe(clean.replace(/\s+/gu, '')));

  it('leaves Latin text alone', () => {
    expect(cleanLineText('GDP [2023] report!')).toBe('GDP [2023] report!');
  });
});

describe('closeTrailingQuote', () => {
  it('closes a quote left open at the end of a headline', () => {
    expect(closeTrailingQuote(['打造社区治理“红色引擎'])).toEqual(['打造社区治理“红色引擎”']);
  });
  it('leaves a closed quote alone', () => {
    expect(closeTrailingQuote(['新荣区“三化三实”'])).toEqual(['新荣区“三化三实”']);
  });
});
