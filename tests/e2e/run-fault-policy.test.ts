/**
 * The fault policy over several nightly runs (in process, local folders): an engine that always
 * crashes on a document uses up its --max-attempts and the document is given up; an input fault is
 * given up at once; a bug is counted and logged with its stack; error.json and _state agree.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/logger.js';
import type { ErrorJson } from '../../src/output/types.js';
import type { DocumentState } from '../../src/pipeline/state.js';
import type { Recognizer } from '../../src/ocr/types.js';
import { FakeRecognizer } from '../support/fake-recognizer.js';
import { scanPdf } from '../support/scans.js';
import { testRun } from '../support/run-helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'newsprint-fault-policy-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function folders(name: string): Promise<{ input: string; output: string }> {
  const input = path.join(dir, name, 'in');
  const output = path.join(dir, name, 'out');
  await mkdir(input, { recursive: true });
  return { input, output };
}

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;

describe('fault policy across nightly runs', () => {
  it('gives up a document that always crashes the engine after --max-attempts, counting each crash once', async () => {
    const { input, output } = await folders('crash');
    await writeFile(path.join(input, 'crashes.pdf'), scanPdf(41, 1));
    await writeFile(path.join(input, 'fine.pdf'), scanPdf(42, 1));
    const crashing = (): Recognizer => new FakeRecognizer({ crash: (pageKey) => pageKey.startsWith('crashes#') });
    for (const attempt of [1, 2, 3]) {
      const report = await testRun({ input, output, maxAttempts: 3, recognizer: crashing() });
      const failure = report.failures.find((f) => f.documentId === 'crashes');
      expect(failure).toMatchObject({ fault: 'engine', attempts: attempt, transient: false, givenUp: attempt === 3 });
      expect(failure?.reason).toMatch(/^OCR failed: /);
      const errorJson = await readJson<ErrorJson>(path.join(output, 'crashes', 'error.json'));
      const state = await readJson<DocumentState>(path.join(output, '_state', 'crashes.json'));
      expect(errorJson.attempts).toBe(attempt);
      expect(state.attempts).toBe(attempt);
      expect(errorJson.fault).toBe('engine');
      expect(state.lastError?.fault).toBe('engine');
    }
    const fourth = crashing() as FakeRecognizer;
    const report = await testRun({ input, output, maxAttempts: 3, recognizer: fourth });
    expect(report.documents.find((d) => d.documentId === 'crashes')).toBeUndefined();
    expect(report.givenUp.map((g) => g.documentId)).toContain('crashes');
    expect([...fourth.pageKeys].filter((k) => k.startsWith('crashes#'))).toEqual([]);
  });

  it('gives up an input fault at once, without a second try', async () => {
    const { input, output } = await folders('input');
    await writeFile(path.join(input, 'broken.pdf'), '%PDF-1.7\nnot really a pdf');
    const first = await testRun({ input, output, maxAttempts: 3 });
    expect(first.failures.find((f) => f.documentId === 'broken')).toMatchObject({ fault: 'input', attempts: 1, givenUp: true });
    const second = await testRun({ input, output, maxAttempts: 3 });
    expect(second.documents.find((d) => d.documentId === 'broken')).toBeUndefined();
    expect(second.givenUp.map((g) => g.documentId)).toContain('broken');
  });

  it('counts a programming error as a bug attempt and logs it with its stack', async () => {
    const { input, output } = await folders('bug');
    await writeFile(path.join(input, 'doc.pdf'), scanPdf(43, 1));
    const lines: string[] = [];
    const logger = createJsonLogger({ level: 'debug', write: (line: string) => lines.push(line) });
    const buggy: Recognizer = {
      engine: new FakeRecognizer().engine,
      recognize: async () => {
        const region = undefined as unknown as { lines: [] };
        return { lines: region.lines };
      },
      close: async () => undefined,
    };
    const report = await testRun({ input, output, maxAttempts: 3, recognizer: buggy, logger });
    expect(report.failures.find((f) => f.documentId === 'doc')).toMatchObject({ fault: 'bug', attempts: 1, givenUp: false });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'document failed');
    expect(logged?.['fault']).toBe('bug');
    expect(JSON.stringify(logged?.['error'])).toMatch(/TypeError[\s\S]*at /);
  });
});
