import { promises as fs } from 'node:fs';
import { ConfigError } from '../errors.js';
import { createJsonLogger } from '../logger.js';
import { openCatalog, type Catalog } from '../view/catalog.js';
import { createPageImages, type PageImages } from '../view/page-image.js';
import { startViewServer } from '../view/server.js';
import { parseCommandArgs, positiveInt } from './args.js';
import { readSource } from './inspect.js';
import type { Command } from './main.js';

export const DEFAULT_VIEW_PORT = 8080;

const HELP = `usage: newsprint view <out> [--port P] [--gt <dir>]

A local web page to check an ingest: the documents of <out>, each page with its article boxes
numbered in reading order; click an article's text or box to highlight its blocks. Shows confidence,
furniture, and eval scores when --gt has ground truth for a document (<documentId or source
name>.gt.json, as samples/gt). Page images are rendered from each document's source on request.
Listens on 127.0.0.1 only; also serves <id>/manifest.json, <id>/mets.xml, <id>/alto/page-N.xml and
<id>/page-N.png, the paths of the IIIF manifest's default --iiif-base.

options:
  --port <n>           port (default ${DEFAULT_VIEW_PORT}; 0 for any free port)
  --gt <dir>           folder of ground truth files
  --s3-endpoint <url>  S3-compatible endpoint for s3:// sources
`;

/** The flags view and report share: the output folder's documents and their page images. */
export const SOURCE_FLAGS = { gt: { type: 'string' }, 's3-endpoint': { type: 'string' } } as const;

export async function openViewSources(
  out: string | undefined,
  values: { gt?: string | undefined; 's3-endpoint'?: string | undefined },
  command: string,
): Promise<{ catalog: Catalog; images: PageImages }> {
  if (!out) throw new ConfigError(`${command} needs the output folder of an ingest (see --help)`);
  const stat = await fs.stat(out).catch(() => null);
  if (!stat?.isDirectory()) throw new ConfigError(`${out} is not a folder (S3 outputs: sync them to a folder first)`);
  return { catalog: openCatalog(out, values.gt), images: createPageImages((uri) => readSource(uri, values['s3-endpoint'])) };
}

export const viewCommand: Command = {
  name: 'view',
  summary: 'a local web page to check an ingest (pages, article boxes, text, scores)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { port: { type: 'string' }, ...SOURCE_FLAGS });
    const port = values.port === '0' ? 0 : (positiveInt(values.port, '--port') ?? DEFAULT_VIEW_PORT);
    const { catalog, images } = await openViewSources(positionals[0], values, 'view');
    const server = await startViewServer(catalog, images, { port, logger: createJsonLogger() });
    process.stderr.write(`newsprint view: ${server.url}/ (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
