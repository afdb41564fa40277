/**
 * A PDF text layer (pdf.js `getTextContent`) as TextLayerItems in raster pixels, and the repair of
 * the radical code points that CJK fonts put in their ToUnicode maps.
 */
import type { TextLayerItem } from './types.js';

/** An affine map [a, b, c, d, e, f]: (x, y) -> (a x + c y + e, b x + d y + f), as in PDF and pdf.js. */
export type Matrix = readonly [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `outer ∘ inner`: apply `inner` first (pdf.js `Util.transform(outer, inner)`). */
export function compose(outer: Matrix, inner: Matrix): Matrix {
  const [a, b, c, d, e, f] = outer;
  const [A, B, C, D, E, F] = inner;
  return [a * A + c * B, b * A + d * B, a * C + c * D, b * C + d * D, a * E + c * F + e, b * E + d * F + f];
}

export function invert(m: Matrix): Matrix {
  const [a, b, c, d, e, f] = m;
  const det = a * d - b * c;
  if (det === 0 || !Number.isFinite(det)) throw new RangeError('matrix is not invertible');
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/**
 * CJK Radicals Supplement code points (U+2E80..U+2EF3) to the ideograph each looks like, after
 * Unicode's EquivalentUnifiedIdeograph data. Chinese fonts map a radical and its ideograph to one
 * glyph; PDF producers (Chrome/Skia among them) then write the radical into ToUnicode, so 民 comes
 * out as U+2EA0. Unlike the Kangxi radicals these have no NFKC decomposition.
 */
const RADICAL_SUPPLEMENT: Readonly<Record<number, number>> = {
  0x2e80: 0x51ab, 0x2e81: 0x5382, 0x2e82: 0x4e5b, 0x2e83: 0x4e5a, 0x2e84: 0x4e59, 0x2e85: 0x4ebb,
  0x2e86: 0x5182, 0x2e87: 0x51e0, 0x2e88: 0x5200, 0x2e89: 0x5202, 0x2e8a: 0x535c, 0x2e8b: 0x353e,
  0x2e8c: 0x5c0f, 0x2e8d: 0x5c0f, 0x2e8e: 0x5140, 0x2e8f: 0x5c23, 0x2e90: 0x5c22, 0x2e91: 0x5c23,
  0x2e92: 0x5df3, 0x2e93: 0x5e7a, 0x2e94: 0x5f51, 0x2e95: 0x5f50, 0x2e96: 0x5fc4, 0x2e97: 0x38fa,
  0x2e98: 0x624c, 0x2e99: 0x6535, 0x2e9b: 0x65e1, 0x2e9c: 0x65e5, 0x2e9d: 0x6708, 0x2e9e: 0x6b7a,
  0x2e9f: 0x6bcd, 0x2ea0: 0x6c11, 0x2ea1: 0x6c35, 0x2ea2: 0x6c3a, 0x2ea3: 0x706c, 0x2ea4: 0x722b,
  0x2ea5: 0x722b, 0x2ea6: 0x4e2c, 0x2ea7: 0x725b, 0x2ea8: 0x72ad, 0x2ea9: 0x738b, 0x2eaa: 0x758b,
  0x2eab: 0x7f52, 0x2eac: 0x793a, 0x2ead: 0x793b, 0x2eae: 0x7af9, 0x2eaf: 0x7cf9, 0x2eb0: 0x7e9f,
  0x2eb1: 0x7f53, 0x2eb2: 0x7f52, 0x2eb3: 0x34c1, 0x2eb4: 0x34c1, 0x2eb5: 0x7f51, 0x2eb6: 0x7f8a,
  0x2eb7: 0x7f8a, 0x2eb8: 0x7f8b, 0x2eb9: 0x8002, 0x2eba: 0x8080, 0x2ebb: 0x807f, 0x2ebc: 0x6708,
  0x2ebd: 0x81fc, 0x2ebe: 0x8279, 0x2ebf: 0x8279, 0x2ec0: 0x8279, 0x2ec1: 0x864e, 0x2ec2: 0x8864,
  0x2ec3: 0x8980, 0x2ec4: 0x897f, 0x2ec5: 0x89c1, 0x2ec6: 0x89d2, 0x2ec7: 0x89d2, 0x2ec8: 0x8ba0,
  0x2ec9: 0x8d1d, 0x2eca: 0x8db3, 0x2ecb: 0x8f66, 0x2ecc: 0x8fb6, 0x2ecd: 0x8fb6, 0x2ece: 0x8fb6,
  0x2ecf: 0x961d, 0x2ed0: 0x9485, 0x2ed1: 0x9577, 0x2ed2: 0x9578, 0x2ed3: 0x957f, 0x2ed4: 0x95e8,
  0x2ed5: 0x961c, 0x2ed6: 0x961d, 0x2ed7: 0x96e8, 0x2ed8: 0x9752, 0x2ed9: 0x97e6, 0x2eda: 0x9875,
  0x2edb: 0x98ce, 0x2edc: 0x98de, 0x2edd: 0x98df, 0x2ede: 0x98df, 0x2edf: 0x98e0, 0x2ee0: 0x9963,
  0x2ee1: 0x9996, 0x2ee2: 0x9a6c, 0x2ee3: 0x9aa8, 0x2ee4: 0x9b3c, 0x2ee5: 0x9c7c, 0x2ee6: 0x9e1f,
  0x2ee7: 0x5364, 0x2ee8: 0x9ea6, 0x2ee9: 0x9ec4, 0x2eea: 0x9efe, 0x2eeb: 0x6589, 0x2eec: 0x9f50,
  0x2eed: 0x6b6f, 0x2eee: 0x9f7f, 0x2eef: 0x7adc, 0x2ef0: 0x9f99, 0x2ef1: 0x9f9c, 0x2ef2: 0x4e80,
  0x2ef3: 0x9f9f,
};

/**
 * Kangxi radicals whose NFKC target is a traditional form that simplified-Chinese fonts draw exactly
 * like the simplified character (one glyph serves both code points and the radical): the text meant
 * is the simplified one, the only one of the pair in GB 2312.
 */
const KANGXI_SIMPLIFIED: Readonly<Record<number, number>> = {
  0x2f3e: 0x6237, // ⼾ DOOR: 戶 -> 户
  0x2fad: 0x9752, // ⾭ BLUE: 靑 -> 青
  0x2fc8: 0x9ec4, // ⿈ YELLOW: 黃 -> 黄
};

// Radicals (supplement and Kangxi) and CJK compatibility ideographs; nothing else is touched, so
// full-width punctuation and digits stay as printed.
const NEEDS_REPAIR = /[\u2e80-\u2fdf\uf900-\ufaff]|\ud87e[\udc00-\ude1f]/u;

/**
 * Radical and compatibility code points to the ordinary ideographs: Kangxi radicals by NFKC (three
 * by the simplified form, see KANGXI_SIMPLIFIED), supplement radicals by table, compatibility
 * ideographs by NFC (their canonical equivalents).
 */
export function repairCjkText(text: string): string {
  if (!NEEDS_REPAIR.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0x2f00 && cp <= 0x2fdf) {
      const simplified = KANGXI_SIMPLIFIED[cp];
      out += simplified === undefined ? ch.normalize('NFKC') : String.fromCodePoint(simplified);
    }
    else if (cp >= 0x2e80 && cp <= 0x2eff) {
      const to = RADICAL_SUPPLEMENT[cp];
      out += to === undefined ? ch : String.fromCodePoint(to);
    } else if ((cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f)) out += ch.normalize('NFC');
    else out += ch;
  }
  return out;
}

/** The parts of a pdf.js TextItem and text style used here. */
export interface PdfTextItem {
  readonly str: string;
  readonly width: number;
  readonly height: number;
  readonly transform: readonly number[];
  readonly fontName: string;
}
export interface PdfTextStyle {
  readonly ascent?: number;
  readonly descent?: number;
  readonly vertical?: boolean;
}

/** Ideographs fill the em box: about 0.88 above the baseline and 0.12 below. */
const DEFAULT_ASCENT = 0.88;
const DEFAULT_DESCENT = -0.12;

function fontMetrics(style: PdfTextStyle | undefined): { ascent: number; descent: number } {
  const a = style?.ascent;
  const d = style?.descent;
  const ascent = a !== undefined && Number.isFinite(a) && a > 0.3 && a < 1.5 ? a : DEFAULT_ASCENT;
  const descent = d !== undefined && Number.isFinite(d) && d < 0 && d > -1 ? d : DEFAULT_DESCENT;
  return { ascent, descent };
}

/**
 * Text items in raster pixels: `userToPixel` maps PDF user space to the returned image (origin top
 * left). Each box is the axis-aligned hull of the run's em box, so rotated text gets a box too.
 * Empty and whitespace-only runs are dropped.
 */
export function toTextLayer(
  items: readonly PdfTextItem[],
  styles: Readonly<Record<string, PdfTextStyle>>,
  userToPixel: Matrix,
): TextLayerItem[] {
  const out: TextLayerItem[] = [];
  for (const item of items) {
    if (item.str.trim() === '') continue;
    const t = item.transform;
    if (t.length < 6) continue;
    const m = compose(userToPixel, t as unknown as Matrix);
    // Text space here is scaled by the font size: one unit is one em.
    const emX = Math.hypot(t[0] as number, t[1] as number);
    const emY = Math.hypot(t[2] as number, t[3] as number);
    if (emX === 0 || emY === 0) continue;
    const style = styles[item.fontName];
    const { ascent, descent } = fontMetrics(style);
    let corners: Array<[number, number]>;
    if (style?.vertical) {
      // Vertical writing: the run goes down from the origin, glyphs centred on it.
      const len = item.height / emY;
      corners = [
        [-0.5, 0],
        [0.5, 0],
        [-0.5, -len],
        [0.5, -len],
      ];
    } else {
      const len = item.width / emX;
      corners = [
        [0, descent],
        [len, descent],
        [0, ascent],
        [len, ascent],
      ];
    }
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const [u, v] of corners) {
      const [x, y] = apply(m, u, v);
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    const size = Math.hypot(m[2], m[3]);
    if (![x0, y0, x1, y1, size].every(Number.isFinite)) continue;
    out.push({ text: repairCjkText(item.str), x: x0, y: y0, w: x1 - x0, h: y1 - y0, size });
  }
  return out;
}
