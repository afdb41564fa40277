import { promises as fs } from 'node:fs';
import { buildReport } from '../view/report.js';
import { parseCommandArgs } from './args.js';
import type { Command } from './main.js';
import { openViewSources, SOURCE_FLAGS } from './view.js';

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
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, ...SOURCE_FLAGS });
    const { catalog, images } = await openViewSources(positionals[0], values, 'report');
    const html = await buildReport(catalog, images);
    const file = values.out ?? 'report.html';
    await fs.writeFile(file, html);
    process.stderr.write(`wrote ${file}\n`);
    return 0;
  },
};
