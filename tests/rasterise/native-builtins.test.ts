/** Loading pdf.js (its legacy build carries core-js) leaves the process's own push and JSON alone. */
import { describe, expect, it } from 'vitest';
import { openPdf } from '../../src/stages/rasterise/pdf.js';
import { flate, makePdf, testPattern } from '../support/make-pdf.js';

// Taken before pdf.js is loaded. (core-js makes its replacements print as "[native code]".)
const natives = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };

describe('after pdf.js is loaded and has read a page', () => {
  it('Array.prototype.push, JSON.parse and JSON.stringify are still the engine\'s own', async () => {
    const pdf = makePdf([
      { width: 72, height: 72, content: 'q 72 0 0 72 0 0 cm /Im0 Do Q', images: { Im0: { width: 64, height: 64, filter: 'FlateDecode', data: flate(testPattern(64, 64)) } } },
    ]);
    const doc = await openPdf(pdf);
    try {
      const page = await doc.renderPage(1);
      expect(page.image.width).toBe(64);
    } finally {
      await doc.close();
    }
    expect(Array.prototype.push).toBe(natives.push);
    expect(JSON.parse).toBe(natives.parse);
    expect(JSON.stringify).toBe(natives.stringify);
    // ...while what Node 20 lacks and pdf.js uses is still there.
    expect(typeof (Promise as { try?: unknown }).try).toBe('function');
  });
});
