/**
 * `newsprint schedule` as a child process (fake recogniser) on a seconds-level cron: runs follow
 * each other without overlapping, a scan dropped meanwhile is picked up by a later run, and SIGTERM
 * during a run stops it gracefully (report written, exit 0).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { startSchedule } from '../../src/cli/schedule.js';
import { listObjects, putObject, runReports, startCli, useTestCredentials, waitFor } from '../support/run-helpers.js';
import { makeTestS3Client, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { scanPdf, scanSet } from '../support/scans.js';

let server: TestS3Server;
let client: S3Client;

beforeAll(async () => {
  useTestCredentials();
  server = await startS3Server(['incoming', 'processed']);
  client = makeTestS3Client(server.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

describe('newsprint schedule', () => {
  it('refuses a pattern or time zone it cannot read', () => {
    const run = { input: 's3://incoming/x/', output: 's3://processed/x/' };
    expect(() => startSchedule({ cron: 'every night', run, logger: silentLogger })).toThrow(ConfigError);
    expect(() => startSchedule({ cron: '0 2 * * *', timezone: 'Mars/Olympus', run, logger: silentLogger })).toThrow(ConfigError);
    const ok = startSchedule({ cron: '0 2 * * *', timezone: 'Asia/Shanghai', run, logger: silentLogger });
    // 02:00 in Shanghai is 18:00 UTC.
    expect(ok.nextRun()?.toISOString()).toMatch(/T18:00:00\.000Z$/);
    ok.stop();
  });

  it('starts runs on the schedule without overlap, picks up new scans, and stops gracefully on SIGTERM', async () => {
    for (const s of scanSet(3, { prefix: 'sched/', maxPages: 3, seed: 9 })) await putObject(client, 'incoming', s.key, s.bytes);
    const child = startCli(
      ['schedule', '--cron', '*/2 * * * * *', '--tz', 'Asia/Shanghai', '--input', 's3://incoming/sched/', '--output', 's3://processed/sched/', '--s3-endpoint', server.endpoint, '--workers', '2'],
      { NEWSPRINT_TEST_RECOGNIZER_DELAY_MS: '120' },
    );
    // The first run does the three scans; a later one has nothing to do.
    await waitFor('two runs', async () => (await runReports(client, 'processed', 'sched/')).length >= 2, 60_000, 200);
    const early = await runReports(client, 'processed', 'sched/');
    expect(early[0]!.counts.done).toBe(3);
    expect(early[1]!.counts).toMatchObject({ upToDate: 3, processed: 0 });

    // A scan dropped meanwhile is taken by the next run; stop the scheduler while it is being done.
    await putObject(client, 'incoming', 'sched/late.pdf', scanPdf(99, 6));
    await waitFor('the late scan in progress', async () => (await listObjects(client, 'processed', 'sched/_checkpoints/late/')).size >= 1, 60_000, 50);
    child.process.kill('SIGTERM');
    const result = await child.result;
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stderr).toMatch(/"msg":"scheduler started".*"tz":"Asia\/Shanghai"/);
    expect(result.stderr).toMatch(/"msg":"scheduler stopped"/);

    const reports = await runReports(client, 'processed', 'sched/');
    const last = reports[reports.length - 1]!;
    expect(last.status).toBe('interrupted');
    expect(last.documents).toEqual([expect.objectContaining({ documentId: 'late', status: 'interrupted' })]);
    expect(result.stdout).toMatch(/: interrupted in /);
    // Runs never overlapped.
    const byStart = [...reports].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (let i = 1; i < byStart.length; i++) expect(byStart[i]!.startedAt >= byStart[i - 1]!.finishedAt, `run ${i}`).toBe(true);
    // Every run released its lease.
    expect(result.stderr.match(/"msg":"lease released"/g)?.length).toBe(reports.length);
  }, 120_000);
});
