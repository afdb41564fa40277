/**
 * The JSON contract downstream systems read. Versioned by SCHEMA_VERSION; the JSON Schema in
 * schema/document.schema.json describes the same shape and every test output is validated against it.
 */
import type { BBox } from '../image/gray-image.js';
import type { ObjectAccess, RasterPath } from '../stages/rasterise/types.js';

export const SCHEMA_VERSION = '1.2.0';

export type TextSource = 'ocr' | 'pdf';

export type BlockType =
  | 'headline'
  | 'subheadline'
  | 'section'
  | 'author'
  | 'byline'
  | 'body'
  | 'caption'
  | 'photo'
  | 'jump'
  | 'furniture';

export type FurnitureRole = 'newspaper' | 'date' | 'page' | 'section' | 'folio' | 'ad';

export interface LineJson {
  text: string;
  bbox: BBox;
  /** 0..1 */
  confidence: number;
}

export interface BlockJson {
  id: string;
  type: BlockType;
  /** `vertical-rl` when the block's text runs top to bottom, columns right to left (竖排); its lines are then glyph cells. Absent for horizontal text and in outputs before schema 1.2.0. */
  writingMode?: 'vertical-rl';
  bbox: BBox;
  lines: LineJson[];
}

export interface FurnitureJson {
  role: FurnitureRole;
  text: string;
  bbox: BBox;
  blockIds: string[];
}

export interface PageJson {
  number: number;
  /** The page number printed on the page (第N版), when found. */
  printedPage?: number;
  widthPx: number;
  heightPx: number;
  dpi: number;
  skewDeg: number;
  textSource: TextSource;
  /** OCR pages: the engine that read the page (`--engine`: tesseract, paddle); absent for text-layer pages and in outputs before schema 1.1.0. */
  engine?: string;
  /** Mean line confidence 0..1 over the page's text. */
  meanConfidence: number;
  columns: number;
  blocks: BlockJson[];
  furniture: FurnitureJson[];
  /** How the page's pixels were made (the rasterise stage's path); absent in outputs of older versions. */
  raster?: PageRasterJson;
}

/** The path the rasterise stage took for a page (see RasterProvenance in src/stages/rasterise/types.ts). */
export interface PageRasterJson {
  path: RasterPath;
  /** PDF pages: how the file's objects were read to choose the path. */
  objects?: ObjectAccess;
  /** Why the cross-reference data was not used, or why the fast paths left the page to pdf.js. */
  reason?: string;
}

export type ArticleKind = 'article' | 'photo';

export interface ArticleJson {
  id: string;
  /** Newspaper page it starts on: the printed page number when known, else the page's position. */
  page: number;
  /** Position (1-based) in the document of the page it starts on. */
  pageIndex: number;
  /** Every newspaper page it is printed on, in order (more than one when a jump was joined). */
  pages: number[];
  kind: ArticleKind;
  /** Position in the page's reading order, 1-based. */
  order: number;
  section?: string;
  headline?: string;
  subheadline?: string;
  byline?: string;
  authors: string[];
  paragraphs: string[];
  captions: string[];
  continuedOn?: number;
  continuedFrom?: number;
  /**
   * A joined jump only: what of it was printed on which page, in order (the first `paragraphs` of
   * `paragraphs[]` and the first `captions` of `captions[]` are the first part's, and so on).
   */
  parts?: ArticlePartJson[];
  bbox: BBox;
  blockIds: string[];
  /** Mean confidence 0..1 of the article's lines. */
  confidence: number;
}

/** One page's part of an article joined across a jump. */
export interface ArticlePartJson {
  page: number;
  pageIndex: number;
  paragraphs: number;
  captions: number;
}

export interface SourceJson {
  uri: string;
  bytes: number;
  sha256: string;
  etag?: string;
}

export interface PipelineJson {
  name: 'newsprint';
  version: string;
  /** PIPELINE_REVISION in src/version.ts: newsprint's own output-making code. */
  revision: number;
  /** sha256 of revision, engine and the output-changing parameters (src/pipeline/fingerprint.ts). */
  fingerprint: string;
  engine: { name: string; version: string; core: string; model: string; modelVersion: string };
  parameters: Record<string, string | number | boolean>;
}

export interface DocumentJson {
  schemaVersion: string;
  documentId: string;
  source: SourceJson;
  pipeline: PipelineJson;
  pages: PageJson[];
  articles: ArticleJson[];
}

/** Whose fault a failure was (Fault in src/errors.ts). */
export type FaultJson = 'input' | 'infrastructure' | 'engine' | 'bug';

export interface ErrorJson {
  schemaVersion: string;
  documentId: string;
  source: { uri: string; bytes?: number; sha256?: string };
  stage: string;
  reason: string;
  fault: FaultJson;
  /** Failed tries counted for these bytes and this pipeline; the same number as in _state. */
  attempts: number;
  /** The nightly run will not try it again (see README, Failures). Absent from `ingest`. */
  givenUp?: boolean;
  /** Which pipeline failed. */
  pipeline?: { version: string; revision: number; fingerprint: string };
  failedAt: string;
}
