/** `--engine` on ingest, run, schedule and bench: parsed in one place, a bad value is a usage error (exit 2). */
import { describe, expect, it, vi } from 'vitest';
import { parseEngineList } from '../../src/cli/bench.js';
import { main } from '../../src/cli/main.js';
import { runOptionsFromFlags } from '../../src/cli/run.js';
import { ConfigError } from '../../src/errors.js';
import { engineInfo, parseEngine } from '../../src/ocr/engines.js';
import { pipelineInfo } from '../../src/pipeline/fingerprint.js';

describe('--engine', () => {
  it('takes tesseract or paddle and nothing else', () => {
    expect(parseEngine(undefined)).toBeUndefined();
    expect(parseEngine('tesseract')).toBe('tesseract');
    expect(parseEngine('paddle')).toBe('paddle');
    expect(() => parseEngine('Paddle')).toThrow(ConfigError);
    expect(() => parseEngine('paddle-ocr')).toThrow(/--engine expects tesseract or paddle, got "paddle-ocr"/u);
  });

  it('reaches the run options of run and schedule', () => {
    expect(runOptionsFromFlags({ input: 'in', output: 'out', engine: 'paddle' }).engine).toBe('paddle');
    expect(runOptionsFromFlags({ input: 'in', output: 'out' }).engine).toBeUndefined();
  });

  it('takes a comma-separated list on bench, each engine once', () => {
    expect(parseEngineList('tesseract,paddle')).toEqual(['tesseract', 'paddle']);
    expect(parseEngineList('paddle')).toEqual(['paddle']);
    expect(() => parseEngineList('paddle,paddle')).toThrow(ConfigError);
    expect(() => parseEngineList('tesseract,easyocr')).toThrow(ConfigError);
  });

  it('is a usage error (exit 2) on every command that has it', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['ingest', 'nothing.pdf', '--engine', 'bad'])).toBe(2);
      expect(await main(['run', '--input', 'a', '--output', 'b', '--engine', 'bad'])).toBe(2);
      expect(await main(['schedule', '--cron', '0 2 * * *', '--input', 'a', '--output', 'b', '--engine', 'bad'])).toBe(2);
      expect(await main(['bench', '--engine', 'tesseract,bad'])).toBe(2);
    } finally {
      stderr.mockRestore();
    }
  });

  it('is recorded in the pipeline parameters and changes the fingerprint', () => {
    const tesseract = pipelineInfo(engineInfo('tesseract', { workers: 2 }), 2);
    const paddle = pipelineInfo(engineInfo('paddle', { workers: 2 }), 2);
    expect(tesseract.parameters['engine']).toBe('tesseract');
    expect(paddle.parameters['engine']).toBe('paddle');
    expect(paddle.engine.modelVersion).toMatch(/^@gutenye\/ocr-models 1\.4\.2$/u);
    expect(paddle.fingerprint).not.toBe(tesseract.fingerprint);
    // Threads and workers change speed, not output: not hashed.
    expect(pipelineInfo(engineInfo('paddle', { workers: 1 }), 1).fingerprint).toBe(paddle.fingerprint);
  });
});
