/** The `newsprint` command: parses the subcommand and hands over. Errors reach the user as one clear line. */
import { errorMessage, isUsageError } from '../errors.js';
import { benchCommand } from './bench.js';
import { evalCommand } from './eval.js';
import { ingestCommand } from './ingest.js';
import { inspectCommand } from './inspect.js';
import { runCommand } from './run.js';
import { reportCommand } from './report.js';
import { scheduleCommand } from './schedule.js';
import { viewCommand } from './view.js';
import { queueCommand } from './queue.js';
import { workerCommand } from './worker.js';

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(argv: readonly string[]): Promise<number>;
}

export const COMMANDS: readonly Command[] = [ingestCommand, runCommand, scheduleCommand, evalCommand, inspectCommand, viewCommand, reportCommand, benchCommand, workerCommand, queueCommand];

function usage(commands: readonly Command[]): string {
  const lines = commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return `usage: newsprint <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun \`newsprint <command> --help\` for a command's options.\n`;
}

/** Runs the command named by argv[0]; `commands` lets a test entry swap in commands built with test doubles. */
export async function main(argv: readonly string[], commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage(commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`newsprint: unknown command "${name}"\n\n${usage(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    process.stderr.write(`newsprint ${name}: ${errorMessage(err)}\n`);
    if (process.env['NEWSPRINT_DEBUG'] && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return isUsageError(err) ? 2 : 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
