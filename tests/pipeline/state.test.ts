/** What the run decides for an input from its listing and its state object alone. */
import { describe, expect, it } from 'vitest';
import { decide, type DocumentState } from '../../src/pipeline/state.js';

const SHA = 'a'.repeat(64);
const FINGERPRINT = 'f'.repeat(64);
const options = { fingerprint: FINGERPRINT, maxAttempts: 3 };

function state(overrides: Partial<DocumentState> = {}): DocumentState {
  return {
    format: 'newsprint.state/1',
    documentId: 'doc',
    key: 'doc.pdf',
    uri: 's3://in/doc.pdf',
    source: { bytes: 100, etag: 'e1', sha256: SHA },
    fingerprint: FINGERPRINT,
    pipelineVersion: '1.0.0',
    status: 'done',
    attempts: 0,
    updatedAt: '2024-01-01T00:00:00.000Z',
    runId: 'r1',
    ...overrides,
  };
}

describe('decide', () => {
  it('processes an input it has never seen', () => {
    expect(decide({ size: 100, etag: 'e1' }, null, options)).toEqual({ kind: 'process', reason: 'new', previousAttempts: 0 });
  });

  it('skips the same bytes done by the same pipeline version', () => {
    expect(decide({ size: 100, etag: 'e1' }, state(), options)).toEqual({ kind: 'up-to-date' });
  });

  it('processes again for a new pipeline version, with a fresh attempt count', () => {
    expect(decide({ size: 100, etag: 'e1' }, state({ fingerprint: 'e'.repeat(64), status: 'failed', attempts: 3 }), options)).toEqual({
      kind: 'process',
      reason: 'pipeline-changed',
      previousAttempts: 0,
    });
  });

  it('redoes what a newsprint without fingerprints recorded, whatever its package version', () => {
    const { fingerprint: _none, ...older } = state();
    expect(decide({ size: 100, etag: 'e1' }, older, options)).toEqual({ kind: 'process', reason: 'pipeline-changed', previousAttempts: 0 });
  });

  it('gives up an input fault at once, engine and bug faults after maxAttempts', () => {
    const listed = { size: 100, etag: 'e1' };
    const failed = (fault: 'input' | 'engine' | 'bug', attempts: number) => state({ status: 'failed', attempts, lastError: { stage: 'rasterise', reason: 'x', fault, at: '2024-01-01T00:00:00.000Z' } });
    expect(decide(listed, failed('input', 1), options)).toEqual({ kind: 'given-up', attempts: 1 });
    expect(decide(listed, failed('input', 1), { ...options, maxAttempts: 10 })).toEqual({ kind: 'given-up', attempts: 1 });
    expect(decide(listed, failed('engine', 1), options)).toEqual({ kind: 'process', reason: 'retry', previousAttempts: 1 });
    expect(decide(listed, failed('bug', 2), options)).toEqual({ kind: 'process', reason: 'retry', previousAttempts: 2 });
    expect(decide(listed, failed('engine', 3), options)).toEqual({ kind: 'given-up', attempts: 3 });
    expect(decide(listed, failed('input', 1), { ...options, forceRetry: true })).toEqual({ kind: 'process', reason: 'forced', previousAttempts: 1 });
  });

  it('processes a changed size as a changed input', () => {
    expect(decide({ size: 101, etag: 'e2' }, state({ status: 'failed', attempts: 3 }), options)).toEqual({ kind: 'process', reason: 'changed', previousAttempts: 0 });
  });

  it('asks to compare sha256 when the size is the same but the etag is not (or is missing)', () => {
    for (const listed of [{ size: 100, etag: 'e2' }, { size: 100 }]) {
      expect(decide(listed, state(), options)).toEqual({ kind: 'verify', sha256: SHA, same: { kind: 'up-to-date' } });
    }
  });

  it('retries a failed document until it has failed maxAttempts times, then gives it up', () => {
    const listed = { size: 100, etag: 'e1' };
    expect(decide(listed, state({ status: 'failed', attempts: 1 }), options)).toEqual({ kind: 'process', reason: 'retry', previousAttempts: 1 });
    expect(decide(listed, state({ status: 'failed', attempts: 2 }), options)).toEqual({ kind: 'process', reason: 'retry', previousAttempts: 2 });
    expect(decide(listed, state({ status: 'failed', attempts: 3 }), options)).toEqual({ kind: 'given-up', attempts: 3 });
    expect(decide(listed, state({ status: 'failed', attempts: 3 }), { ...options, maxAttempts: 5 })).toEqual({ kind: 'process', reason: 'retry', previousAttempts: 3 });
  });

  it('gives a given-up document one more try when forced', () => {
    expect(decide({ size: 100, etag: 'e1' }, state({ status: 'failed', attempts: 3 }), { ...options, forceRetry: true })).toEqual({
      kind: 'process',
      reason: 'forced',
      previousAttempts: 3,
    });
  });

  it('treats an input that failed before it could be read (no sha256) and now has a new etag as changed', () => {
    expect(decide({ size: 100, etag: 'e2' }, state({ status: 'failed', attempts: 3, source: { bytes: 100, etag: 'e1' } }), options)).toEqual({
      kind: 'process',
      reason: 'changed',
      previousAttempts: 0,
    });
  });
});
