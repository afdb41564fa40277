import { describe, expect, it } from 'vitest';
import {
  BugError,
  classifyError,
  ConfigError,
  CriticalError,
  EngineError,
  FAULT_POLICY,
  InputError,
  InterruptedError,
  PageTimeoutError,
  RetryableError,
} from '../../src/errors.js';
import { createJsonLogger } from '../../src/logger.js';
import { engineCrash } from '../../src/errors.js';

describe('classifyError: every thrown value to one of four faults', () => {
  it('keeps typed errors and their fault', () => {
    expect(classifyError(new InputError('corrupt')).fault).toBe('input');
    expect(classifyError(new RetryableError('later')).fault).toBe('infrastructure');
    expect(classifyError(new EngineError('crashed')).fault).toBe('engine');
    expect(classifyError(new PageTimeoutError('slow')).fault).toBe('engine');
    expect(classifyError(new CriticalError('no access')).action).toBe('stop-run');
    expect(classifyError(new ConfigError('bad flag')).action).toBe('stop-run');
    expect(classifyError(new InterruptedError('SIGTERM')).action).toBe('leave');
  });

  it('makes a programming error a bug, never an input fault, and keeps it as the cause', () => {
    const typeError = new TypeError("Cannot read properties of undefined (reading 'width')");
    const typed = classifyError(typeError, 'layout');
    expect(typed).toBeInstanceOf(BugError);
    expect(typed).toMatchObject({ fault: 'bug', action: 'skip-document', stage: 'layout', message: typeError.message });
    expect(typed.cause).toBe(typeError);
    expect(classifyError('a string').fault).toBe('bug');
  });

  it('makes a transient store or network error infrastructure', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyError(reset, 'storage')).toMatchObject({ fault: 'infrastructure', action: 'retry' });
    expect(classifyError({ $metadata: { httpStatusCode: 503 } }).fault).toBe('infrastructure');
  });

  it('makes an OCR crash an engine fault that counts as an attempt', () => {
    const crash = engineCrash(new Error('RuntimeError: memory access out of bounds'));
    expect(crash).toBeInstanceOf(EngineError);
    expect(crash.message).toBe('OCR failed: RuntimeError: memory access out of bounds');
    expect(crash.stage).toBe('recognise');
    expect(FAULT_POLICY[classifyError(crash).fault]).toMatchObject({ countsAsAttempt: true, givenUpAtOnce: false });
  });

  it('has one policy per fault', () => {
    expect(FAULT_POLICY.input).toMatchObject({ countsAsAttempt: true, givenUpAtOnce: true, retriedWithBackoff: false });
    expect(FAULT_POLICY.infrastructure).toMatchObject({ countsAsAttempt: false, givenUpAtOnce: false, retriedWithBackoff: true });
    expect(FAULT_POLICY.engine).toMatchObject({ countsAsAttempt: true, givenUpAtOnce: false, logStack: true });
    expect(FAULT_POLICY.bug).toMatchObject({ countsAsAttempt: true, givenUpAtOnce: false, logStack: true });
  });
});

describe('the JSON logger and errors in fields', () => {
  it('writes the stack and the chain of causes, bounded', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ level: 'debug', write: (line) => lines.push(line) });
    const root = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    const error = new BugError('could not save', { cause: new Error('wrapped', { cause: root }), stage: 'publish' });
    logger.error('document failed', { error, documentId: 'd1' });
    const record = JSON.parse(lines[0]!) as { error: { name: string; fault: string; stage: string; stack: string; cause: { message: string; cause: { code: string } } }; documentId: string };
    expect(record.documentId).toBe('d1');
    expect(record.error).toMatchObject({ name: 'BugError', fault: 'bug', stage: 'publish', message: 'could not save' });
    expect(record.error.stack).toMatch(/classify\.test\.ts/);
    expect(record.error.cause.message).toBe('wrapped');
    expect(record.error.cause.cause.code).toBe('ENOSPC');

    const cyclic = new Error('a') as Error & { cause?: unknown };
    cyclic.cause = cyclic;
    logger.warn('cycle', { error: cyclic });
    expect(lines[1]).toContain('more causes left out');
  });
});
