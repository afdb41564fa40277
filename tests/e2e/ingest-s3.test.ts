/**
 * End to end against a real S3-protocol server: a sample scan and a set of unusable inputs go into a
 * bucket, `ingest s3://… --out s3://…` runs the whole pipeline, and the JSON read back is checked.
 */
import { readFileSync } from 'node:fs';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cer } from '../../src/eval/levenshtein.js';
import { silentLogger } from '../../src/logger.js';
import type { DocumentJson, ErrorJson } from '../../src/output/types.js';
import { validateArticle, validateDocument, validateError } from '../../src/output/validate.js';
import { runIngest } from '../../src/pipeline/ingest.js';
import { createProgress } from '../../src/cli/progress.js';
import { badInputs } from '../support/bad-inputs.js';
import { makeTestS3Client, startS3Server, TEST_CREDENTIALS, type TestS3Server } from '../support/s3-server.js';

const SAMPLE = new URL('../../samples/daily-2023-12-02-p1.pdf', import.meta.url);
const SAMPLE_GT = new URL('../../samples/gt/daily-2023-12-02-p1.gt.json', import.meta.url);
const CJK_PAIR_WITH_SPACE = /[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]\s+[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/u;

interface GtArticle {
  headline?: string;
}

let server: TestS3Server;
let client: S3Client;

async function getJson<T>(bucket: string, key: string): Promise<T> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await res.Body!.transformToString('utf-8')) as T;
}

async function listKeys(bucket: string, prefix: string): Promise<string[]> {
  const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key ?? '').sort();
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) allStrings(v, out);
  return out;
}

describe('ingest s3:// → s3:// end to end', () => {
  beforeAll(async () => {
    server = await startS3Server(['incoming', 'processed']);
    client = makeTestS3Client(server.endpoint);
    process.env['AWS_ACCESS_KEY_ID'] = TEST_CREDENTIALS.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = TEST_CREDENTIALS.secretAccessKey;
    process.env['AWS_REGION'] = 'us-east-1';
    const good = new Uint8Array(readFileSync(SAMPLE));
    await client.send(new PutObjectCommand({ Bucket: 'incoming', Key: 'scans/2023-12-02 p1.pdf', Body: good }));
    for (const bad of badInputs(good)) {
      await client.send(new PutObjectCommand({ Bucket: 'incoming', Key: `scans/bad/${bad.name}`, Body: bad.bytes }));
    }
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('writes a schema-valid document for the good scan and an error.json for each bad input', async () => {
    const report = await runIngest({
      inputs: ['s3://incoming/scans/'],
      out: 's3://processed/run1',
      workers: 2,
      s3Endpoint: server.endpoint,
      forcePathStyle: true,
      logger: silentLogger,
      progress: createProgress({ isTTY: false, logger: silentLogger }),
    });
    expect(report.ok).toBe(false);
    const good = report.documents.find((d) => d.uri.endsWith('2023-12-02 p1.pdf'));
    expect(good?.ok).toBe(true);

    const doc = await getJson<DocumentJson>('processed', `run1/${good!.documentId}/document.json`);
    const validation = validateDocument(doc);
    expect(validation.errors).toEqual([]);
    expect(doc.source.uri).toBe('s3://incoming/scans/2023-12-02 p1.pdf');
    expect(doc.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.pages).toHaveLength(1);

    // A known headline of that page comes out with CER ≤ 10 %.
    const gt = JSON.parse(readFileSync(SAMPLE_GT, 'utf8')) as { articles: GtArticle[] };
    const known = gt.articles.map((a) => a.headline).filter((h): h is string => !!h);
    const best = Math.min(...known.flatMap((h) => doc.articles.map((a) => cer(h, a.headline ?? ''))));
    expect(best).toBeLessThanOrEqual(0.1);
    expect(doc.articles.length).toBeGreaterThanOrEqual(4);

    // No space between two CJK characters anywhere in the output.
    const offending = allStrings(doc).filter((s) => CJK_PAIR_WITH_SPACE.test(s));
    expect(offending).toEqual([]);

    // One file per article, each valid, document.json beside them.
    const keys = await listKeys('processed', `run1/${good!.documentId}/`);
    expect(keys).toContain(`run1/${good!.documentId}/document.json`);
    const articleKeys = keys.filter((k) => k.includes('/articles/'));
    expect(articleKeys).toHaveLength(doc.articles.length);
    const article = await getJson<unknown>('processed', articleKeys[0]!);
    expect(validateArticle(article).errors).toEqual([]);

    // Each bad input: only error.json, with a clear reason naming what is wrong.
    for (const bad of badInputs(new Uint8Array(readFileSync(SAMPLE)))) {
      const outcome = report.documents.find((d) => d.uri.endsWith(`/bad/${bad.name}`));
      expect(outcome, bad.name).toBeDefined();
      expect(outcome!.ok, bad.name).toBe(false);
      const files = await listKeys('processed', `run1/${outcome!.documentId}/`);
      expect(files, bad.name).toEqual([`run1/${outcome!.documentId}/error.json`]);
      const error = await getJson<ErrorJson>('processed', files[0]!);
      expect(validateError(error).errors, bad.name).toEqual([]);
      expect(error.reason, bad.name).toMatch(bad.reason);
      expect(error.reason, bad.name).not.toMatch(/\n\s+at /);
    }
  }, 240_000);
});
