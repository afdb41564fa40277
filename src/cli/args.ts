import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../errors.js';

/** node:util parseArgs with unknown options turned into a ConfigError naming the problem. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${flag} expects a positive whole number, got "${value}"`);
  return n;
}

/** A command's report on stdout: as JSON with `--json`, else as the text `format` makes of it. */
export function printReport<T>(report: T, json: boolean | undefined, format: (report: T) => string): void {
  process.stdout.write(json ? JSON.stringify(report, null, 2) + '\n' : format(report));
}
