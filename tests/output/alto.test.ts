import { describe, expect, it } from 'vitest';
import { altoPath, serialiseAlto, stringBoxes } from '../../src/output/alto.js';
import { sampleDocument } from './sample-document.js';
import { ALTO_XSD, xmllint } from './xmllint.js';
import { expectAltoMatchesJson } from './read-alto.js';

describe('ALTO 4.4', () => {
  const doc = sampleDocument();
  // The hand-built sample abridges its body block's lines; make the article say what the lines say.
  doc.articles[0]!.paragraphs = ['本报讯 近年来，新荣区坚持党建引领，围绕优化组织体系、强化队伍建设、'];
  doc.articles[1]!.captions = ['武汉东湖景象(12月1日摄,无人机照片)。 新华社记者 程敏摄'];
  const page = doc.pages[0]!;
  const xml = serialiseAlto(doc, page);

  it('validates against the official schema (xmllint, offline)', () => {
    const result = xmllint(ALTO_XSD, { text: xml });
    expect(result.messages).toMatch(/validates/u);
    expect(result.ok).toBe(true);
  });

  it('a broken ALTO fails the same check', () => {
    const broken = xml.replace('<MeasurementUnit>pixel</MeasurementUnit>', '<MeasurementUnit>furlong</MeasurementUnit>');
    expect(xmllint(ALTO_XSD, { text: broken }).ok).toBe(false);
  });

  it('reads back each article in reading order with the JSON text and boxes', () => {
    expectAltoMatchesJson(doc, new Map([[page.number, xml]]));
  });

  it('carries processing steps, software and parameters from pipeline, WC from line confidence', () => {
    expect(xml).toContain('<softwareName>tesseract.js</softwareName>');
    expect(xml).toContain('<softwareVersion>7.0.0</softwareVersion>');
    expect(xml).toContain('binarise=sauvola');
    expect(xml).toMatch(/<String CONTENT="大同日报" HPOS="200" VPOS="210" WIDTH="1962" HEIGHT="494" WC="0.97"\/>/u);
    expect(xml).toMatch(/<Illustration ID="p1b5" TAGREFS="tag-photo" HPOS="2094"/u);
    expect(altoPath(3)).toBe('alto/page-3.xml');
  });

  it('shares a line box out over its runs and the spaces between them', () => {
    const runs = stringBoxes({ text: 'ab c', bbox: [100, 10, 40, 8], confidence: 0.5 });
    expect(runs.map((r) => [r.text, r.bbox])).toEqual([
      ['ab', [100, 10, 20, 8]],
      [' ', [120, 10, 10, 8]],
      ['c', [130, 10, 10, 8]],
    ]);
  });

  it('escapes markup in text', () => {
    const odd = sampleDocument();
    odd.pages[0]!.blocks[1]!.lines[0]!.text = 'A&B <x> "q"';
    const out = serialiseAlto(odd, odd.pages[0]!);
    expect(out).toContain('CONTENT="A&amp;B"');
    expect(out).toContain('CONTENT="&lt;x&gt;"');
    expect(out).toContain('CONTENT="&quot;q&quot;"');
    expect(xmllint(ALTO_XSD, { text: out }).ok).toBe(true);
  });
});
