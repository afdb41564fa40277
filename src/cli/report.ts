import { promises as fs } from 'node:fs';
import { openCatalog } from '../view/catalog.js';
import { createPageImages } from '../view/page-image.js';
import { buildReport } from '../view/report.js';
import { parseCommandArgs } from './args.js';
import { readSource } from './inspect.js';
import type { Command } from './main.js';
import { checkOutDir } from './view.js';

const HELP = `usage: newsprint report <out> [--out report.html] [--gt <dir>]

Writes what \`newsprint view\` shows as one static HTML file to share (page images embedded).

options:
  --out <file>         where it goes (default report.html)
  --gt <dir>           folder of ground truth files, for eval scores
  --s3-endpoint <url>  S3-compatible endpoint for s3:// sources
`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'the view as one static HTML file to share',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, gt: { type: 'string' }, 's3-endpoint': { type: 'string' } });
    const out = await checkOutDir(positionals[0], 'report');
    const html = await buildReport(openCatalog(out, values.gt), createPageImages((uri) => readSource(uri, values['s3-endpoint'])));
    const file = values.out ?? 'report.html';
    await fs.writeFile(file, html);
    process.stderr.write(`wrote ${file}\n`);
    return 0;
  },
};
