import { describe, expect, it } from 'vitest';

import { rgbToGray, rotateGray, unpackBits } from '../../src/stages/rasterise/gray.js';
import { compose, invert, repairCjkText, toTextLayer, type Matrix } from '../../src/stages/rasterise/text-layer.js';

describe('gray conversions', () => {
  it('unpacks 1-bit rows padded to bytes, MSB first', () => {
    // 10 px wide: 2 bytes a row. Row 0: 1010 1010 | 11.. ; row 1: 0000 0000 | 01..
    const packed = Uint8Array.of(0b10101010, 0b11000000, 0b00000000, 0b01000000);
    expect(Array.from(unpackBits(packed, 10, 2, 0, 255))).toEqual([
      255, 0, 255, 0, 255, 0, 255, 0, 255, 255,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 255,
    ]);
  });

  it('leaves rows missing from a short buffer white', () => {
    expect(Array.from(unpackBits(Uint8Array.of(0), 8, 2, 0, 255))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]);
  });

  it('turns RGB into luma and composites RGBA over white', () => {
    expect(Array.from(rgbToGray(Uint8Array.of(255, 255, 255, 0, 0, 0, 100, 100, 100, 255, 0, 0), 4, 1, 3))).toEqual([255, 0, 100, 77]);
    expect(Array.from(rgbToGray(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128), 3, 1, 4))).toEqual([255, 0, 127]);
  });

  it('rotates clockwise by quarter turns', () => {
    // 3x2:  a b c
    //       d e f
    const src = Uint8Array.of(1, 2, 3, 4, 5, 6);
    expect(rotateGray(src, 3, 2, 90)).toEqual({ data: Uint8Array.of(4, 1, 5, 2, 6, 3), width: 2, height: 3 });
    expect(rotateGray(src, 3, 2, 180)).toEqual({ data: Uint8Array.of(6, 5, 4, 3, 2, 1), width: 3, height: 2 });
    expect(rotateGray(src, 3, 2, 270)).toEqual({ data: Uint8Array.of(3, 6, 2, 5, 1, 4), width: 2, height: 3 });
  });
});

describe('text layer', () => {
  it('repairs radical code points that CJK fonts put in ToUnicode', () => {
    // Kangxi radicals (NFKC), CJK Radicals Supplement (table), one compatibility ideograph (NFC).
    expect(repairCjkText('⼤同⽇报')).toBe('大同日报');
    expect(repairCjkText('⼈⺠⽹ ⻔⼾ ⻓⻘')).toBe('人民网 门户 长青');
    expect(repairCjkText('\uf900')).toBe('\u8c48');
    // Full-width punctuation and digits are what was printed: untouched.
    expect(repairCjkText('２０２３年，“三化三实”！')).toBe('２０２３年，“三化三实”！');
  });

  it('maps runs to pixel boxes through user space', () => {
    // A 300-dpi page 100 pt high: user (x, y) -> pixel (x * 300/72, (100 - y) * 300/72).
    const k = 300 / 72;
    const userToPixel: Matrix = [k, 0, 0, -k, 0, 100 * k];
    const items = [
      { str: '新华社', width: 36, height: 12, transform: [12, 0, 0, 12, 10, 50], fontName: 'f' },
      { str: '   ', width: 5, height: 12, transform: [12, 0, 0, 12, 46, 50], fontName: 'f' },
      { str: '', width: 0, height: 0, transform: [12, 0, 0, 12, 10, 30], fontName: 'f' },
    ];
    const layer = toTextLayer(items, { f: { ascent: 0.88, descent: -0.12 } }, userToPixel);
    expect(layer).toHaveLength(1);
    const [run] = layer;
    expect(run?.text).toBe('新华社');
    expect(run?.x).toBeCloseTo(10 * k);
    expect(run?.w).toBeCloseTo(36 * k);
    expect(run?.y).toBeCloseTo((100 - 50 - 0.88 * 12) * k);
    expect(run?.h).toBeCloseTo(12 * k);
    expect(run?.size).toBeCloseTo(12 * k);
  });

  it('composes and inverts affine maps', () => {
    const m: Matrix = [2, 0, 0, 3, 5, 7];
    const id = compose(m, invert(m));
    id.forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 1, 0, 0][i] as number));
  });
});
