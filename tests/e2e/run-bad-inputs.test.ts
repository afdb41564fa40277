/**
 * Every kind of bad input in one bucket with good scans: corrupt, truncated, encrypted, zero-page and
 * zero-byte PDFs, a .txt and a .docx, PNG and TIFF headers claiming 100000x100000 pixels, keys with
 * spaces and Chinese, and a key with a '..' segment. s3rver cannot store such a key (it normalises
 * the path), so a proxy adds it to the listing the client receives: the driver and the run see it
 * as they would on AWS S3.
 */
import { readFileSync } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentJson, ErrorJson } from '../../src/output/types.js';
import { validateDocument, validateError } from '../../src/output/validate.js';
import { badInputs } from '../support/bad-inputs.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { getJson, listObjects, putObject, testRun, useTestCredentials } from '../support/run-helpers.js';
import { makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { scanPdf } from '../support/scans.js';

const SAMPLE = new Uint8Array(readFileSync(new URL('../../samples/daily-2023-12-02-p1.pdf', import.meta.url)));
const DOTDOT_KEY = 'scans/bad/../../escape.pdf';

let server: TestS3Server;
let proxy: FaultProxy;
let client: S3Client;

beforeAll(async () => {
  useTestCredentials();
  server = await startS3Server(['incoming', 'processed']);
  client = makeTestS3Client(server.endpoint);
  proxy = await startFaultProxy({
    target: server.endpoint,
    rewriteList: (xml) =>
      xml.includes('<Prefix>scans/</Prefix>')
        ? xml.replace(
            '</ListBucketResult>',
            `<Contents><Key>${DOTDOT_KEY}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"0123456789abcdef0123456789abcdef"</ETag><Size>1234</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>`,
          )
        : xml,
  });
});

afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await server?.stop();
});

describe('newsprint run with every kind of bad input', () => {
  it('publishes the good scans, reports each bad input with its reason, and harms nothing else', async () => {
    const good = [
      { key: 'scans/2023-12-02 p1.pdf', bytes: scanPdf(41, 2) },
      { key: 'scans/人民日报/第一版.pdf', bytes: scanPdf(42, 1) },
      { key: 'scans/plain.pdf', bytes: scanPdf(43, 1) },
    ];
    const bad = badInputs(SAMPLE);
    for (const g of good) await putObject(client, 'incoming', g.key, g.bytes);
    for (const b of bad) await putObject(client, 'incoming', `scans/bad/${b.name}`, b.bytes);

    const report = await testRun({ input: 's3://incoming/scans/', output: 's3://processed/out/', s3Endpoint: proxy.endpoint });
    expect(report.status).toBe('completed');
    expect(report.counts).toMatchObject({ listed: good.length + bad.length + 1, done: good.length, failed: bad.length + 1, badKeys: 1 });

    for (const g of good) {
      const entry = report.documents.find((d) => `scans/${d.key}` === g.key);
      expect(entry, g.key).toMatchObject({ status: 'done' });
      const doc = await getJson<DocumentJson>(client, 'processed', `out/${entry!.documentId}/document.json`);
      expect(validateDocument(doc).errors).toEqual([]);
      expect(doc.source.uri).toBe(`s3://incoming/${g.key}`);
    }
    // Spaces become '-', an all-Chinese name becomes its hash; both carry the hash of the key.
    expect(report.documents.find((d) => d.key === '2023-12-02 p1.pdf')?.documentId).toMatch(/^2023-12-02-p1-[0-9a-f]{8}$/);
    expect(report.documents.find((d) => d.key === '人民日报/第一版.pdf')?.documentId).toMatch(/^[0-9a-f]{8}$/);

    for (const b of bad) {
      const failure = report.failures.find((f) => f.uri === `s3://incoming/scans/bad/${b.name}`);
      expect(failure, b.name).toBeDefined();
      expect(failure!.reason, b.name).toMatch(b.reason);
      expect(failure!.transient, b.name).toBe(false);
      const files = [...(await listObjects(client, 'processed', `out/${failure!.documentId}/`)).keys()];
      expect(files, b.name).toEqual([`out/${failure!.documentId}/error.json`]);
      const error = await getJson<ErrorJson>(client, 'processed', files[0]!);
      expect(validateError(error).errors, b.name).toEqual([]);
      expect(error.reason, b.name).toMatch(b.reason);
      expect(error.reason, b.name).not.toMatch(/\n\s+at /);
    }

    const dotdot = report.failures.find((f) => f.uri === `s3://incoming/${DOTDOT_KEY}`);
    expect(dotdot).toMatchObject({ stage: 'open', transient: false });
    expect(dotdot!.reason).toMatch(/cannot be read safely .*"\." or "\.\." segments/);
    expect(dotdot!.documentId).toMatch(/^bad__escape-[0-9a-f]{8}$/);
    expect(validateError(await getJson<ErrorJson>(client, 'processed', `out/${dotdot!.documentId}/error.json`)).errors).toEqual([]);

    // Nothing written outside the output prefix, nothing to the input.
    const written = [...(await listObjects(client, 'processed', '')).keys()];
    expect(written.every((k) => k.startsWith('out/'))).toBe(true);
    expect([...(await listObjects(client, 'incoming', '')).keys()]).toHaveLength(good.length + bad.length);
    // Each input appears once in the report.
    const ids = report.documents.map((d) => d.documentId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
