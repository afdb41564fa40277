/**
 * A scanned page's one image as the page: whether the image is the whole page, and the decoded
 * image turned into the page raster at its own resolution. Shared by the two ways an image is
 * decoded (natively, page-jpeg.ts; by pdf.js, pdfjs-image.ts), so both give the same raster.
 */
import type { GrayImage } from '../../image/gray-image.js';
import { deriveDpi } from './dpi.js';
import { rotateGray, type QuarterTurns } from './gray.js';
import type { ResolvedOptions } from './options.js';
import { IDENTITY, apply, compose, invert, type Matrix } from './text-layer.js';
import type { DpiSource } from './types.js';

/** Share of the page (and of the image) the one image must cover to be taken as the page. */
const MIN_COVERAGE = 0.9;

/** A page raster before it is handed out, with what the text layer needs to follow it. */
export interface Raster {
  readonly image: GrayImage;
  readonly origin: 'embedded-image' | 'rendered';
  readonly dpiSource: DpiSource;
  /** PDF user space to the pixels of `image`, for the text layer. */
  readonly userToPixel: Matrix;
}

/** The page as placed: its box, user unit and /Rotate (a pdf.js page has all three). */
export interface PageGeometry {
  readonly view: readonly number[];
  readonly userUnit: number;
  readonly rotate: number;
}

/** Axis-aligned bounds of the unit square under `m`. */
export function unitSquareBounds(m: Matrix): [number, number, number, number] {
  const pts = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * The page's one image when it is the whole page: upright (no rotation, no mirroring in the
 * placement) and overlapping the page box by at least 90 % of both areas.
 */
export function findPageImage<Image extends { readonly ctm: Matrix }>(
  content: { readonly images: readonly Image[]; readonly drawsOther: boolean },
  view: readonly number[],
): Image | undefined {
  if (content.drawsOther || content.images.length !== 1) return undefined;
  const image = content.images[0] as Image;
  const [a, b, c, d] = image.ctm;
  const tilt = Math.max(Math.abs(b), Math.abs(c));
  if (!(a > 0 && d > 0) || tilt > 1e-3 * Math.max(a, d)) return undefined;
  const [vx0, vy0, vx1, vy1] = view as [number, number, number, number];
  const [ix0, iy0, ix1, iy1] = unitSquareBounds(image.ctm);
  const overlap = Math.max(0, Math.min(vx1, ix1) - Math.max(vx0, ix0)) * Math.max(0, Math.min(vy1, iy1) - Math.max(vy0, iy0));
  const pageArea = (vx1 - vx0) * (vy1 - vy0);
  const imageArea = (ix1 - ix0) * (iy1 - iy0);
  if (pageArea <= 0 || imageArea <= 0) return undefined;
  return overlap >= MIN_COVERAGE * pageArea && overlap >= MIN_COVERAGE * imageArea ? image : undefined;
}

function normaliseRotation(rotate: number): QuarterTurns {
  const r = (((Math.round(rotate / 90) * 90) % 360) + 360) % 360;
  return r as QuarterTurns;
}

/** Clockwise page rotation as a pixel map for a `width` x `height` raster before rotation. */
function rotationMatrix(rotate: QuarterTurns, width: number, height: number): Matrix {
  switch (rotate) {
    case 90:
      return [0, 1, -1, 0, height, 0];
    case 180:
      return [-1, 0, 0, -1, width, height];
    case 270:
      return [0, -1, 1, 0, 0, width];
    default:
      return IDENTITY;
  }
}

/** The page's one image, decoded to gray, as the page raster: at its own resolution, turned by /Rotate. */
export function placePageImage(
  page: PageGeometry,
  gray: { readonly width: number; readonly height: number; readonly data: Uint8Array },
  ctm: Matrix,
  options: ResolvedOptions,
): Raster {
  const unit = page.userUnit || 1;
  const placed = { width: Math.hypot(ctm[0], ctm[1]) * unit, height: Math.hypot(ctm[2], ctm[3]) * unit };
  const derived = deriveDpi(placed, gray, Number.NaN);
  const dpi = Number.isNaN(derived) ? options.renderDpi : derived;
  const rotate = normaliseRotation(page.rotate);
  const rotated = rotateGray(gray.data, gray.width, gray.height, rotate);
  // User space -> image unit square -> pixels (row 0 at the top) -> the page's /Rotate.
  const unitToPixel: Matrix = [gray.width, 0, 0, -gray.height, 0, gray.height];
  const userToPixel = compose(rotationMatrix(rotate, gray.width, gray.height), compose(unitToPixel, invert(ctm)));
  return {
    image: { width: rotated.width, height: rotated.height, data: rotated.data, dpi },
    origin: 'embedded-image',
    dpiSource: Number.isNaN(derived) ? 'default' : 'page-size',
    userToPixel,
  };
}
