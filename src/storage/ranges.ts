/** The checks every driver's `getRange` makes, so that all drivers refuse the same ranges alike. */
import { ConfigError, InputError } from '../errors.js';
import type { ByteRange } from './types.js';

/** A range of whole, non-negative numbers with `end > start`; anything else is a ConfigError. */
export function assertRange(range: ByteRange): void {
  const { start, end } = range ?? {};
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) {
    throw new ConfigError(`Invalid byte range ${String(start)}-${String(end)}: need whole numbers with 0 <= start < end`);
  }
}

/** A range that starts at or past the end of an object of `size` bytes. */
export function rangePastEnd(where: string, range: ByteRange, size: number | undefined): InputError {
  const of = size === undefined ? '' : ` (${size} bytes)`;
  return new InputError(`${where}: range ${range.start}-${range.end} starts past the end of the object${of}`, { stage: 'storage' });
}

/** `bytes=a-b` (inclusive end), as HTTP and S3 want it. */
export function httpRange(range: ByteRange): string {
  return `bytes=${range.start}-${range.end - 1}`;
}
