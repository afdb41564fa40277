/**
 * `newsprint view`'s web server (node:http, bound to 127.0.0.1 only):
 *   /                              the page (viewer.html + css + js)
 *   /api/documents                 the documents of the output
 *   /api/documents/<id>            document.json and eval scores
 *   /<id>/page-N.png[?width=W]     the page raster (./page-image.ts)
 *   /<id>/manifest.json, /<id>/mets.xml, /<id>/alto/page-N.xml   the exports as written
 * The page and manifest paths are those of the IIIF manifest's default base, so a manifest written
 * with the default --iiif-base opens in a IIIF viewer (CORS allowed) while this runs on port 8080.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { readAsset, type AssetName } from './assets.js';
import type { Catalog } from './catalog.js';
import type { PageImages } from './page-image.js';

export interface ViewServer {
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Record<AssetName, string> = {
  'viewer.html': 'text/html; charset=utf-8',
  'viewer.css': 'text/css; charset=utf-8',
  'viewer.js': 'text/javascript; charset=utf-8',
};

export async function startViewServer(catalog: Catalog, images: PageImages, options: { port?: number; logger: Logger }): Promise<ViewServer> {
  const server = http.createServer((req, res) => {
    handle(req, res, catalog, images).catch((err: unknown) => {
      options.logger.warn('view request failed', { url: req.url, error: errorMessage(err) });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `error: ${errorMessage(err)}\n`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*', 'cache-control': 'no-cache' });
  res.end(body);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, catalog: Catalog, images: PageImages): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const json = (status: number, value: unknown): void => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
  if (req.method !== 'GET') return send(res, 405, 'text/plain', 'GET only\n');
  if (parts.length === 0) return send(res, 200, TYPES['viewer.html'], readAsset('viewer.html'));
  if (parts.length === 1 && (parts[0] === 'viewer.css' || parts[0] === 'viewer.js')) return send(res, 200, TYPES[parts[0]], readAsset(parts[0]));
  if (parts[0] === 'api' && parts[1] === 'documents') {
    if (parts.length === 2) return json(200, await catalog.list());
    const view = parts.length === 3 ? await catalog.get(parts[2] ?? '') : null;
    return view ? json(200, view) : json(404, { error: 'no such document' });
  }
  const [id = '', ...rest] = parts;
  const pageMatch = rest.length === 1 ? /^page-(\d+)\.png$/u.exec(rest[0] ?? '') : null;
  if (pageMatch) {
    const view = await catalog.get(id);
    const page = Number(pageMatch[1]);
    if (!view || !view.doc.pages.some((p) => p.number === page)) return send(res, 404, 'text/plain', 'no such page\n');
    const width = url.searchParams.has('width') ? Math.max(100, Math.min(8000, Number(url.searchParams.get('width')) || 1600)) : undefined;
    return send(res, 200, 'image/png', await images.png(view.doc, page, width));
  }
  const body = await catalog.file(id, rest.join('/'));
  if (body) return send(res, 200, rest[0] === 'manifest.json' ? 'application/ld+json; charset=utf-8' : 'application/xml; charset=utf-8', body);
  return send(res, 404, 'text/plain', 'not found\n');
}
