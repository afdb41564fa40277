import { describe, expect, it } from 'vitest';
import { namesFrom, parseLeadByline, parseTrailingByline, type Byline } from '../../src/text/byline.js';

describe('parseLeadByline', () => {
  it.each<[string, Byline]>([
    // 本报讯 with a reporter in brackets, full-width or half-width.
    ['本报讯（记者 张彩峰）昨天上午，全市召开大会。', { byline: '本报讯（记者 张彩峰）', authors: ['张彩峰'] }],
    ['本报讯(记者 张三)昨天', { byline: '本报讯(记者 张三)', authors: ['张三'] }],
    ['本报讯（记者张彩峰）昨天', { byline: '本报讯（记者张彩峰）', authors: ['张彩峰'] }],
    ['本报讯 （记者 张三） 昨天', { byline: '本报讯 （记者 张三）', authors: ['张三'] }],
    ['本报讯(记者 张三 李四)昨天', { byline: '本报讯(记者 张三 李四)', authors: ['张三', '李四'] }],
    ['本报讯（记者 张三、李四）昨天', { byline: '本报讯（记者 张三、李四）', authors: ['张三', '李四'] }],
    ['本报讯（记者 孙 权）昨天', { byline: '本报讯（记者 孙 权）', authors: ['孙权'] }],
    ['本报讯（通讯员 李四）昨天', { byline: '本报讯（通讯员 李四）', authors: ['李四'] }],
    ['本报讯（记者 张三 通讯员 李四）昨天', { byline: '本报讯（记者 张三 通讯员 李四）', authors: ['张三', '李四'] }],
    ['本报讯（记者 张三 实习生 王五）昨天', { byline: '本报讯（记者 张三 实习生 王五）', authors: ['张三', '王五'] }],
    // 本报讯 alone.
    ['本报讯 昨天上午，全市召开大会。', { byline: '本报讯', authors: [] }],
    ['本报讯昨天上午', { byline: '本报讯', authors: [] }],
    // Datelines: 本报…电, 新华社…电, 中新网…电, with or without a reporter.
    ['本报北京12月1日电（记者 孙 权）国务院', { byline: '本报北京12月1日电（记者 孙 权）', authors: ['孙权'] }],
    ['新华社北京12月1日电（记者 王五）国务院', { byline: '新华社北京12月1日电（记者 王五）', authors: ['王五'] }],
    ['新华社北京12月1日电(记者 王五 赵六)国务院', { byline: '新华社北京12月1日电(记者 王五 赵六)', authors: ['王五', '赵六'] }],
    ['新华社北京12月1日电 国务院新闻办今天', { byline: '新华社北京12月1日电', authors: [] }],
    ['新华社华盛顿11月30日电（记者 李明）美国', { byline: '新华社华盛顿11月30日电（记者 李明）', authors: ['李明'] }],
    ['中新网北京1月2日电 据报道', { byline: '中新网北京1月2日电', authors: [] }],
    ['本报上海电（记者 刘洋）', { byline: '本报上海电（记者 刘洋）', authors: ['刘洋'] }],
    // Staff lines.
    ['本报记者 张彩峰', { byline: '本报记者 张彩峰', authors: ['张彩峰'] }],
    ['本报记者 张三 李四', { byline: '本报记者 张三 李四', authors: ['张三', '李四'] }],
    ['本报记者 张三 李四 王五', { byline: '本报记者 张三 李四 王五', authors: ['张三', '李四', '王五'] }],
    ['本报记者 孙 权', { byline: '本报记者 孙 权', authors: ['孙权'] }],
    ['新华社记者 李 明摄', { byline: '新华社记者 李 明摄', authors: ['李明'] }],
    ['新华社记者 李明摄', { byline: '新华社记者 李明摄', authors: ['李明'] }],
    ['新华社记者 张三 摄', { byline: '新华社记者 张三 摄', authors: ['张三'] }],
    ['记者 刘洋', { byline: '记者 刘洋', authors: ['刘洋'] }],
  ])('parseLeadByline(%j)', (paragraph, expected) => {
    expect(parseLeadByline(paragraph)).toEqual(expected);
  });

  it.each([
    '今天天气很好。',
    '昨天，本报讯息中心发布通知。',
    '据新华社报道，会议昨天召开。',
    '他对本报记者说，会议很成功。',
    '',
    'GDP增长5.2%',
  ])('finds no lead byline in %j', (paragraph) => {
    expect(parseLeadByline(paragraph)).toBeUndefined();
  });

  it('only reads a byline at the start of the paragraph', () => {
    expect(parseLeadByline('昨天上午，本报讯（记者 张三）')).toBeUndefined();
  });
});

describe('parseTrailingByline', () => {
  it.each<[string, Byline]>([
    ['会议要求各地认真落实。（张三）', { byline: '（张三）', authors: ['张三'] }],
    ['会议要求各地认真落实。（张三 李四）', { byline: '（张三 李四）', authors: ['张三', '李四'] }],
    ['会议要求各地认真落实。(王小明)', { byline: '(王小明)', authors: ['王小明'] }],
    ['会议结束。（欧阳小明）', { byline: '（欧阳小明）', authors: ['欧阳小明'] }],
    ['会议结束。（张三）  ', { byline: '（张三）', authors: ['张三'] }],
    ['会议结束。（张三 李四 王五）', { byline: '（张三 李四 王五）', authors: ['张三', '李四', '王五'] }],
    ['会议结束（记者 张三）', { byline: '（记者 张三）', authors: ['张三'] }],
    ['会议结束。（本报记者 张三）', { byline: '（本报记者 张三）', authors: ['张三'] }],
  ])('parseTrailingByline(%j)', (paragraph, expected) => {
    expect(parseTrailingByline(paragraph)).toEqual(expected);
  });

  it.each([
    '今天（星期一）开会。',
    '会议结束。',
    '国内生产总值（GDP）增长。',
    '会议结束。（张）',
    '增长了5%（同比）。',
    '',
  ])('finds no trailing byline in %j', (paragraph) => {
    expect(parseTrailingByline(paragraph)).toBeUndefined();
  });
});

describe('namesFrom', () => {
  it.each<[string, string[]]>([
    ['记者 张三 李四', ['张三', '李四']],
    ['记者 张彩峰', ['张彩峰']],
    ['孙 权', ['孙权']],
    ['记者 孙 权', ['孙权']],
    ['李 明摄', ['李明']],
    ['新华社记者 李明摄', ['李明']],
    ['本报记者 王五', ['王五']],
    ['张三、李四', ['张三', '李四']],
    ['张三，李四', ['张三', '李四']],
    ['张三,李四', ['张三', '李四']],
    ['张三 李四 王五', ['张三', '李四', '王五']],
    ['通讯员 王五 实习生 赵六', ['王五', '赵六']],
    ['记者 张三 通讯员 李四', ['张三', '李四']],
    ['摄影 欧阳小明', ['欧阳小明']],
    ['  张三  ', ['张三']],
    // Not names: Latin, digits, too long, nothing.
    ['记者 John Smith', []],
    ['记者 张三3', []],
    ['记者 欧阳小明明', []],
    ['记者', []],
    ['', []],
  ])('namesFrom(%j) → %j', (text, expected) => {
    expect(namesFrom(text)).toEqual(expected);
  });

  it('joins only two one-character parts into one name', () => {
    expect(namesFrom('孙 权')).toEqual(['孙权']);
    expect(namesFrom('张 三 李')).toEqual(['张', '三', '李']);
    expect(namesFrom('孙 张三')).toEqual(['孙', '张三']);
  });
});
