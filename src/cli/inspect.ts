import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { renderInspection } from '../output/inspect.js';
import type { DocumentJson } from '../output/types.js';
import { preprocess } from '../stages/preprocess/index.js';
import { openPageSource } from '../stages/rasterise/index.js';
import { openStorage, parseLocation } from '../storage/location.js';
import { parseCommandArgs, positiveInt } from './args.js';
import type { Command } from './main.js';

const HELP = `usage: newsprint inspect <document.json> --page N --out page.png [--width PX]

Draws page N of the document's source with what newsprint found on it: every article's box with its
reading-order number, and the blocks by role in distinct colours:
  headline magenta · section label orange · author cyan · body columns blue · caption green ·
  photo dark green · jump line red · page furniture (masthead, folio, ads) gray.
The source is read again from source.uri (a local file or s3://…; --s3-endpoint for S3-compatible stores).

options:
  --page <n>          page number (default 1)
  --out <file.png>    where the picture goes (default page-<n>.png)
  --width <px>        width of the picture (default 1400)
  --s3-endpoint <url> S3-compatible endpoint for an s3:// source
`;

export async function readSource(uri: string, endpoint: string | undefined): Promise<Uint8Array> {
  if (uri.startsWith('file://')) return new Uint8Array(await fs.readFile(fileURLToPath(uri)));
  if (uri.startsWith('s3://')) {
    const location = parseLocation(uri);
    if (location.kind !== 's3') throw new ConfigError(`not an S3 location: ${uri}`);
    const slash = location.prefix.lastIndexOf('/');
    const store = openStorage(`s3://${location.bucket}/${location.prefix.slice(0, slash + 1)}`, endpoint ? { endpoint } : {});
    try {
      const bytes = await store.get(location.prefix.slice(slash + 1));
      if (!bytes) throw new ConfigError(`source not found: ${uri}`);
      return bytes;
    } finally {
      await store.dispose();
    }
  }
  throw new ConfigError(`cannot read source ${uri}`);
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'draw a page with its articles, reading order and roles (PNG)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      page: { type: 'string' },
      out: { type: 'string' },
      width: { type: 'string' },
      's3-endpoint': { type: 'string' },
    });
    const file = positionals[0];
    if (!file) throw new ConfigError('inspect needs a document.json (see --help)');
    const doc = JSON.parse(await fs.readFile(file, 'utf8')) as DocumentJson;
    const pageNumber = positiveInt(values.page, '--page') ?? 1;
    const page = doc.pages.find((p) => p.number === pageNumber);
    if (!page) throw new ConfigError(`the document has no page ${pageNumber} (pages: ${doc.pages.map((p) => p.number).join(', ')})`);
    const raster = await openPageSource(await readSource(doc.source.uri, values['s3-endpoint']));
    try {
      const pre = await preprocess((await raster.renderPage(pageNumber)).image);
      const png = await renderInspection(pre.image, page, doc.articles.filter((a) => a.page === pageNumber), positiveInt(values.width, '--width') ?? 1400);
      const out = values.out ?? `page-${pageNumber}.png`;
      await fs.writeFile(out, png);
      process.stderr.write(`wrote ${out}\n`);
    } finally {
      await raster.close();
    }
    return 0;
  },
};
