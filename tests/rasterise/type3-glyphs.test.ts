/**
 * Type 3 glyph programs are left out of the copy pdf.js reads text and vectors from: the text layer
 * stays the same, and a page that is drawn still shows its glyphs.
 */
import { describe, expect, it } from 'vitest';
import { openPdf } from '../../src/stages/rasterise/pdf.js';
import { PdfObjects } from '../../src/stages/rasterise/pdf-objects.js';
import { PdfRef, isDict } from '../../src/stages/rasterise/pdf-syntax.js';
import { withoutType3Glyphs } from '../../src/stages/rasterise/type3-glyphs.js';
import { HELVETICA, makePdf, type3Hex } from '../support/make-pdf.js';
import { inkShare } from './helpers.js';

const CHARS = '报社新闻'.split('');
const text = (font: string, content: string): Uint8Array =>
  makePdf([{ width: 200, height: 100, content, fonts: { F1: `${font}:${CHARS.join('|')}` } }]);
const SHOW_ALL = `BT /F1 20 Tf 20 40 Td ${type3Hex([1, 2, 3, 4])} Tj ET`;

/** The glyph dictionary of the document's Type 3 font, as the copy has it. */
function glyphKeys(bytes: Uint8Array): string[] {
  const objects = new PdfObjects(bytes);
  for (let num = 1; num < 40; num++) {
    const font = objects.resolve(new PdfRef(num, 0));
    if (isDict(font) && font.has('CharProcs')) {
      const procs = objects.resolve(font.get('CharProcs'));
      return isDict(procs) ? [...procs.keys()] : [];
    }
  }
  throw new Error('no Type 3 font');
}

describe('withoutType3Glyphs', () => {
  it.each(['type3', 'type3-ref'])('empties the glyph dictionary in place (%s), keeping every offset', (kind) => {
    const bytes = text(kind, SHOW_ALL);
    expect(glyphKeys(bytes)).toHaveLength(4);
    const copy = withoutType3Glyphs(bytes, new PdfObjects(bytes));
    expect(copy).toBeDefined();
    expect(copy!.length).toBe(bytes.length);
    expect(glyphKeys(copy!)).toEqual([]);
    // Nothing but the glyph dictionary changed, and the original is left as it was.
    const changed = [...copy!].flatMap((b, i) => (b !== bytes[i] ? [i] : []));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((i) => copy![i] === 0x20)).toBe(true);
    expect(glyphKeys(bytes)).toHaveLength(4);
  });

  it('gives nothing for a document without Type 3 fonts', () => {
    const bytes = makePdf([{ width: 200, height: 100, content: 'BT /F1 12 Tf 10 10 Td (Hi) Tj ET', fonts: { F1: HELVETICA } }]);
    expect(withoutType3Glyphs(bytes, new PdfObjects(bytes))).toBeUndefined();
  });

  it('reads the same text layer as the file as given', async () => {
    const bytes = text('type3', SHOW_ALL);
    const sketched = await openPdf(bytes, { renderDpi: 150 });
    const rendered = await openPdf(bytes, { renderDpi: 150, pageMode: 'render' });
    const a = await sketched.renderPage(1, { textLayerRender: { dpi: 150, minChars: 1 } });
    const b = await rendered.renderPage(1);
    expect(a.origin).toBe('vector-sketch');
    expect(b.origin).toBe('rendered');
    expect(a.textLayer?.map((t) => t.text).join('')).toBe(CHARS.join(''));
    expect(a.textLayer).toEqual(b.textLayer);
    await Promise.all([sketched.close(), rendered.close()]);
  });

  it('draws the glyphs of a page that is rendered', async () => {
    // Too little text to be sketched: the page is drawn, from the file with its glyph programs.
    const doc = await openPdf(text('type3', SHOW_ALL), { renderDpi: 150 });
    const page = await doc.renderPage(1, { textLayerRender: { dpi: 150, minChars: 100 } });
    expect(page.origin).toBe('rendered');
    // Four filled squares of 18 x 18 points on a 200 x 100 page.
    expect(inkShare(page.image)).toBeGreaterThan(0.05);
    await doc.close();
  });
});
