import os from 'node:os';
import { createJsonLogger } from '../logger.js';
import { runIngest } from '../pipeline/ingest.js';
import { createProgress, formatSummary } from './progress.js';
import { parseCommandArgs, positiveInt } from './args.js';
import { parseTextSource, TEXT_SOURCE_HELP } from './text-source.js';
import { ENGINE_HELP, parseEngine } from '../ocr/engines.js';
import type { Command } from './main.js';
import { EXPORT_FLAGS, EXPORT_FLAGS_HELP, exportOptionsFromFlags } from './export-flags.js';
import { QUEUE_FLAGS, QUEUE_FLAGS_HELP, queueOptionsFromFlags } from './queue-flags.js';
import { ConfigError } from '../errors.js';
import { QUEUE_DEFAULTS } from '../page-queue/queued-run.js';

const HELP = `usage: newsprint ingest <input>... [options]

Turns scanned newspaper pages into articles as JSON.

inputs:
  PDF files, image files (TIFF incl. G4 and multi-page, JPEG, PNG), folders (searched recursively
  for .pdf .tif .tiff .jpg .jpeg .png), or s3://bucket/prefix (every object under it).

options:
  --out <dir | s3://bucket/prefix>   where outputs go (default: ./out)
  --workers <n>                      OCR workers or PP-OCR sessions (default: number of cores, here ${os.availableParallelism()})
  --s3-endpoint <url>                S3-compatible endpoint (default: AWS_ENDPOINT_URL, else AWS)
  --path-style                       path-style S3 addressing (default on when an endpoint is given)
${ENGINE_HELP}
${TEXT_SOURCE_HELP}
${EXPORT_FLAGS_HELP}
${QUEUE_FLAGS_HELP}
  --max-attempts <n>                 with --queue: tries of a page before its document fails (default ${QUEUE_DEFAULTS.maxAttempts})
  -h, --help                         this text

output: <out>/<documentId>/document.json, <out>/<documentId>/articles/<articleId>.json and the
exports chosen by --formats;
for a document that failed only <out>/<documentId>/error.json.
exit status: 0 when every input succeeded, 1 when any failed, 2 on a usage error.
`;

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'OCR scanned pages into articles (local folder or S3)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: 'string' },
      workers: { type: 'string' },
      's3-endpoint': { type: 'string' },
      'path-style': { type: 'boolean' },
      'text-source': { type: 'string' },
      'max-attempts': { type: 'string' },
      engine: { type: 'string' },
      ...EXPORT_FLAGS,
      ...QUEUE_FLAGS,
    });
    const logger = createJsonLogger();
    const workers = positiveInt(values.workers, '--workers');
    const textSource = parseTextSource(values['text-source']);
    const engine = parseEngine(values.engine);
    const exports = exportOptionsFromFlags(values);
    const queue = queueOptionsFromFlags(values);
    const maxAttempts = positiveInt(values['max-attempts'], '--max-attempts');
    if (maxAttempts !== undefined && !queue) throw new ConfigError('--max-attempts goes with --queue (`ingest` tries each document once)');
    const progress = createProgress({ logger });
    const report = await runIngest({
      inputs: positionals,
      out: values.out ?? './out',
      ...(workers ? { workers } : {}),
      ...(values['s3-endpoint'] ? { s3Endpoint: values['s3-endpoint'] } : {}),
      ...(values['path-style'] ? { forcePathStyle: true } : {}),
      ...(textSource ? { textSource } : {}),
      ...(engine ? { engine } : {}),
      ...(exports ? { exports } : {}),
      ...(queue ? { queue: { ...queue, ...(maxAttempts !== undefined ? { maxAttempts } : {}) } } : {}),
      logger,
      progress,
    });
    progress.finish();
    process.stderr.write(formatSummary(report.summary));
    return report.ok ? 0 : 1;
  },
};
