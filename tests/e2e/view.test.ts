/**
 * The viewer in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
 * a sample ingested for real, the view server on a free 127.0.0.1 port, the page loads, shows an
 * article box per article of the page, clicking article 2 highlights its blocks, no console errors;
 * the screenshot is kept in test-artifacts/viewer.png. Then the static report of the same output.
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSource } from '../../src/cli/inspect.js';
import { createProgress } from '../../src/cli/progress.js';
import { silentLogger } from '../../src/logger.js';
import type { DocumentJson } from '../../src/output/types.js';
import { runIngest } from '../../src/pipeline/ingest.js';
import { openCatalog } from '../../src/view/catalog.js';
import { createPageImages } from '../../src/view/page-image.js';
import { buildReport } from '../../src/view/report.js';
import { startViewServer, type ViewServer } from '../../src/view/server.js';

const SAMPLE = new URL('../../samples/daily-2023-12-02-p1.pdf', import.meta.url).pathname;
const GT = new URL('../../samples/gt', import.meta.url).pathname;
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

let out = '';
let doc: DocumentJson;
let server: ViewServer;
let browser: Browser;

describe('newsprint view in headless Chromium', () => {
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'newsprint-view-'));
    const report = await runIngest({ inputs: [SAMPLE], out, workers: 2, logger: silentLogger, progress: createProgress({ isTTY: false, logger: silentLogger }) });
    expect(report.ok).toBe(true);
    const id = report.documents[0]!.documentId;
    doc = JSON.parse(await readFile(path.join(out, id, 'document.json'), 'utf8')) as DocumentJson;
    server = await startViewServer(openCatalog(out, GT), createPageImages((uri) => readSource(uri, undefined)), { port: 0, logger: silentLogger });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('listens on 127.0.0.1 on a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
  });

  it('shows the page with its article boxes; clicking article 2 highlights its blocks', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => void problems.push(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    // A string: the test is type-checked without the DOM library.
    await page.waitForFunction('(() => { const img = document.getElementById("page-image"); return img.complete && img.naturalWidth > 0; })()', undefined, { timeout: 60_000 });

    const onPage = doc.articles.filter((a) => a.pageIndex === 1);
    expect(await page.locator('#overlay rect.article').count()).toBe(onPage.length);
    expect(await page.locator('#articles li').count()).toBe(onPage.length);

    const second = onPage.find((a) => a.order === 2)!;
    await page.locator('#articles li').nth(1).click();
    const highlighted = await page.locator('#overlay rect.block.active').evaluateAll((rects) => rects.map((r) => r.getAttribute('data-block')));
    expect(highlighted.sort()).toEqual([...second.blockIds].sort());
    expect(await page.locator('#articles li.active').getAttribute('data-article')).toBe(second.id);

    // And the other way round: a click on article 1's box highlights its text.
    const first = onPage.find((a) => a.order === 1)!;
    await page.locator(`#overlay rect.article[data-article="${first.id}"]`).click({ position: { x: 20, y: 40 } });
    expect(await page.locator('#articles li.active').getAttribute('data-article')).toBe(first.id);

    await page.locator('#articles li').nth(1).click();
    expect(await page.locator('#scores table').count()).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'viewer.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('the static report shows the same without a server', async () => {
    const html = await buildReport(openCatalog(out, GT), createPageImages((uri) => readSource(uri, undefined)));
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'report.html');
    await writeFile(file, html);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => void problems.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.locator('#overlay rect.article').count()).toBe(doc.articles.filter((a) => a.pageIndex === 1).length);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
