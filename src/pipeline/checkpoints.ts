/**
 * Page checkpoints: each finished page's PageResult (plain JSON) is saved in the output store as it
 * finishes, so a run that was killed picks up where it stopped instead of recognising pages again.
 *
 *   _checkpoints/<documentId>/<sha256 of the input>/page-<n>.json
 *
 * A checkpoint is used only for the same input bytes (the sha256 is in the key) and the same pipeline
 * fingerprint (revision, engine, model and output-changing parameters: ./fingerprint.ts). They are
 * removed once the document is published; those of inputs that changed are swept by the run.
 */
import { errorMessage, throwIfRunMustStop } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PipelineJson } from '../output/types.js';
import type { Storage } from '../storage/types.js';
import type { PageResult } from './page-job.js';

export const CHECKPOINTS_PREFIX = '_checkpoints/';
const FORMAT = 'newsprint.checkpoint/1';

export const checkpointPrefix = (documentId: string, sha256?: string): string =>
  `${CHECKPOINTS_PREFIX}${documentId}/${sha256 === undefined ? '' : `${sha256}/`}`;
export const checkpointKey = (documentId: string, sha256: string, pageNumber: number): string =>
  `${checkpointPrefix(documentId, sha256)}page-${pageNumber}.json`;

interface CheckpointJson {
  format: typeof FORMAT;
  /** The pipeline fingerprint that made the page. */
  pipeline: string;
  documentId: string;
  sha256: string;
  pageNumber: number;
  result: PageResult;
}

/** Where a run keeps the pages it finished. */
export interface PageCheckpoints {
  /** Saved pages of this input (by page number); unreadable or foreign checkpoints are ignored. */
  load(documentId: string, sha256: string, pageCount: number): Promise<Map<number, PageResult>>;
  /** Saves one finished page. Failing to save is logged, not thrown (the page is just not resumable). */
  save(documentId: string, sha256: string, result: PageResult): Promise<void>;
  /** One saved page, or null (none, unreadable, or another pipeline's or input's). */
  loadPage(documentId: string, sha256: string, pageNumber: number): Promise<PageResult | null>;
  /**
   * Saves one finished page and throws when it could not: for a queue worker, whose checkpoint is
   * the page's only result (src/page-queue/worker.ts).
   */
  write(documentId: string, sha256: string, result: PageResult): Promise<void>;
}

export function createCheckpoints(storage: Storage, pipeline: PipelineJson, logger: Logger): PageCheckpoints {
  const fingerprint = pipeline.fingerprint;
  return {
    async load(documentId, sha256, pageCount) {
      const found = new Map<number, PageResult>();
      let keys: string[];
      try {
        keys = await listAllKeys(storage, checkpointPrefix(documentId, sha256));
      } catch (err) {
        throwIfRunMustStop(err);
        logger.warn('could not list checkpoints; recognising every page', { documentId, error: errorMessage(err) });
        return found;
      }
      for (const key of keys) {
        const page = /\/page-(\d+)\.json$/u.exec(key)?.[1];
        const pageNumber = page === undefined ? NaN : Number(page);
        if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > pageCount) continue;
        const result = await readPage(documentId, sha256, pageNumber);
        if (result) found.set(pageNumber, result);
      }
      return found;
    },

    loadPage: readPage,

    async save(documentId, sha256, result) {
      let body: string;
      try {
        body = serialise(documentId, sha256, result);
      } catch (err) {
        logger.debug('page not checkpointed: not plain JSON', { documentId, page: result.pageNumber, error: errorMessage(err) });
        return;
      }
      try {
        await storage.put(checkpointKey(documentId, sha256, result.pageNumber), body, { contentType: 'application/json' });
      } catch (err) {
        throwIfRunMustStop(err);
        logger.warn('could not save a page checkpoint', { documentId, page: result.pageNumber, error: errorMessage(err) });
      }
    },

    write,
  };

  async function readPage(documentId: string, sha256: string, pageNumber: number): Promise<PageResult | null> {
    const key = checkpointKey(documentId, sha256, pageNumber);
    try {
      const bytes = await storage.get(key);
      if (bytes === null) return null;
      const json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<CheckpointJson>;
      if (
        json.format !== FORMAT ||
        json.pipeline !== fingerprint ||
        json.documentId !== documentId ||
        json.sha256 !== sha256 ||
        json.pageNumber !== pageNumber ||
        json.result?.pageNumber !== pageNumber
      ) {
        logger.debug('ignoring a checkpoint of another pipeline or input', { documentId, key });
        return null;
      }
      return json.result;
    } catch (err) {
      throwIfRunMustStop(err);
      logger.warn('ignoring an unreadable checkpoint', { documentId, key, error: errorMessage(err) });
      return null;
    }
  }

  function serialise(documentId: string, sha256: string, result: PageResult): string {
    const json: CheckpointJson = { format: FORMAT, pipeline: fingerprint, documentId, sha256, pageNumber: result.pageNumber, result };
    // A non-finite number would come back as null and differ from a page never interrupted.
    return JSON.stringify(json, (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`non-finite number ${value}`);
      return value;
    });
  }

  async function write(documentId: string, sha256: string, result: PageResult): Promise<void> {
    await storage.put(checkpointKey(documentId, sha256, result.pageNumber), serialise(documentId, sha256, result), { contentType: 'application/json' });
  }
}

/** Removes every checkpoint of `documentId` (all input versions). */
export async function clearCheckpoints(storage: Storage, documentId: string): Promise<number> {
  const keys = await listAllKeys(storage, checkpointPrefix(documentId));
  for (const key of keys) await storage.delete(key);
  return keys.length;
}

/** Every key under `prefix`, following the cursor. */
export async function listAllKeys(storage: Storage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await storage.list(prefix, cursor === undefined ? {} : { cursor });
    for (const item of page.items) keys.push(item.key);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return keys;
}
