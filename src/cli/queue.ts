/** `newsprint queue status|pause|resume`: the page queue's metrics, and stopping it to drain. */
import { ConfigError } from '../errors.js';
import { createJsonLogger } from '../logger.js';
import { parseQueueUrl } from '../page-queue/connection.js';
import { queueStatus, withQueue, type QueueStatus } from '../page-queue/status.js';
import { parseCommandArgs, printReport } from './args.js';
import type { Command } from './main.js';

const HELP = `usage: newsprint queue status --queue <redis://…> [--json]
       newsprint queue pause|resume --queue <redis://…>

status   pages waiting, active (being read), delayed (waiting for a retry), failed and completed
         (kept 1 day), connected workers, the oldest waiting page's age, the latest failures
pause    workers finish the pages they have and take no new ones (to drain; submitters keep waiting)
resume   workers take pages again

exit status: 0; 2 on a usage error; 1 when Redis cannot be reached.
`;

export function formatQueueStatus(s: QueueStatus): string {
  const lines = [
    `queue ${s.name} on ${s.queue}${s.paused ? ' (PAUSED)' : ''}`,
    `  waiting    ${s.waiting}${s.oldestWaitingS !== null ? ` (oldest ${s.oldestWaitingS} s)` : ''}`,
    `  active     ${s.active}`,
    `  delayed    ${s.delayed}`,
    `  failed     ${s.failed}`,
    `  completed  ${s.completed}`,
    `  workers    ${s.workers}`,
  ];
  if (s.recentFailures.length > 0) {
    lines.push('latest failures:');
    for (const f of s.recentFailures) lines.push(`  ${f.jobId}: ${f.reason}`);
  }
  return lines.join('\n') + '\n';
}

export const queueCommand: Command = {
  name: 'queue',
  summary: 'the page queue: status (waiting, active, failed, workers), pause, resume',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { queue: { type: 'string' }, json: { type: 'boolean' } });
    const [action, ...rest] = positionals;
    if (rest.length > 0) throw new ConfigError(`unexpected argument "${rest[0]}"`);
    const url = parseQueueUrl(values.queue);
    // Errors only: a status that waits for an unreachable Redis says so once.
    const logger = createJsonLogger({ level: 'warn' });
    switch (action) {
      case 'status':
        printReport(await queueStatus(url, logger), values.json, formatQueueStatus);
        return 0;
      case 'pause':
      case 'resume':
        await withQueue(url, logger, (queue) => (action === 'pause' ? queue.pause() : queue.resume()));
        process.stdout.write(`queue ${action === 'pause' ? 'paused' : 'resumed'}\n`);
        return 0;
      default:
        throw new ConfigError(`expected status, pause or resume, got ${action === undefined ? 'nothing' : `"${action}"`}`);
    }
  },
};
