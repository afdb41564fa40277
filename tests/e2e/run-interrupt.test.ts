/**
 * The run as a child process (tests/support/cli-entry.ts, fake recogniser slowed down so that a run
 * lasts seconds) against s3rver: killed with SIGKILL twice and restarted, stopped with SIGTERM, and
 * started twice at the same moment. Each time the final outputs must equal those of an uninterrupted
 * run, no finished page may be recognised again, and no document may be processed twice.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentState } from '../../src/pipeline/state.js';
import type { LeaseHeartbeat } from '../../src/pipeline/lease.js';
import { FakeRecognizer } from '../support/fake-recognizer.js';
import {
  contractSnapshot,
  getJson,
  getText,
  listObjects,
  putObject,
  runReports,
  sleep,
  startCli,
  testRun,
  useTestCredentials,
  waitFor,
  type Child,
} from '../support/run-helpers.js';
import { makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { scanSet, type ScanSet } from '../support/scans.js';

let server: TestS3Server;
let client: S3Client;
let logs: string;
let scans: ScanSet[];
let reference: Map<string, string>;

const INPUT = 's3://incoming/scans/';
const ids = (): string[] => scans.map((s) => s.key.slice('scans/'.length, -'.pdf'.length));
const allPages = (): string[] => scans.flatMap((s) => Array.from({ length: s.pages }, (_, i) => `${s.key.slice('scans/'.length, -'.pdf'.length)}#${i + 1}`));

function cli(output: string, env: Record<string, string> = {}, extra: string[] = []): Child {
  return startCli(['run', '--input', INPUT, '--output', output, '--s3-endpoint', server.endpoint, '--workers', '2', ...extra], {
    NEWSPRINT_TEST_RECOGNIZER_DELAY_MS: '100',
    ...env,
  });
}

/** `documentId#page` of the checkpoints under an output prefix. */
async function checkpointedPages(prefix: string): Promise<Set<string>> {
  const keys = [...(await listObjects(client, 'processed', `${prefix}_checkpoints/`)).keys()];
  return new Set(keys.map((k) => k.replace(/^.*_checkpoints\/([^/]+)\/[0-9a-f]+\/page-(\d+)\.json$/, '$1#$2')));
}

/** Documents whose state says done (published and recorded). */
async function recordedDone(prefix: string): Promise<Set<string>> {
  const done = new Set<string>();
  for (const key of (await listObjects(client, 'processed', `${prefix}_state/`)).keys()) {
    const state = await getJson<DocumentState>(client, 'processed', key);
    if (state.status === 'done') done.add(state.documentId);
  }
  return done;
}

async function published(prefix: string): Promise<Set<string>> {
  const keys = [...(await listObjects(client, 'processed', prefix)).keys()];
  return new Set(keys.filter((k) => k.endsWith('/document.json')).map((k) => k.slice(prefix.length, -'/document.json'.length)));
}

async function recognised(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

beforeAll(async () => {
  useTestCredentials();
  server = await startS3Server(['incoming', 'processed']);
  client = makeTestS3Client(server.endpoint);
  logs = await mkdtemp(path.join(tmpdir(), 'newsprint-interrupt-'));
  scans = scanSet(6, { prefix: 'scans/', maxPages: 4, seed: 5 });
  for (const s of scans) await putObject(client, 'incoming', s.key, s.bytes);
  // The outputs of an uninterrupted run, to compare with.
  const ref = await testRun({ input: INPUT, output: 's3://processed/reference/', s3Endpoint: server.endpoint });
  expect(ref.counts.done).toBe(6);
  reference = await contractSnapshot(client, 'processed', 'reference/');
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await server?.stop();
  if (logs) await rm(logs, { recursive: true, force: true });
});

describe('newsprint run, interrupted', () => {
  it('survives two SIGKILLs: each restart redoes no finished page, and the outputs equal an uninterrupted run', async () => {
    const prefix = 'killed/';
    const output = `s3://processed/${prefix}`;
    const finishedBefore: Set<string>[] = [];
    for (let round = 1; round <= 2; round++) {
      const log = path.join(logs, `kill-${round}.log`);
      const before = await checkpointedPages(prefix);
      const child = cli(output, { NEWSPRINT_TEST_RECOGNIZER_LOG: log }, ['--lease-ttl', '6']);
      // Kill once a few more pages were checkpointed in this round.
      await waitFor(`round ${round}: pages checkpointed`, async () => [...(await checkpointedPages(prefix))].filter((p) => !before.has(p)).length >= 3, 60_000, 50);
      child.process.kill('SIGKILL');
      const result = await child.result;
      expect(result.signal).toBe('SIGKILL');
      // What was finished when it died: checkpointed pages, and the pages of published documents.
      const done = await checkpointedPages(prefix);
      for (const id of await published(prefix)) for (const p of allPages()) if (p.startsWith(`${id}#`)) done.add(p);
      finishedBefore.push(done);
      const redone = (await recognised(log)).filter((p) => (round === 1 ? new Set<string>() : finishedBefore[round - 2]!).has(p));
      expect(redone, `round ${round} recognised pages finished before`).toEqual([]);

      if (round === 1) {
        // The dead runner's lease is still live: a new run refuses to start, with a clear message.
        const refused = await cli(output).result;
        expect(refused.code).toBe(3);
        expect(refused.stderr).toMatch(/another run holds the lease on s3:\/\/processed\/killed\/: run \S+ by \S+, until /);
      }
      // Wait for the lease of the killed runner to expire.
      await waitFor('lease expiry', async () => {
        const hb = await getText(client, 'processed', `${prefix}_lease/${(await leaseGeneration(prefix)).padStart(10, '0')}.heartbeat.json`);
        const until = hb ? Date.parse((JSON.parse(hb) as LeaseHeartbeat).expiresAt) : 0;
        return Date.now() > until + 200;
      }, 15_000, 200);
    }

    const log = path.join(logs, 'kill-final.log');
    const recordedBefore = await recordedDone(prefix);
    const final = await cli(output, { NEWSPRINT_TEST_RECOGNIZER_LOG: log, NEWSPRINT_TEST_RECOGNIZER_DELAY_MS: '0' }).result;
    expect(final.code, final.stderr.slice(-2000)).toBe(0);
    expect(final.stdout).toMatch(/: completed in /);
    const finishedAtKill = finishedBefore[1]!;
    const recognisedNow = await recognised(log);
    expect(recognisedNow.filter((p) => finishedAtKill.has(p))).toEqual([]);
    // Every page was finished exactly once over the three runs, but for those in flight at a kill.
    expect(new Set([...finishedAtKill, ...recognisedNow])).toEqual(new Set(allPages()));

    const reports = await runReports(client, 'processed', prefix);
    expect(reports).toHaveLength(1); // killed runs never got to write one
    const report = reports[0]!;
    expect(report.status).toBe('completed');
    expect(report.counts.pagesResumed).toBeGreaterThan(0);
    // Each document published once: recorded by a killed run, or done (maybe recovered) now — not both.
    const doneNow = report.documents.filter((d) => d.status === 'done').map((d) => d.documentId);
    expect(doneNow.filter((id) => recordedBefore.has(id))).toEqual([]);
    expect(new Set([...recordedBefore, ...doneNow])).toEqual(new Set(ids()));
    expect(await contractSnapshot(client, 'processed', prefix)).toEqual(reference);
    expect([...(await listObjects(client, 'processed', `${prefix}_checkpoints/`)).keys()]).toEqual([]);
  }, 180_000);

  it('stops gracefully on SIGTERM: pages in flight are checkpointed, the report says interrupted, exit 0', async () => {
    const prefix = 'sigterm/';
    const output = `s3://processed/${prefix}`;
    const child = cli(output, { NEWSPRINT_TEST_RECOGNIZER_DELAY_MS: '150' });
    await waitFor('pages checkpointed', async () => (await checkpointedPages(prefix)).size >= 2, 60_000, 50);
    child.process.kill('SIGTERM');
    const result = await child.result;
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout).toMatch(/: interrupted in .*stopped by SIGTERM/);
    expect(result.stderr).toMatch(/stopping gracefully/);
    const [report] = await runReports(client, 'processed', prefix);
    expect(report?.status).toBe('interrupted');
    expect(report!.counts.interrupted).toBeGreaterThan(0);
    const kept = await checkpointedPages(prefix);
    // The lease was released: the next run starts at once and resumes the kept pages.
    const fake = new FakeRecognizer();
    const next = await testRun({ input: INPUT, output, s3Endpoint: server.endpoint, recognizer: fake });
    expect(next.status).toBe('completed');
    expect(next.counts.pagesResumed).toBe(kept.size);
    expect([...fake.pageKeys].filter((p) => kept.has(p))).toEqual([]);
    expect(await contractSnapshot(client, 'processed', prefix)).toEqual(reference);
  }, 120_000);

  it('two runs started together: one works, the other exits on the lease; no document is processed twice', async () => {
    const prefix = 'twins/';
    const output = `s3://processed/${prefix}`;
    const logA = path.join(logs, 'twin-a.log');
    const logB = path.join(logs, 'twin-b.log');
    const a = cli(output, { NEWSPRINT_TEST_RECOGNIZER_LOG: logA, NEWSPRINT_TEST_RECOGNIZER_DELAY_MS: '20' });
    const b = cli(output, { NEWSPRINT_TEST_RECOGNIZER_LOG: logB, NEWSPRINT_TEST_RECOGNIZER_DELAY_MS: '20' });
    const results = await Promise.all([a.result, b.result]);
    const codes = results.map((r) => r.code).sort();
    expect(codes, results.map((r) => r.stderr.slice(-1500)).join('\n---\n')).toEqual([0, 3]);
    const loser = results.find((r) => r.code === 3)!;
    expect(loser.stderr).toMatch(/another run (holds|took) the lease/);
    const pages = [...(await recognised(logA)), ...(await recognised(logB))];
    expect(pages.sort()).toEqual(allPages().sort());
    const reports = await runReports(client, 'processed', prefix);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.documents.map((d) => d.documentId).sort()).toEqual(ids().sort());
    expect(await contractSnapshot(client, 'processed', prefix)).toEqual(reference);
    await sleep(0);
  }, 120_000);
});

async function leaseGeneration(prefix: string): Promise<string> {
  const keys = [...(await listObjects(client, 'processed', `${prefix}_lease/`)).keys()];
  const gens = keys.map((k) => /(\d{10})\.json$/.exec(k)?.[1]).filter((g): g is string => g !== undefined);
  return String(Math.max(0, ...gens.map(Number)));
}
