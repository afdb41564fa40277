/** Helpers of the nightly-run tests: objects in a bucket, snapshots of an output, the CLI as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createProgress } from '../../src/cli/progress.js';
import { silentLogger } from '../../src/logger.js';
import { runNightly, type RunOptions } from '../../src/pipeline/run.js';
import type { RunReport } from '../../src/pipeline/run-report.js';
import { FakeRecognizer } from './fake-recognizer.js';
import { TEST_CREDENTIALS } from './s3-server.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));

/** A nightly run as the tests make it: 2 workers, a quick lease, silent, the fake recogniser unless one is given. */
export function testRun(options: RunOptions): Promise<RunReport> {
  return runNightly({
    workers: 2,
    leaseSettleMs: 50,
    logger: silentLogger,
    progress: createProgress({ isTTY: false, logger: silentLogger }),
    recognizer: new FakeRecognizer(),
    ...options,
  });
}

/** Environment for code under test that opens its own S3 clients (dummy credentials for s3rver). */
export function useTestCredentials(): void {
  process.env['AWS_ACCESS_KEY_ID'] = TEST_CREDENTIALS.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = TEST_CREDENTIALS.secretAccessKey;
  process.env['AWS_REGION'] = 'us-east-1';
}

export async function putObject(client: S3Client, bucket: string, key: string, body: Uint8Array | string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function deleteObject(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

export async function getText(client: S3Client, bucket: string, key: string): Promise<string | null> {
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await res.Body?.transformToString('utf-8')) ?? '';
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return null;
    throw err;
  }
}

export async function getJson<T>(client: S3Client, bucket: string, key: string): Promise<T> {
  const text = await getText(client, bucket, key);
  if (text === null) throw new Error(`no object s3://${bucket}/${key}`);
  return JSON.parse(text) as T;
}

/** Every key under `prefix` with its ETag (paginated). */
export async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of res.Contents ?? []) if (o.Key) out.set(o.Key, o.ETag ?? '');
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** Keys under `prefix` (relative to it) with the sha256 of their bodies. */
export async function snapshot(client: S3Client, bucket: string, prefix: string, keep: (key: string) => boolean = () => true): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of [...(await listObjects(client, bucket, prefix)).keys()].sort()) {
    const rel = key.slice(prefix.length);
    if (!keep(rel)) continue;
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    out.set(rel, createHash('sha256').update(await res.Body!.transformToByteArray()).digest('hex'));
  }
  return out;
}

/** The published contract only: document.json, articles, error.json (without its time stamp). */
export async function contractSnapshot(client: S3Client, bucket: string, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of [...(await listObjects(client, bucket, prefix)).keys()].sort()) {
    const rel = key.slice(prefix.length);
    if (rel.startsWith('_')) continue;
    let text = (await getText(client, bucket, key)) ?? '';
    if (rel.endsWith('/error.json')) text = text.replace(/"failedAt": "[^"]*"/, '"failedAt": "…"');
    out.set(rel, createHash('sha256').update(text).digest('hex'));
  }
  return out;
}

export async function runReports(client: S3Client, bucket: string, outputPrefix: string): Promise<RunReport[]> {
  const keys = [...(await listObjects(client, bucket, `${outputPrefix}_runs/`)).keys()].sort();
  return Promise.all(keys.map((k) => getJson<RunReport>(client, bucket, k)));
}

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Child {
  readonly process: ChildProcess;
  readonly result: Promise<ChildResult>;
  /** stderr so far (JSON log lines). */
  stderr(): string;
}

/** The CLI (tests/support/cli-entry.ts) as a child process, with the fake recogniser unless told otherwise. */
export function startCli(args: readonly string[], env: Record<string, string> = {}, options: { realCli?: boolean } = {}): Child {
  const entry = options.realCli ? fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url)) : CLI_ENTRY;
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      NEWSPRINT_LOG_LEVEL: 'info',
      ...(options.realCli ? {} : { NEWSPRINT_TEST_RECOGNIZER: 'fake' }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const result = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { process: child, result, stderr: () => stderr };
}

/** Polls `check` every `intervalMs` until it returns true; throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
