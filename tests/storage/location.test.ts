import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { ConfigError } from '../../src/errors.js';
import { openStorage, parseLocation } from '../../src/storage/location.js';

describe('parseLocation', () => {
  it.each([
    ['s3://bucket', { kind: 's3', bucket: 'bucket', prefix: '' }],
    ['s3://bucket/', { kind: 's3', bucket: 'bucket', prefix: '' }],
    ['s3://bucket/some/prefix/', { kind: 's3', bucket: 'bucket', prefix: 'some/prefix/' }],
    ['s3://bucket/some/prefix', { kind: 's3', bucket: 'bucket', prefix: 'some/prefix/' }],
    ['S3://my.bucket-1/报纸 2024/', { kind: 's3', bucket: 'my.bucket-1', prefix: '报纸 2024/' }],
  ])('%s', (uri, expected) => {
    expect(parseLocation(uri)).toEqual(expected);
  });

  it('resolves local paths to absolute roots', () => {
    expect(parseLocation('/data/out')).toEqual({ kind: 'fs', root: '/data/out' });
    expect(parseLocation('/data/out/')).toEqual({ kind: 'fs', root: '/data/out' });
    expect(parseLocation('out')).toEqual({ kind: 'fs', root: path.resolve('out') });
    expect(parseLocation('./a/../b')).toEqual({ kind: 'fs', root: path.resolve('b') });
    expect(parseLocation('my:folder')).toEqual({ kind: 'fs', root: path.resolve('my:folder') });
  });

  it('accepts file:// URLs (percent-decoded)', () => {
    expect(parseLocation('file:///data/out')).toEqual({ kind: 'fs', root: '/data/out' });
    expect(parseLocation('file:///data/my%20scans/')).toEqual({ kind: 'fs', root: '/data/my scans' });
    const root = path.resolve('中文 目录');
    expect(parseLocation(pathToFileURL(root).href)).toEqual({ kind: 'fs', root });
  });

  it.each([
    ['', /non-empty/],
    ['s3://', /no bucket/],
    ['s3:///prefix', /no bucket/],
    ['s3://bucket/../x', /"\.\." segments/],
    ['s3://bucket/a/../../x/', /"\.\." segments/],
    ['s3://bucket//x', /must not start with/],
    ['s3://bucket/a//x', /empty segments/],
    ['s3://bucket/a\\b', /backslash/],
    ['s3://bu cket/x', /bucket name/],
    ['gs://bucket/x', /Unsupported/],
    ['http://example.com/x', /Unsupported/],
    ['file://remote-host/share', /Invalid file URL/],
  ])('rejects %j', (uri, message) => {
    expect(() => parseLocation(uri)).toThrow(ConfigError);
    expect(() => parseLocation(uri)).toThrow(message);
  });
});

describe('openStorage', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('opens a folder', async () => {
    const storage = openStorage('/tmp/newsprint-never-written');
    expect(storage.location).toBe('file:///tmp/newsprint-never-written');
    expect(await storage.list('')).toEqual({ items: [] });
    await storage.dispose();
  });

  it('opens a bucket and prefix (no request made)', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    const storage = openStorage('s3://bucket/runs');
    expect(storage.location).toBe('s3://bucket/runs/');
    await storage.dispose();
  });

  it('rejects a bad endpoint with ConfigError', () => {
    expect(() => openStorage('s3://bucket', { endpoint: 'not a url' })).toThrow(ConfigError);
  });
});
