/**
 * What a page paints, read from pdf.js's operator list: where each image is placed (and how a
 * stencil mask is coloured), the bounds of painted paths, and whether anything else is painted.
 * The way every page can take; page-vectors.ts reads the same from the content stream, cheaper,
 * for the pages it understands.
 */
import { lumaOf } from './gray.js';
import type { PdfJsModule } from './pdfjs-load.js';
import type { SketchArea } from './sketch.js';
import { IDENTITY, apply, compose, type Matrix } from './text-layer.js';

export interface ImageOp {
  /** Object id in page.objs / commonObjs, or null for an inline image handed over in `inline`. */
  readonly objId: string | null;
  readonly inline: PdfImageObject | null;
  readonly isMask: boolean;
  /** Gray level a mask paints with (0 = black). */
  readonly maskFill: number;
  /** Maps the image's unit square to user space. */
  readonly ctm: Matrix;
}

export interface PageContent {
  readonly images: readonly ImageOp[];
  readonly paths: readonly SketchArea[];
  /** Anything painted besides images: visible text, paths, shadings, groups, unknown operators. */
  readonly drawsOther: boolean;
}

/** What pdf.js hands over for a decoded image. */
export interface PdfImageObject {
  readonly width: number;
  readonly height: number;
  readonly kind?: number;
  readonly data?: Uint8Array | Uint8ClampedArray | null;
  readonly bitmap?: unknown;
}

/** `#rrggbb` to gray; undefined for anything else. */
function cssColorToGray(color: unknown): number | undefined {
  if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return undefined;
  const v = Number.parseInt(color.slice(1), 16);
  return lumaOf((v >> 16) & 255, (v >> 8) & 255, v & 255);
}

/** Walks the operator list keeping the graphics state needed to place images. */
export function scanPageContent(ops: { fnArray: number[]; argsArray: unknown[] }, OPS: PdfJsModule['OPS']): PageContent {
  const neutral = new Set<number>([
    OPS.dependency, OPS.setLineWidth, OPS.setLineCap, OPS.setLineJoin, OPS.setMiterLimit, OPS.setDash,
    OPS.setRenderingIntent, OPS.setFlatness, OPS.setGState, OPS.clip, OPS.eoClip, OPS.beginText,
    OPS.endText, OPS.setCharSpacing, OPS.setWordSpacing, OPS.setHScale, OPS.setLeading, OPS.setFont,
    OPS.setTextRise, OPS.moveText, OPS.setLeadingMoveText, OPS.setTextMatrix, OPS.nextLine,
    OPS.setCharWidth, OPS.setCharWidthAndBounds, OPS.setStrokeColorSpace, OPS.setFillColorSpace,
    OPS.setStrokeColor, OPS.setStrokeColorN, OPS.setFillColor, OPS.setStrokeGray, OPS.setFillGray,
    OPS.setStrokeCMYKColor, OPS.setFillCMYKColor, OPS.markPoint,
    OPS.markPointProps, OPS.beginMarkedContent, OPS.beginMarkedContentProps, OPS.endMarkedContent,
    OPS.beginCompat, OPS.endCompat, OPS.beginAnnotation, OPS.endAnnotation, OPS.setStrokeTransparent,
  ]);
  const showsText = new Set<number>([
    OPS.showText, OPS.showSpacedText, OPS.nextLineShowText, OPS.nextLineSetSpacingShowText,
  ]);

  interface State {
    ctm: Matrix;
    textMode: number;
    fill: number | undefined;
    stroke: number | undefined;
  }
  let state: State = { ctm: IDENTITY, textMode: 0, fill: 0, stroke: 0 };
  const stack: State[] = [];
  const images: ImageOp[] = [];
  const paths: SketchArea[] = [];
  const strokeOps = new Set<number>([OPS.stroke, OPS.closeStroke]);
  let drawsOther = false;

  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i] as number;
    const args = ops.argsArray[i] as unknown[] | null;
    if (neutral.has(fn)) continue;
    switch (fn) {
      case OPS.save:
        stack.push({ ...state });
        break;
      case OPS.restore:
        state = stack.pop() ?? state;
        break;
      case OPS.transform:
        state.ctm = compose(state.ctm, args as unknown as Matrix);
        break;
      case OPS.paintFormXObjectBegin: {
        stack.push({ ...state });
        // pdf.js hands the form's /Matrix over as a typed array (or null for none).
        const matrix = args?.[0] as ArrayLike<number> | null | undefined;
        if (matrix && matrix.length === 6) state.ctm = compose(state.ctm, Array.from(matrix) as unknown as Matrix);
        break;
      }
      case OPS.paintFormXObjectEnd:
        state = stack.pop() ?? state;
        break;
      case OPS.setTextRenderingMode:
        state.textMode = Number(args?.[0] ?? 0);
        break;
      case OPS.setFillRGBColor:
        state.fill = cssColorToGray(args?.[0]);
        break;
      case OPS.setStrokeRGBColor:
        state.stroke = cssColorToGray(args?.[0]);
        break;
      case OPS.setFillColorN:
      case OPS.setFillTransparent:
        state.fill = undefined; // a pattern or no colour: a mask painted with it is not plain ink
        break;
      case OPS.constructPath: {
        // Only a path that merely sets a clip (ends with endPath) paints nothing.
        if (args?.[0] === OPS.endPath) break;
        drawsOther = true;
        const minMax = args?.[2] as ArrayLike<number> | undefined;
        if (minMax && minMax.length >= 4) {
          const corners = [apply(state.ctm, minMax[0]!, minMax[1]!), apply(state.ctm, minMax[2]!, minMax[3]!)];
          const bounds = [
            Math.min(corners[0]![0], corners[1]![0]),
            Math.min(corners[0]![1], corners[1]![1]),
            Math.max(corners[0]![0], corners[1]![0]),
            Math.max(corners[0]![1], corners[1]![1]),
          ] as const;
          const stroked = strokeOps.has(Number(args?.[0]));
          paths.push({ bounds, gray: stroked ? state.stroke : state.fill, stroked });
        }
        break;
      }
      case OPS.paintImageXObject:
        images.push({ objId: String(args?.[0]), inline: null, isMask: false, maskFill: 0, ctm: state.ctm });
        break;
      case OPS.paintInlineImageXObject:
        images.push({ objId: null, inline: args?.[0] as PdfImageObject, isMask: false, maskFill: 0, ctm: state.ctm });
        break;
      case OPS.paintImageMaskXObject: {
        const mask = args?.[0] as { data?: unknown } | undefined;
        if (state.fill === undefined) drawsOther = true;
        images.push({
          objId: typeof mask?.data === 'string' ? mask.data : null,
          inline: typeof mask?.data === 'string' ? null : (mask as PdfImageObject),
          isMask: true,
          maskFill: state.fill ?? 0,
          ctm: state.ctm,
        });
        break;
      }
      default:
        if (showsText.has(fn)) {
          // Modes 3 and 7 are invisible text: the OCR layer laid over a scan.
          if (state.textMode !== 3 && state.textMode !== 7) drawsOther = true;
        } else {
          drawsOther = true; // shadings, image groups and repeats, transparency groups, unknown ops
        }
    }
  }
  return { images, paths, drawsOther };
}

