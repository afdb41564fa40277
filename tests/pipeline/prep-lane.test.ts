/**
 * Pages in flight prepare (rasterise, preprocess, layout) one at a time in the run's lane, and the
 * OCR of one page overlaps the preparation of the next.
 */
import { describe, expect, it } from 'vitest';
import { pageLanes } from '../../src/pipeline/page-lanes.js';
import { processPage } from '../../src/pipeline/page-job.js';
import type { PageRaster, PageSource } from '../../src/stages/rasterise/index.js';
import { FakeRecognizer } from '../support/fake-recognizer.js';
import { drawSyntheticPage } from '../support/synthetic-page.js';

const page = drawSyntheticPage({ gridColumns: 4, rows: [{ slots: [{ span: 2, blocks: [{}] }, { span: 2, blocks: [{}] }] }] });

/** A one-page document per id; counts how many renders run at once across all of them. */
function documents(count: number): { docs: PageSource[]; maxConcurrent: () => number } {
  let running = 0;
  let max = 0;
  const docs = Array.from({ length: count }, (): PageSource => ({
    kind: 'png',
    pageCount: 1,
    async renderPage(pageNumber): Promise<PageRaster> {
      running++;
      max = Math.max(max, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return { pageNumber, image: page.image, origin: 'image-file', dpiSource: 'metadata', provenance: { path: 'image-file' } };
    },
    async close() {},
  }));
  return { docs, maxConcurrent: () => max };
}

describe('the preparation lane', () => {
  it('lets one page prepare at a time, and all pages still finish', async () => {
    const { prepLane } = pageLanes(2);
    const { docs, maxConcurrent } = documents(3);
    const recognizer = new FakeRecognizer();
    const prepare = <T>(work: () => Promise<T>): Promise<T> => prepLane.add(work) as Promise<T>;
    const results = await Promise.all(
      docs.map((document, i) => processPage({ documentId: `d${i}`, sourceUri: `d${i}`, pageNumber: 1 }, { document, recognizer, prepare })),
    );
    expect(maxConcurrent()).toBe(1);
    expect(results.map((r) => r.documentId)).toEqual(['d0', 'd1', 'd2']);
    for (const r of results) expect(r.articles.length).toBeGreaterThan(0);
  });

  it('without a lane, pages prepare side by side', async () => {
    const { docs, maxConcurrent } = documents(3);
    const recognizer = new FakeRecognizer();
    await Promise.all(docs.map((document, i) => processPage({ documentId: `d${i}`, sourceUri: `d${i}`, pageNumber: 1 }, { document, recognizer })));
    expect(maxConcurrent()).toBe(3);
  });
});
