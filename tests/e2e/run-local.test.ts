/** The nightly run between local folders works as on S3 (in process, fake recogniser). */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { ConfigError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import type { DocumentJson } from '../../src/output/types.js';
import type { RunReport } from '../../src/pipeline/run-report.js';
import { runNightly, type RunOptions } from '../../src/pipeline/run.js';
import { FakeRecognizer } from '../support/fake-recognizer.js';
import { scanPdf } from '../support/scans.js';

let dir: string;
let input: string;
let output: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'newsprint-run-local-'));
  input = path.join(dir, 'incoming');
  output = path.join(dir, 'processed');
  await mkdir(path.join(input, 'sub'), { recursive: true });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function run(fake: FakeRecognizer, extra: Partial<RunOptions> = {}): Promise<RunReport> {
  return runNightly({
    input,
    output,
    workers: 2,
    leaseSettleMs: 20,
    logger: silentLogger,
    progress: createProgress({ isTTY: false, logger: silentLogger }),
    recognizer: fake,
    ...extra,
  });
}

async function filesBelow(root: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else out.set(path.relative(root, full), Number((await stat(full, { bigint: true })).mtimeNs));
    }
  };
  await walk(root);
  return out;
}

describe('newsprint run between local folders', () => {
  it('processes new files, skips done ones, notices copies with the same bytes, reprocesses changed ones', async () => {
    await writeFile(path.join(input, 'a.pdf'), scanPdf(31, 2));
    await writeFile(path.join(input, 'sub', 'b.pdf'), scanPdf(32, 1));
    await writeFile(path.join(input, '.hidden.pdf'), 'ignored');

    const first = await run(new FakeRecognizer());
    expect(first.counts).toMatchObject({ listed: 2, done: 2, pagesProcessed: 3 });
    const doc = JSON.parse(await readFile(path.join(output, 'sub__b', 'document.json'), 'utf8')) as DocumentJson;
    expect(doc.source.uri).toBe(`file://${path.join(input, 'sub', 'b.pdf')}`);
    expect(doc.source.etag).toBeUndefined(); // a folder's etag is not an S3 ETag: kept in the state only

    const before = await filesBelow(output);
    const fake = new FakeRecognizer();
    const second = await run(fake);
    expect(second.counts).toMatchObject({ upToDate: 2, processed: 0 });
    expect(fake.calls).toBe(0);
    const after = await filesBelow(output);
    const changed = [...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k);
    expect(changed.filter((k) => !k.startsWith('_lease/'))).toEqual([path.join('_runs', `${second.runId}.json`)]);

    // The same bytes written again (new inode and mtime): read and hashed, not processed again.
    await copyFile(path.join(input, 'a.pdf'), path.join(input, 'a.tmp'));
    await rm(path.join(input, 'a.pdf'));
    await copyFile(path.join(input, 'a.tmp'), path.join(input, 'a.pdf'));
    await rm(path.join(input, 'a.tmp'));
    const third = await run(fake);
    expect(third.documents).toEqual([expect.objectContaining({ documentId: 'a', action: 'verify', status: 'unchanged' })]);
    expect(fake.calls).toBe(0);
    expect((await run(fake)).documents).toEqual([]);

    // New bytes under the same name: processed again.
    await writeFile(path.join(input, 'a.pdf'), scanPdf(33, 1));
    const fourth = await run(fake);
    expect(fourth.documents).toEqual([expect.objectContaining({ documentId: 'a', action: 'changed', status: 'done', pages: 1 })]);
    // Input files are never modified.
    expect((await readdir(input)).sort()).toEqual(['.hidden.pdf', 'a.pdf', 'sub']);
  });

  it('refuses the same folder as input and output, and leaves out an output nested in the input', async () => {
    await expect(runNightly({ input, output: input, recognizer: new FakeRecognizer() })).rejects.toBeInstanceOf(ConfigError);
    const nestedOut = path.join(input, 'out');
    const report = await run(new FakeRecognizer(), { output: nestedOut });
    expect(report.counts.listed).toBe(2);
    const again = await run(new FakeRecognizer(), { output: nestedOut });
    expect(again.counts).toMatchObject({ listed: 2, upToDate: 2 });
  });
});
