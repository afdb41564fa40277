import { describe, expect, it } from 'vitest';

import { InputError } from '../../src/errors.js';
import { deriveDpi, snapDpi } from '../../src/stages/rasterise/dpi.js';
import { findPdfHeader, sniffFormat } from '../../src/stages/rasterise/sniff.js';
import { repoFile } from './helpers.js';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

describe('sniffFormat', () => {
  it('knows the samples by their bytes', () => {
    expect(sniffFormat(repoFile('samples/daily-2023-12-02-p1.pdf'))).toBe('pdf');
    expect(sniffFormat(repoFile('samples/daily-2023-12-02-p2.tif'))).toBe('tiff');
  });

  it('recognises each magic', () => {
    expect(sniffFormat(bytes('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffFormat(bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]))).toBe('tiff');
    expect(sniffFormat(bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
    expect(sniffFormat(bytes([0x49, 0x49, 0x2b, 0x00, 8, 0, 0, 0]))).toBe('tiff'); // BigTIFF
    expect(sniffFormat(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg');
    expect(sniffFormat(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
  });

  it('finds %PDF- after junk bytes, within the first KB only', () => {
    expect(sniffFormat(bytes('\r\nGarbage from a scanner\r\n%PDF-1.4\n'))).toBe('pdf');
    expect(findPdfHeader(bytes('abc%PDF-1.4'))).toBe(3);
    expect(findPdfHeader(bytes('x'.repeat(2000), '%PDF-1.4'))).toBe(-1);
  });

  it('refuses an empty file', () => {
    expect(() => sniffFormat(new Uint8Array())).toThrow(InputError);
    expect(() => sniffFormat(new Uint8Array())).toThrow('empty file (0 bytes)');
  });

  it.each([
    ['a .txt', bytes('Hello, this is plain text.\n')],
    ['a .docx (zip)', bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], '[Content_Types].xml')],
    ['a GIF', bytes('GIF89a')],
    ['a truncated PDF magic', bytes('%PDF')],
  ])('refuses %s', (_label, input) => {
    let caught: unknown;
    try {
      sniffFormat(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toBe('not a PDF or a supported image (TIFF, JPEG, PNG)');
    expect((caught as InputError).stage).toBe('rasterise');
    expect((caught as InputError).action).toBe('skip-document');
  });
});

describe('deriveDpi', () => {
  const a4 = { width: 991.92, height: 1416.96 }; // the corpus page size in points

  it('derives and snaps the common scanning resolutions', () => {
    expect(deriveDpi({ width: 992.1, height: 1417.3 }, { width: 4133, height: 5904 })).toBe(300);
    expect(deriveDpi(a4, { width: 4133, height: 5904 })).toBe(300);
    expect(deriveDpi({ width: 991.8, height: 1416.96 }, { width: 2755, height: 3936 })).toBe(200);
    expect(deriveDpi({ width: 612, height: 792 }, { width: 2550, height: 3300 })).toBe(300);
    expect(deriveDpi({ width: 612, height: 792 }, { width: 5100, height: 6600 })).toBe(600);
  });

  it('rounds values that are not near a common one', () => {
    expect(deriveDpi({ width: 72, height: 72 }, { width: 250, height: 250 })).toBe(250);
    expect(snapDpi(301.5)).toBe(300); // within 1 %
    expect(snapDpi(304)).toBe(304); // not within 1 %
  });

  it('guards against absurd sizes', () => {
    expect(deriveDpi({ width: 1, height: 1 }, { width: 4000, height: 4000 })).toBe(300); // 288000 dpi
    expect(deriveDpi({ width: 0, height: 0 }, { width: 100, height: 100 })).toBe(300);
    expect(deriveDpi({ width: 5000, height: 5000 }, { width: 10, height: 10 }, 150)).toBe(150);
    // A missing axis is left out, the other one still counts.
    expect(deriveDpi({ width: Number.NaN, height: 72 }, { width: 100, height: 150 })).toBe(150);
  });
});
