/**
 * What a born-digital page paints, read from its content stream without pdf.js's operator list:
 * the bounds of filled and stroked paths with their gray, where images are placed, and whether
 * anything else is painted. It is what the sketch of a page needs (see sketch.ts), and it is the
 * same as `scanPageContent` makes of pdf.js's operator list, whose making decodes every image and
 * pattern of the page only for the sketch to look at their outlines.
 *
 * Only the plain case is taken: gray, RGB and pattern colours; paths, text, images and forms
 * placed as they are. CMYK and calibrated colours (pdf.js converts them with its own curves),
 * optional content, inline images, annotations with appearances and anything unknown are
 * declined (with the reason), and the caller asks pdf.js.
 */
import { lumaOf } from './gray.js';
import { contentBytes, inherited } from './pdf-page.js';
import type { PdfObjects } from './pdf-objects.js';
import { PdfLexer, PdfName, PdfOperator, PdfRef, SyntaxUnsupported, declined, decodeStream, isDict, nameOf, type Declined, type PdfDict, type PdfValue } from './pdf-syntax.js';
import type { SketchArea } from './sketch.js';
import { IDENTITY, apply, compose, type Matrix } from './text-layer.js';

export interface PageVectors {
  /** Each image's unit square to user space. */
  readonly images: ReadonlyArray<{ readonly ctm: Matrix }>;
  readonly paths: readonly SketchArea[];
  /** Anything painted besides images: visible text, paths, shadings, groups. */
  readonly drawsOther: boolean;
}

/** Colour spaces whose colours this reader turns into gray as pdf.js does. */
type Space = 'gray' | 'rgb' | 'pattern';

interface GraphicsState {
  ctm: Matrix;
  fill: number | undefined;
  stroke: number | undefined;
  fillSpace: Space;
  strokeSpace: Space;
  /** The space `scn` reads: none until a colour or space is set (pdf.js then takes numbers as gray). */
  fillSpaceN: Space | undefined;
  strokeSpaceN: Space | undefined;
  textMode: number;
}

/** Operators that change nothing the sketch sees. */
const NEUTRAL = new Set([
  'w', 'J', 'j', 'M', 'd', 'ri', 'i', 'gs', 'BMC', 'EMC', 'MP', 'DP', 'BX', 'EX', 'W', 'W*',
  'BT', 'ET', 'Tc', 'Tw', 'Tz', 'TL', 'Tf', 'Ts', 'Td', 'TD', 'Tm', 'T*',
]);
/** Operators that set a device colour, with its space (lower case: fill, upper case: stroke). */
const DEVICE_COLOUR: Readonly<Record<string, Space>> = { g: 'gray', G: 'gray', rg: 'rgb', RG: 'rgb' };
const SHOWS_TEXT = new Set(['Tj', 'TJ', "'", '"']);
const PAINTS_PATH = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*']);
const STROKES_ONLY = new Set(['S', 's']);
/** Forms inside forms: deeper than this is taken as a loop. */
const MAX_FORM_DEPTH = 8;

/** Thrown inside the walk on anything this reader leaves to pdf.js. */
class LeaveToPdfJs extends Error {}

/** The page's painted vectors; why not when the page uses anything this reader leaves to pdf.js. */
export function readPageVectors(objects: PdfObjects, pageRef: PdfRef): PageVectors | Declined {
  try {
    const page = objects.resolve(pageRef);
    if (!isDict(page) || nameOf(page.get('Type')) !== 'Page') return declined(`page object ${pageRef.num} ${pageRef.gen} not readable`);
    if (hasAppearances(objects, page)) return declined('annotations with appearances');
    const content = contentBytes(objects, page);
    const resources = objects.resolve(inherited(objects, page, 'Resources'));
    if (!content) return declined('content stream not readable');
    const walk = new ContentWalk(objects);
    walk.run(content, isDict(resources) ? resources : new Map(), initialState(), 0);
    return { images: walk.images, paths: walk.paths, drawsOther: walk.drawsOther };
  } catch (err) {
    if (err instanceof SyntaxUnsupported) return declined(`syntax: ${err.message}`);
    if (err instanceof LeaveToPdfJs) return declined(err.message);
    throw err;
  }
}

/** Annotations that draw something (an appearance stream) are drawn by pdf.js over the page. */
function hasAppearances(objects: PdfObjects, page: PdfDict): boolean {
  if (!page.has('Annots')) return false;
  const annots = objects.resolve(page.get('Annots'));
  if (!Array.isArray(annots)) return true;
  return annots.some((a: PdfValue) => {
    const annot = objects.resolve(a);
    return !isDict(annot) || annot.has('AP');
  });
}

function initialState(): GraphicsState {
  return { ctm: IDENTITY, fill: 0, stroke: 0, fillSpace: 'gray', strokeSpace: 'gray', fillSpaceN: undefined, strokeSpaceN: undefined, textMode: 0 };
}

/** The fill (lower-case operator) or stroke (upper case) colour space, for `sc` and `scn` both. */
function setSpace(state: GraphicsState, op: string, space: Space): void {
  if (op === op.toLowerCase()) state.fillSpace = state.fillSpaceN = space;
  else state.strokeSpace = state.strokeSpaceN = space;
}

const clamped = new Uint8ClampedArray(3);
/** A colour in `space` as pdf.js makes it: channels times 255 into bytes, then luma. */
function grayOf(space: Space, operands: readonly PdfValue[]): number | undefined {
  if (space === 'pattern') return undefined;
  const n = space === 'gray' ? 1 : 3;
  const values = operands.slice(0, n);
  if (values.length !== n || !values.every((v) => typeof v === 'number')) throw new LeaveToPdfJs('colour operands');
  const [r, g, b] = values as number[];
  clamped[0] = (r as number) * 255;
  clamped[1] = (g ?? (r as number)) * 255;
  clamped[2] = (b ?? (r as number)) * 255;
  return lumaOf(clamped[0], clamped[1], clamped[2]);
}

class ContentWalk {
  readonly images: Array<{ ctm: Matrix }> = [];
  readonly paths: SketchArea[] = [];
  drawsOther = false;

  constructor(private readonly objects: PdfObjects) {}

  run(content: Uint8Array, resources: PdfDict, start: GraphicsState, depth: number): void {
    const lexer = new PdfLexer(content);
    const operands: PdfValue[] = [];
    const stack: GraphicsState[] = [];
    let state = { ...start };
    // The path being built: its bounds in user space before the CTM, as pdf.js's minMax.
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    let x = 0;
    let y = 0;
    const num = (i: number): number => {
      const v = operands[i];
      if (typeof v !== 'number') throw new LeaveToPdfJs('operand');
      return v;
    };
    const point = (px: number, py: number): void => {
      if (px < box[0]!) box[0] = px;
      if (py < box[1]!) box[1] = py;
      if (px > box[2]!) box[2] = px;
      if (py > box[3]!) box[3] = py;
    };

    for (let token = lexer.next(); token !== undefined; token = lexer.next()) {
      if (!(token instanceof PdfOperator)) {
        operands.push(token);
        continue;
      }
      const op = token.op;
      if (NEUTRAL.has(op)) {
        // Nothing to do.
      } else if (op === 'q') stack.push({ ...state });
      else if (op === 'Q') state = stack.pop() ?? state;
      else if (op === 'cm') state.ctm = compose(state.ctm, [num(0), num(1), num(2), num(3), num(4), num(5)]);
      else if (op === 'm' || op === 'l') {
        x = num(0);
        y = num(1);
        point(x, y);
      } else if (op === 'c' || op === 'v' || op === 'y') {
        const [x1, y1, x2, y2, x3, y3] =
          op === 'c' ? [num(0), num(1), num(2), num(3), num(4), num(5)] : op === 'v' ? [x, y, num(0), num(1), num(2), num(3)] : [num(0), num(1), num(2), num(3), num(2), num(3)];
        bezierBounds(x, y, x1, y1, x2, y2, x3, y3, point);
        x = x3;
        y = y3;
      } else if (op === 're') {
        x = num(0);
        y = num(1);
        point(x, y);
        point(x + num(2), y + num(3));
      } else if (op === 'h') {
        // Closing adds no point.
      } else if (op === 'n' || PAINTS_PATH.has(op)) {
        if (op !== 'n') this.paintPath(state, box, STROKES_ONLY.has(op));
        box[0] = box[1] = Infinity;
        box[2] = box[3] = -Infinity;
      } else if (op in DEVICE_COLOUR) {
        const space = DEVICE_COLOUR[op]!;
        setSpace(state, op, space);
        if (op === 'g' || op === 'rg') state.fill = grayOf(space, operands);
        else state.stroke = grayOf(space, operands);
      } else if (op === 'cs' || op === 'CS') {
        setSpace(state, op, this.space(operands[0], resources));
      } else if (op === 'sc') state.fill = grayOf(state.fillSpace, operands);
      // A pattern stroke leaves the outline's gray as it was (pdf.js's list is read the same way).
      else if (op === 'SC') state.stroke = grayOf(state.strokeSpace, operands) ?? state.stroke;
      else if (op === 'scn') state.fill = grayOf(state.fillSpaceN ?? 'gray', operands);
      else if (op === 'SCN') state.stroke = grayOf(state.strokeSpaceN ?? 'gray', operands) ?? state.stroke;
      else if (op === 'Tr') state.textMode = num(0);
      else if (SHOWS_TEXT.has(op)) {
        // Modes 3 and 7 are invisible text: the OCR layer laid over a scan.
        if (state.textMode !== 3 && state.textMode !== 7) this.drawsOther = true;
      } else if (op === 'sh') this.drawsOther = true;
      else if (op === 'Do') this.placeXObject(operands[0], resources, state, depth);
      else if (op === 'BDC') {
        if (nameOf(operands[0]) === 'OC') throw new LeaveToPdfJs('optional content');
      } else throw new LeaveToPdfJs(`operator ${op}`);
      operands.length = 0;
    }
  }

  private paintPath(state: GraphicsState, box: readonly number[], stroked: boolean): void {
    this.drawsOther = true;
    const [x0, y0, x1, y1] = box as [number, number, number, number];
    if (!(x0 <= x1 && y0 <= y1)) return; // painted with no point: nothing to outline
    const a = apply(state.ctm, x0, y0);
    const b = apply(state.ctm, x1, y1);
    const bounds = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])] as const;
    this.paths.push({ bounds, gray: stroked ? state.stroke : state.fill, stroked });
  }

  private space(operand: PdfValue | undefined, resources: PdfDict): Space {
    let value: PdfValue | undefined = operand;
    for (let hops = 0; hops < 4; hops++) {
      const name = nameOf(value);
      if (name === 'DeviceGray' || name === 'G') return 'gray';
      if (name === 'DeviceRGB' || name === 'RGB') return 'rgb';
      if (name === 'Pattern') return 'pattern';
      if (Array.isArray(value) && nameOf(value[0] as PdfValue) === 'Pattern') return 'pattern';
      // A named space from the resources; anything else (ICC, CMYK, indexed...) is pdf.js's to convert.
      const named = name === undefined ? undefined : this.objects.resolve(resources.get('ColorSpace'));
      if (!isDict(named) || name === undefined || !named.has(name)) throw new LeaveToPdfJs('colour space');
      value = this.objects.resolve(named.get(name));
    }
    throw new LeaveToPdfJs('colour space');
  }

  private placeXObject(operand: PdfValue | undefined, resources: PdfDict, state: GraphicsState, depth: number): void {
    const xobjects = this.objects.resolve(resources.get('XObject'));
    const ref = isDict(xobjects) && operand instanceof PdfName ? xobjects.get(operand.name) : undefined;
    if (!(ref instanceof PdfRef)) throw new LeaveToPdfJs('XObject');
    const xobject = this.objects.get(ref);
    if (!xobject?.stream) throw new LeaveToPdfJs('XObject');
    const dict = xobject.stream.dict;
    if (dict.has('OC')) throw new LeaveToPdfJs('optional content');
    const subtype = nameOf(this.objects.resolve(dict.get('Subtype')));
    if (subtype === 'Image') {
      // A stencil mask painted with a pattern is a picture drawn through it, not a plain image.
      if (state.fill === undefined && this.objects.resolve(dict.get('ImageMask')) === true) this.drawsOther = true;
      this.images.push({ ctm: state.ctm });
      return;
    }
    if (subtype !== 'Form' || depth >= MAX_FORM_DEPTH) throw new LeaveToPdfJs('XObject');
    const content = decodeStream(xobject.stream, this.objects);
    const matrix = this.objects.resolve(dict.get('Matrix'));
    if (!content) throw new LeaveToPdfJs('form content');
    let ctm = state.ctm;
    if (matrix !== undefined) {
      if (!Array.isArray(matrix) || matrix.length !== 6 || !matrix.every((n: PdfValue) => typeof n === 'number')) throw new LeaveToPdfJs('form matrix');
      ctm = compose(ctm, matrix as unknown as Matrix);
    }
    // A transparency group is drawn as a group by pdf.js: painted, but not as plain paths.
    if (dict.has('Group')) this.drawsOther = true;
    const own = this.objects.resolve(dict.get('Resources'));
    this.run(content, isDict(own) ? own : resources, { ...state, ctm }, depth + 1);
  }
}

/**
 * Extends the bounds through `point` with the extremes of a cubic Bézier curve (its end points and
 * where its derivative is zero), as pdf.js bounds a curve.
 */
function bezierBounds(
  x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, x3: number, y3: number,
  point: (x: number, y: number) => void,
): void {
  point(x0, y0);
  point(x3, y3);
  const at = (t: number, p0: number, p1: number, p2: number, p3: number): number => {
    const u = 1 - t;
    return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
  };
  for (const t of [...extremes(x0, x1, x2, x3), ...extremes(y0, y1, y2, y3)]) {
    point(at(t, x0, x1, x2, x3), at(t, y0, y1, y2, y3));
  }
}

/** Parameters in (0, 1) where one coordinate of a cubic Bézier curve has a zero derivative. */
function extremes(p0: number, p1: number, p2: number, p3: number): number[] {
  const a = -p0 + 3 * p1 - 3 * p2 + p3;
  const b = 2 * (p0 - 2 * p1 + p2);
  const c = p1 - p0;
  const roots: number[] = [];
  if (Math.abs(a) < 1e-12) {
    if (Math.abs(b) > 1e-12) roots.push(-c / b);
  } else {
    const disc = b * b - 4 * a * c;
    if (disc >= 0) {
      const s = Math.sqrt(disc);
      roots.push((-b + s) / (2 * a), (-b - s) / (2 * a));
    }
  }
  return roots.filter((t) => t > 0 && t < 1);
}
