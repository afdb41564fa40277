/**
 * Small generated scans for run tests: multi-page PDFs whose pages are synthetic newspaper pages
 * (one full-page gray image each, as a scanner writes them), different for every seed. A page
 * takes ~0.3 s through the pipeline with the fake recogniser.
 */
import { drawSyntheticPage, type SyntheticBlockSpec, type SyntheticPageSpec } from './synthetic-page.js';
import { flate, makePdf, type PdfPage } from './make-pdf.js';

function pageSpec(seed: number): SyntheticPageSpec {
  const story = (lines: number, extra: Partial<SyntheticBlockSpec> = {}): SyntheticBlockSpec => ({ linesPerColumn: lines, columns: 1, paragraphLines: 2, ...extra });
  const a = 3 + (seed % 3);
  const b = 3 + ((seed >> 1) % 3);
  return {
    gridColumns: 2,
    width: 1000,
    rows: [
      {
        slots: [
          { span: 1, blocks: [story(a, { headlineGlyphs: 2 + (seed % 2), paragraphLines: 1 + (seed % 3) })] },
          { span: 1, blocks: [story(b, { headlineGlyphs: 2 + ((seed >> 2) % 2) })] },
        ],
      },
    ],
  };
}

/** One scanned page: the synthetic page as a Flate image filling an A-series-like page. */
function scanPage(seed: number): PdfPage {
  const { image } = drawSyntheticPage(pageSpec(seed));
  const w = (image.width * 72) / 300;
  const h = (image.height * 72) / 300;
  return {
    width: w,
    height: h,
    content: `q ${w} 0 0 ${h} 0 0 cm /Im1 Do Q`,
    images: { Im1: { width: image.width, height: image.height, filter: 'FlateDecode', data: flate(image.data) } },
  };
}

/** A PDF of `pages` scanned pages; the same (seed, pages) always gives the same bytes. */
export function scanPdf(seed: number, pages: number): Uint8Array {
  return makePdf(Array.from({ length: pages }, (_, i) => scanPage(seed * 31 + i)));
}

export interface ScanSet {
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly pages: number;
}

/** `count` documents named `<prefix>issue-NN.pdf` with 1..maxPages pages. */
export function scanSet(count: number, options: { prefix?: string; maxPages?: number; seed?: number } = {}): ScanSet[] {
  const maxPages = options.maxPages ?? 3;
  return Array.from({ length: count }, (_, i) => {
    const pages = 1 + ((i + (options.seed ?? 0)) % maxPages);
    const seed = (options.seed ?? 0) * 1000 + i + 1;
    return { key: `${options.prefix ?? ''}issue-${String(i + 1).padStart(2, '0')}.pdf`, bytes: scanPdf(seed, pages), pages };
  });
}
