/**
 * A born-digital page's vectors read from its content stream are what pdf.js's operator list says
 * (read by scanPageContent), and anything the reader does not take is left to pdf.js.
 */
import { describe, expect, it } from 'vitest';
import { readPageVectors } from '../../src/stages/rasterise/page-vectors.js';
import { PdfObjects } from '../../src/stages/rasterise/pdf-objects.js';
import { PdfRef, isDict, nameOf } from '../../src/stages/rasterise/pdf-syntax.js';
import { HELVETICA, makePdf, type PdfPage } from '../support/make-pdf.js';
import { bothReadings } from './helpers.js';

const GRAY_2X2 = { width: 2, height: 2, data: Uint8Array.of(0, 255, 255, 0) };
const MASK_8X1 = { width: 8, height: 1, imageMask: true, data: Uint8Array.of(0xf0) };

function page(content: string, extra: Partial<PdfPage> = {}): Uint8Array {
  return makePdf([{ width: 600, height: 800, content, fonts: { F1: HELVETICA }, images: { Im0: GRAY_2X2, Mk0: MASK_8X1 }, ...extra }]);
}

/** The first page object of a makePdf document. */
function firstPageRef(bytes: Uint8Array): PdfRef {
  const objects = new PdfObjects(bytes);
  for (let num = 1; num < 50; num++) {
    const value = objects.resolve(new PdfRef(num, 0));
    if (isDict(value) && nameOf(value.get('Type')) === 'Page') return new PdfRef(num, 0);
  }
  throw new Error('no page');
}

describe('readPageVectors', () => {
  it.each([
    ['rules in gray and RGB, filled and stroked', '0 g 40 740 520 1.5 re f 0.2 0.4 0.6 rg 315 420 1 300 re f 0.5 G 2 w 10 10 100 50 re S 1 0 0 RG 0 0 m 50 60 l s'],
    ['colour set through colour spaces', '/DeviceRGB cs 0.9 0.1 0.1 sc 10 10 20 20 re f /DeviceGray CS 0.3 SC 5 5 m 80 5 l S 0.7 0.7 0.2 scn 1 1 5 5 re f'],
    ['curves of all three kinds', '0 g 100 100 m 150 200 250 0 300 100 c 350 150 400 50 v 450 100 500 300 y f'],
    ['nested transforms and a clip that paints nothing', 'q 2 0 0 2 10 20 cm q 0.5 0.5 -0.5 0.5 0 0 cm 0 0 100 10 re f Q 10 10 50 50 re W n 0 0 30 30 re f Q 5 5 5 5 re f'],
    ['images and a stencil mask under transforms', 'q 200 0 0 100 50 60 cm /Im0 Do Q q 0 100 -100 0 300 300 cm /Mk0 Do Q'],
    ['visible and invisible text', 'BT /F1 12 Tf 3 Tr 10 10 Td (hidden) Tj ET'],
    ['visible text', 'BT /F1 12 Tf 10 10 Td (shown) Tj T* [(a) 120 (b)] TJ (c) \' 1 2 (d) " ET'],
    ['a page that paints nothing', ''],
  ])('reads %s as pdf.js does', async (_, content) => {
    const { pdfJs, ours } = await bothReadings(page(content));
    expect(ours).toEqual(pdfJs);
  });

  it('reads into forms, with their matrix and transparency groups, as pdf.js does', async () => {
    const forms = {
      Fm0: { content: '0 g 0 0 100 20 re f q 50 0 0 50 0 30 cm /Im0 Do Q', matrix: '1 0 0 1 200 300' },
      Fm1: { content: '0.2 g 10 10 10 10 re f', group: true },
    };
    const { pdfJs, ours } = await bothReadings(page('q 2 0 0 2 0 0 cm /Fm0 Do Q /Fm1 Do', { forms }));
    expect(pdfJs.paths).toHaveLength(2);
    expect(pdfJs.images).toHaveLength(1);
    expect(ours).toEqual(pdfJs);
  });

  it.each([
    ['CMYK colour', '0 0 0 1 k 10 10 50 50 re f'],
    ['an inline image', 'q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q'],
    ['optional content', '/OC /L1 BDC 10 10 50 50 re f EMC'],
    ['an unknown colour space', '/CS9 cs 1 sc 10 10 5 5 re f'],
    ['an unknown operator', '10 10 5 5 re f 1 2 frob'],
    ['a missing XObject', '/Nope Do'],
  ])('leaves %s to pdf.js', (_, content) => {
    const bytes = page(content);
    expect(readPageVectors(new PdfObjects(bytes), firstPageRef(bytes))).toHaveProperty('declined');
    // The same page without it is read.
    expect(readPageVectors(new PdfObjects(page('')), firstPageRef(page('')))).not.toHaveProperty('declined');
  });
});
