/**
 * A scanned page that is one JPEG, found through the PDF's objects (pdf-objects.ts) and decoded natively (sharp's
 * libjpeg-turbo) instead of by pdf.js's JavaScript decoder: 4-6x faster on a broadsheet scan, and
 * the image is decoded once. Only the plain case is taken: a content stream that does nothing but
 * place one DCT-encoded gray or RGB image (q, cm, Do, Q and marked content); every other page goes
 * the pdf.js way, which stays the reference. The same checks as for pdf.js's image (upright, covers
 * the page) are made by the caller.
 */
import sharp from 'sharp';
import type { Matrix } from './text-layer.js';
import { compose } from './text-layer.js';
import { rgbToGray } from './gray.js';
import type { PdfObjects } from './pdf-objects.js';
import { PdfName, PdfOperator, PdfRef, SyntaxUnsupported, PdfLexer, declined, isDeclined, isDict, nameOf, type Declined, type PdfDict, type PdfValue } from './pdf-syntax.js';
import { contentBytes, resourceDict } from './pdf-page.js';

export interface PageJpeg {
  /** The encoded JPEG as stored in the file. */
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** 1 (gray) or 3 (RGB). */
  readonly components: 1 | 3;
  /** Maps the image's unit square to user space. */
  readonly ctm: Matrix;
}

/** Operators that neither paint nor move anything. */
const NEUTRAL = new Set(['w', 'J', 'j', 'M', 'd', 'ri', 'i', 'BMC', 'BDC', 'EMC', 'MP', 'DP']);

/**
 * The page's only painted thing when it is one plain JPEG image; why not when the page is anything
 * else or uses syntax this reader does not take.
 */
export function findPageJpeg(objects: PdfObjects, pageRef: PdfRef): PageJpeg | Declined {
  try {
    const page = objects.resolve(pageRef);
    if (!isDict(page) || nameOf(page.get('Type')) !== 'Page') return declined(`page object ${pageRef.num} ${pageRef.gen} not readable`);
    // Annotations would be drawn over the scan: a page with any goes the pdf.js way (pdf-lib writes
    // an empty /Annots array on every page: that draws nothing).
    const annots = page.has('Annots') ? objects.resolve(page.get('Annots')) : [];
    if (!Array.isArray(annots) || annots.length > 0) return declined('the page has annotations');
    const content = contentBytes(objects, page);
    const xobjects = objects.resolve(resourceDict(objects, page, 'XObject'));
    if (!content) return declined('content stream not readable');
    if (!isDict(xobjects)) return declined('no image resources');
    const placed = onlyPlacement(content);
    if (isDeclined(placed)) return placed;
    const ref = xobjects.get(placed.name);
    const image = ref instanceof PdfRef ? objects.get(ref) : undefined;
    if (!image?.stream) return declined(`XObject /${placed.name} not readable`);
    const plain = plainJpeg(objects, image.stream.dict);
    if (isDeclined(plain)) return plain;
    return { jpeg: image.stream.raw, ...plain, ctm: placed.ctm };
  } catch (err) {
    if (err instanceof SyntaxUnsupported) return declined(`syntax: ${err.message}`);
    throw err;
  }
}

/** Decodes a page JPEG to 8-bit gray; undefined when the data does not match its dictionary. */
export async function decodePageJpeg(image: PageJpeg, maxPixels: number): Promise<Uint8Array | undefined> {
  try {
    const decoder = sharp(image.jpeg, { limitInputPixels: Math.ceil(maxPixels), failOn: 'error' });
    // The JPEG's own components must be what the dictionary says (pdf.js would reconcile them).
    if ((await decoder.metadata()).channels !== image.components) return undefined;
    // A gray JPEG stays one band (sharp would hand it over as sRGB).
    const { data, info } = await (image.components === 1 ? decoder.toColourspace('b-w') : decoder)
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== image.width || info.height !== image.height || info.channels !== image.components) return undefined;
    // The BT.601 weights of the pdf.js way, so both ways give the same gray.
    return info.channels === 1 ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : rgbToGray(data, info.width, info.height, 3);
  } catch {
    return undefined;
  }
}

/** The one `Do` of a content stream that does nothing else, with the matrix it is drawn under. */
function onlyPlacement(content: Uint8Array): { name: string; ctm: Matrix } | Declined {
  const lexer = new PdfLexer(content);
  const operands: PdfValue[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let placed: { name: string; ctm: Matrix } | undefined;
  for (let token = lexer.next(); token !== undefined; token = lexer.next()) {
    if (!(token instanceof PdfOperator)) {
      operands.push(token);
      continue;
    }
    const op = token.op;
    if (op === 'q') stack.push(ctm);
    else if (op === 'Q') ctm = stack.pop() ?? ctm;
    else if (op === 'cm') {
      if (operands.length !== 6 || !operands.every((n) => typeof n === 'number')) return declined('cm operands');
      ctm = compose(ctm, operands as unknown as Matrix);
    } else if (op === 'Do') {
      const name = operands[0];
      if (placed) return declined('more than one XObject painted');
      if (operands.length !== 1 || !(name instanceof PdfName)) return declined('Do operands');
      placed = { name: name.name, ctm };
    } else if (op === 'BDC' && nameOf(operands[0]) === 'OC') {
      return declined('optional content'); // pdf.js decides whether it shows
    } else if (!NEUTRAL.has(op)) return declined(`paints more than an image (operator ${op})`);
    operands.length = 0;
  }
  return placed ?? declined('no image painted');
}

/** Size and components of an image dictionary when it is a plain JPEG this path takes. */
function plainJpeg(objects: PdfObjects, dict: PdfDict): { width: number; height: number; components: 1 | 3 } | Declined {
  const get = (key: string, short?: string): PdfValue | undefined => objects.resolve(dict.get(key) ?? (short ? dict.get(short) : undefined));
  if (nameOf(get('Subtype')) !== 'Image') return declined('the XObject is not an image');
  if (get('ImageMask', 'IM') === true) return declined('the image is a stencil mask');
  // Masks, decode maps, filter parameters and optional content (a layer that may be hidden) change what
  // is painted: pdf.js applies them.
  const filter = get('Filter', 'F');
  const filters = Array.isArray(filter) ? filter : [filter];
  const names = filters.map((f: PdfValue | undefined) => nameOf(f) ?? String(f)).join(' ');
  if (filters.length !== 1 || !['DCTDecode', 'DCT'].includes(nameOf(filters[0] as PdfValue) ?? '')) return declined(`image filter ${names}, not DCTDecode`);
  const painted = ['SMask', 'Mask', 'Decode', 'D', 'DecodeParms', 'DP', 'OC'].find((key) => dict.has(key));
  if (painted) return declined(`the image has /${painted}`);
  const width = get('Width', 'W');
  const height = get('Height', 'H');
  const bits = get('BitsPerComponent', 'BPC');
  if (typeof width !== 'number' || typeof height !== 'number') return declined('image size');
  if (bits !== undefined && bits !== 8) return declined(`${String(bits)} bits per component`);
  const components = colourComponents(objects, get('ColorSpace', 'CS'));
  return components ? { width, height, components } : declined('colour space not gray or RGB');
}

function colourComponents(objects: PdfObjects, space: PdfValue | undefined): 1 | 3 | undefined {
  const name = nameOf(space);
  if (name === 'DeviceGray' || name === 'G') return 1;
  if (name === 'DeviceRGB' || name === 'RGB') return 3;
  // [/ICCBased stream]: the profile's component count. The profile is not applied: gray comes from
  // the stored samples.
  if (Array.isArray(space) && nameOf(space[0] as PdfValue) === 'ICCBased' && space[1] instanceof PdfRef) {
    const profile = objects.get(space[1])?.value;
    const n = isDict(profile) ? objects.resolve(profile.get('N')) : undefined;
    return n === 1 ? 1 : n === 3 ? 3 : undefined;
  }
  return undefined;
}
