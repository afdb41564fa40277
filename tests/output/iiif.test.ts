import { describe, expect, it } from 'vitest';
import { iiifManifest } from '../../src/output/iiif.js';
import { sampleDocument } from './sample-document.js';
import { iiifProblems } from './iiif-rules.js';

describe('IIIF Presentation 3 manifest', () => {
  const doc = sampleDocument();
  const manifest = iiifManifest(doc, 'https://images.example.org/iiif/');

  it('keeps the Presentation 3 rules', () => {
    expect(iiifProblems(manifest)).toEqual([]);
  });

  it('has a canvas per page at its pixel size and one supplementing annotation per article', () => {
    const canvas = manifest.items[0]!;
    expect([canvas.width, canvas.height]).toEqual([4133, 5904]);
    expect(canvas.items[0]!.items[0]!.body.id).toBe('https://images.example.org/iiif/daily-2023-12-02-p1/page-1.png');
    const annotations = canvas.annotations[0]!.items;
    expect(annotations.map((a) => a.motivation)).toEqual(['supplementing', 'supplementing']);
    expect(annotations[0]!.target).toBe(`${canvas.id}#xywh=177,892,1631,2461`);
    expect(annotations[0]!.body.value).toContain('本报讯 近年来');
  });

  it('the rules catch a target outside its canvas and a missing id', () => {
    const broken = structuredClone(manifest);
    broken.items[0]!.annotations[0]!.items[0]!.target = `${broken.items[0]!.id}#xywh=4000,5800,500,500`;
    broken.items[0]!.id = 'canvas-1';
    const problems = iiifProblems(broken);
    expect(problems.some((p) => p.includes('not inside'))).toBe(true);
    expect(problems.some((p) => p.includes('http(s) URI'))).toBe(true);
  });
});
