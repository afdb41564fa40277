/** The `--queue` flags that `ingest` and `run` share: send pages to queue workers instead of a local pool. */
import { positiveInt } from './args.js';
import type { QueueOptions } from '../page-queue/queued-run.js';
import { parseQueueUrl } from '../page-queue/connection.js';
import { QUEUE_DEFAULTS } from '../page-queue/queued-run.js';

export const QUEUE_FLAGS = {
  queue: { type: 'string' },
  'documents-in-flight': { type: 'string' },
} as const;

export const QUEUE_FLAGS_HELP = `  --queue <redis://host:6379[/db]>      send the pages to queue workers (\`newsprint worker\`) instead of
                                        reading them here; documents are still planned and published here
  --documents-in-flight <n>             with --queue: documents whose pages are queued at once (default ${QUEUE_DEFAULTS.documentsInFlight})`;

export function queueOptionsFromFlags(values: { queue?: string | undefined; 'documents-in-flight'?: string | undefined }): QueueOptions | undefined {
  if (values.queue === undefined) return undefined;
  const documentsInFlight = positiveInt(values['documents-in-flight'], '--documents-in-flight');
  return { url: parseQueueUrl(values.queue), ...(documentsInFlight !== undefined ? { documentsInFlight } : {}) };
}
