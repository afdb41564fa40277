/**
 * What the nightly run does with each input, decided before any page is processed: list the input
 * location (paginated), then for each input read its state object and, where needed, its published
 * document.json. See ./run.ts for the whole pass and ./state.ts for the state alone.
 */
import path from 'node:path';
import PQueue from 'p-queue';
import { addTask } from '../queue.js';
import { classifyError, ConfigError, CriticalError, errorMessage, throwIfRunMustStop, type NewsprintError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DocumentJson } from '../output/types.js';
import { documentKey, readDocumentOutput } from '../stages/publish/index.js';
import { compareKeys } from '../storage/keys.js';
import type { Location } from '../storage/location.js';
import type { Storage } from '../storage/types.js';
import { documentIdForName } from './inputs.js';
import type { DocumentAction } from './run-report.js';
import { decide, readState, type DocumentState, type StateDecision } from './state.js';

/** Something listed under the input location. */
export interface Listed {
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  /** Why the key cannot be read (not a safe key). */
  readonly unsafe?: string;
}

export interface PlanItem {
  readonly listed: Listed;
  readonly documentId: string;
  readonly uri: string;
  readonly state: DocumentState | null;
  readonly decision: StateDecision;
  /** Another input of the run already has this document id. */
  readonly duplicateOf?: string;
  /** document.json already published for these bytes (maybe: `verify` means compare sha256 first). */
  readonly published?: { readonly doc: DocumentJson; readonly verify: boolean };
  /** The state could not be read (the store kept failing): nothing is done with it this run. */
  readonly planError?: NewsprintError;
}

/**
 * Keys under the input that belong to the output (the output lies inside the input), relative to
 * the input root; null when they do not overlap. The same location for both is refused.
 */
export function excludedPrefix(input: Location, output: Location): string | null {
  let inner: string | null = null;
  if (input.kind === 's3' && output.kind === 's3' && input.bucket === output.bucket && output.prefix.startsWith(input.prefix)) {
    inner = output.prefix.slice(input.prefix.length);
  } else if (input.kind === 'fs' && output.kind === 'fs') {
    const rel = path.relative(input.root, output.root);
    if (rel === '') inner = '';
    else if (!rel.startsWith('..') && !path.isAbsolute(rel)) inner = `${rel.split(path.sep).join('/')}/`;
  }
  if (inner === '') throw new ConfigError('--input and --output must be different locations');
  return inner;
}

/** The input store with every write refused: inputs are never modified or deleted. */
export function readOnly(storage: Storage): Storage {
  const refuse = (): Promise<never> => Promise.reject(new CriticalError(`refusing to write to the input location ${storage.location}`, { stage: 'storage' }));
  return {
    location: storage.location,
    get: (key) => storage.get(key),
    head: (key) => storage.head(key),
    list: (prefix, opts) => storage.list(prefix, opts),
    put: refuse,
    putIfAbsent: refuse,
    delete: refuse,
    dispose: () => storage.dispose(),
  };
}

/** Every object under the input, in key order; hidden names (a segment starting with '.') and the output's own keys are left out. */
export async function listInputs(input: Storage, excluded: string | null, logger: Logger, limit?: number): Promise<Listed[]> {
  const found: Listed[] = [];
  const keep = (key: string): boolean => {
    if (excluded !== null && key.startsWith(excluded)) return false;
    return !key.split('/').some((segment) => segment.startsWith('.') && segment !== '.' && segment !== '..');
  };
  let cursor: string | undefined;
  do {
    const page = await input.list('', { ...(cursor !== undefined ? { cursor } : {}), ...(limit !== undefined ? { limit } : {}) });
    for (const item of page.items) {
      if (keep(item.key)) found.push({ key: item.key, size: item.size, ...(item.etag !== undefined ? { etag: item.etag } : {}) });
    }
    for (const bad of page.rejected ?? []) {
      if (!keep(bad.key)) continue;
      logger.warn('input key cannot be read safely', { key: bad.key, reason: bad.reason });
      found.push({ key: bad.key, size: bad.size ?? 0, ...(bad.etag !== undefined ? { etag: bad.etag } : {}), unsafe: bad.reason });
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return found.sort((a, b) => compareKeys(a.key, b.key));
}

export function uriOf(input: Storage, key: string): string {
  const base = input.location.endsWith('/') ? input.location : `${input.location}/`;
  return base + key;
}

export interface PlanOptions {
  /** This run's pipeline fingerprint: states and outputs of another one are redone. */
  readonly fingerprint: string;
  readonly maxAttempts: number;
  readonly retry: ReadonlySet<string>;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

export async function planAll(listed: readonly Listed[], input: Storage, output: Storage, options: PlanOptions): Promise<PlanItem[]> {
  const owners = new Map<string, string>();
  const queue = new PQueue({ concurrency: 16 });
  const planned = await Promise.all(
    listed.map((item) => {
      const documentId = documentIdForName(item.key);
      const other = owners.get(documentId);
      if (other === undefined) owners.set(documentId, item.key);
      return addTask(queue, async (): Promise<PlanItem> => {
        options.signal.throwIfAborted();
        const uri = uriOf(input, item.key);
        try {
          return await planOne(item, documentId, uri, other, output, options);
        } catch (err) {
          throwIfRunMustStop(err);
          // The store kept failing for this one: leave it for the next run.
          const planError = classifyError(err, 'storage');
          options.logger.warn('could not plan an input; leaving it for the next run', { documentId, error: planError });
          return { listed: item, documentId, uri, state: null, decision: { kind: 'process', reason: 'new', previousAttempts: 0 }, planError };
        }
      });
    }),
  );
  return planned;
}

async function planOne(listed: Listed, documentId: string, uri: string, duplicateOf: string | undefined, output: Storage, options: PlanOptions): Promise<PlanItem> {
  const base = { listed, documentId, uri };
  if (duplicateOf !== undefined) {
    return { ...base, state: null, decision: { kind: 'process', reason: 'new', previousAttempts: 0 }, duplicateOf };
  }
  const state = await readState(output, documentId, options.logger);
  let decision = decide(listed, state, { fingerprint: options.fingerprint, maxAttempts: options.maxAttempts, forceRetry: options.retry.has(documentId) });
  if (listed.unsafe !== undefined) return { ...base, state, decision };
  // Done before: make sure its output is still there.
  const upToDate = decision.kind === 'up-to-date' || (decision.kind === 'verify' && decision.same.kind === 'up-to-date');
  if (upToDate && (await output.head(documentKey(documentId))) === null) {
    options.logger.warn('document.json is missing; processing the input again', { documentId });
    decision = { kind: 'process', reason: 'output-missing', previousAttempts: 0 };
  }
  if (decision.kind === 'process' || (decision.kind === 'verify' && decision.same.kind !== 'up-to-date')) {
    const published = await publishedFor(output, documentId, listed, options.fingerprint, options.logger);
    if (published) return { ...base, state, decision, published };
  }
  return { ...base, state, decision };
}

/** document.json of these bytes by this pipeline (fingerprint), when an earlier run published it. */
async function publishedFor(output: Storage, documentId: string, listed: Listed, fingerprint: string, logger: Logger): Promise<PlanItem['published']> {
  let doc: DocumentJson | null;
  try {
    doc = await readDocumentOutput(output, documentId);
  } catch (err) {
    throwIfRunMustStop(err);
    logger.warn('ignoring an unreadable document.json', { documentId, error: errorMessage(err) });
    return undefined;
  }
  if (doc === null || doc.pipeline?.fingerprint !== fingerprint || doc.source?.bytes !== listed.size) return undefined;
  const sameEtag = listed.etag !== undefined && doc.source.etag === listed.etag;
  if (!sameEtag && typeof doc.source.sha256 !== 'string') return undefined;
  return { doc, verify: !sameEtag };
}

export function needsWork(item: PlanItem): boolean {
  if (item.duplicateOf !== undefined || item.listed.unsafe !== undefined) return true;
  return item.decision.kind === 'process' || item.decision.kind === 'verify';
}

export function actionOf(item: PlanItem): DocumentAction {
  if (item.duplicateOf !== undefined) return 'duplicate-id';
  if (item.listed.unsafe !== undefined) return 'bad-key';
  if (item.decision.kind === 'process') return item.decision.reason;
  return 'verify';
}

export function logPlan(plan: readonly PlanItem[], logger: Logger): void {
  const counts: Record<string, number> = {};
  for (const item of plan) {
    const key = needsWork(item) ? actionOf(item) : item.decision.kind;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  logger.info('plan', counts);
}
