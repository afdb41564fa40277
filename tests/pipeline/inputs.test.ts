/** Inputs named on the command line and found in folders, with stable, distinct document ids. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInputs } from '../../src/pipeline/inputs.js';

async function tree(files: string[]): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'newsprint-inputs-'));
  for (const f of files) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), '%PDF-1.4\n');
  }
  return root;
}

describe('resolveInputs', () => {
  it('names a file by its base name, and two files of the same name by folder and name', async () => {
    const root = await tree(['office/issue.pdf', 'archive/issue.pdf', 'single.pdf']);
    const set = await resolveInputs([path.join(root, 'office/issue.pdf'), path.join(root, 'archive/issue.pdf'), path.join(root, 'single.pdf')]);
    expect(set.documents.map((d) => d.documentId)).toEqual(['office__issue', 'archive__issue', 'single']);
    await set.dispose();
  });

  it('walks folders for scans only, keeping image extensions in the id', async () => {
    const root = await tree(['a/p1.pdf', 'a/p2.tif', 'a/notes.txt', 'b/c/p3.JPG']);
    const set = await resolveInputs([root]);
    expect(set.documents.map((d) => d.documentId)).toEqual(['a__p1', 'a__p2-tif', 'b__c__p3-jpg']);
    await set.dispose();
  });

  it('refuses no input and a missing one with a clear message', async () => {
    await expect(resolveInputs([])).rejects.toThrow(/no input/);
    await expect(resolveInputs(['/no/such/file.pdf'])).rejects.toThrow(/input not found/);
  });
});
