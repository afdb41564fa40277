import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../src/errors.js';
import { assertSafeKey, assertSafePrefix, compareKeys, joinKey } from '../../src/storage/keys.js';

describe('storage keys', () => {
  it.each(['a', 'a/b.json', '2024 年/第 1 版.json', '.hidden', 'a/..b', 'a/b../c', '...'])(
    'accepts %j',
    (key) => {
      expect(() => assertSafeKey(key)).not.toThrow();
    },
  );

  it.each([
    ['', /non-empty/],
    ['../x', /"\.\."/],
    ['a/..', /"\.\."/],
    ['a/./b', /"\."/],
    ['/abs', /start with "\/"/],
    ['a//b', /empty segments/],
    ['a/', /empty segments/],
    ['a\\b', /backslash/],
    ['a\u0000b', /NUL/],
    ['a\tb', /control/],
    ['a\u007fb', /control/],
  ])('rejects %j', (key, message) => {
    expect(() => assertSafeKey(key)).toThrow(ConfigError);
    expect(() => assertSafeKey(key)).toThrow(message);
  });

  it('accepts folder and partial prefixes, rejects unsafe ones', () => {
    for (const prefix of ['', 'a/', 'a/b', 'pages/00']) expect(() => assertSafePrefix(prefix)).not.toThrow();
    for (const prefix of ['/', '../', 'a//', 'a/../', '\\']) {
      expect(() => assertSafePrefix(prefix), prefix).toThrow(ConfigError);
    }
  });

  it('joins parts, skipping empty ones and one trailing slash', () => {
    expect(joinKey('runs', 'r1', 'page-1.json')).toBe('runs/r1/page-1.json');
    expect(joinKey('runs/', 'r1/', 'x')).toBe('runs/r1/x');
    expect(joinKey('', 'a/b', '')).toBe('a/b');
    expect(() => joinKey('runs', '../etc/passwd')).toThrow(ConfigError);
    expect(() => joinKey('/abs', 'x')).toThrow(ConfigError);
    expect(() => joinKey('a', '/x')).toThrow(ConfigError);
    expect(() => joinKey()).toThrow(ConfigError);
  });

  it('orders keys by UTF-8 bytes', () => {
    expect(['b', 'a/b', 'a-b', 'a0', '𠀀', 'ｚ'].sort(compareKeys)).toEqual(['a-b', 'a/b', 'a0', 'b', 'ｚ', '𠀀']);
  });
});
