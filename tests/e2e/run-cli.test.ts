/**
 * The product CLI (src/cli/main.ts, real tesseract pool, no test hooks) running `newsprint run` on
 * a small generated page, and its exit statuses: 0 for a completed run (also with a failed
 * document), 1 when the store cannot be reached, 2 on a usage error.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentJson } from '../../src/output/types.js';
import { startCli, useTestCredentials } from '../support/run-helpers.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';
import { scanPdf } from '../support/scans.js';

let dir: string;
let server: TestS3Server;

beforeAll(async () => {
  useTestCredentials();
  dir = await mkdtemp(path.join(tmpdir(), 'newsprint-run-cli-'));
  server = await startS3Server(['incoming']);
});

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('newsprint run (product CLI)', () => {
  it('runs the real pipeline between folders, exits 0 with a failed document, and has nothing to do the second time', async () => {
    const input = path.join(dir, 'in');
    const output = path.join(dir, 'out');
    await mkdir(input, { recursive: true });
    await writeFile(path.join(input, 'page.pdf'), scanPdf(61, 1));
    await writeFile(path.join(input, 'notes.txt'), 'not a scan\n');

    const first = await startCli(['run', '--input', input, '--output', output, '--workers', '1'], {}, { realCli: true }).result;
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    // A file that is no scan is an input fault: given up at once (the same bytes would fail the same way).
    expect(first.stdout).toMatch(/documents: 1 done, 1 failed, 0 up to date, 1 given up/);
    expect(first.stdout).toMatch(/notes-txt \(rasterise, input fault; attempt 1 of 3, given up\): not a PDF or a supported image/);
    // JSON log lines carry the run id, and page events the document and page.
    expect(first.stderr).toMatch(/"msg":"page done","runId":"\d{8}T\d{6}Z-[0-9a-f]{4}".*"documentId":"page","page":1/);
    const doc = JSON.parse(await readFile(path.join(output, 'page', 'document.json'), 'utf8')) as DocumentJson;
    expect(doc.pipeline.engine.name).toBe('tesseract.js');

    const second = await startCli(['run', '--input', input, '--output', output, '--workers', '1'], {}, { realCli: true }).result;
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/documents: 0 done, 0 failed, 1 up to date, 1 given up/);
    expect(second.stdout).toMatch(/pages: +0 processed/);
  }, 120_000);

  it('exits 1 when the output cannot be reached, and 2 on a usage error', async () => {
    const noBucket = await startCli(['run', '--input', 's3://incoming/x/', '--output', 's3://no-such-bucket/out/', '--s3-endpoint', server.endpoint], {}, { realCli: true }).result;
    expect(noBucket.code).toBe(1);
    expect(noBucket.stderr).toMatch(/newsprint run: .*NoSuchBucket/);
    const usage = await startCli(['run', '--input', 's3://incoming/x/'], {}, { realCli: true }).result;
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--output is required/);
    const help = await startCli(['schedule', '--help'], {}, { realCli: true }).result;
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--cron/);
  }, 60_000);
});
