/**
 * A real Redis for tests: redis-server (Debian package) on 127.0.0.1 and a free port, AOF on (so a
 * restart keeps every job, as the README tells users to configure it), in a temp folder. `restart`
 * stops it the way an operator or a crash would and starts it again on the same port and data.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestRedis {
  /** redis://127.0.0.1:<port>/0 */
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGTERM, or SIGKILL with `kill`) and starts it again on the same port and folder. */
  restart(options?: { readonly kill?: boolean; readonly downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function ping(port: number): boolean {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { encoding: 'utf8' });
  return r.stdout.trim() === 'PONG';
}

export async function startRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsprint-redis-'));
  const port = await freePort();
  const pidfile = path.join(dir, 'redis.pid');
  const start = async (): Promise<void> => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--daemonize', 'yes', '--pidfile', pidfile], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-server exited ${code}`))));
    });
    for (let i = 0; i < 100; i++) {
      if (ping(port)) return;
      await sleep(50);
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  };
  const pid = async (): Promise<number | null> => {
    const text = await readFile(pidfile, 'utf8').catch(() => null);
    return text === null ? null : Number(text.trim());
  };
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const p = await pid();
    if (p === null) return;
    try {
      process.kill(p, signal);
    } catch {
      return;
    }
    for (let i = 0; i < 200; i++) {
      try {
        process.kill(p, 0);
      } catch {
        return;
      }
      await sleep(25);
    }
    // Still there after 5 s: no Redis of a test outlives it.
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    async restart(options = {}) {
      await halt(options.kill ? 'SIGKILL' : 'SIGTERM');
      await sleep(options.downMs ?? 500);
      await start();
    },
    async stop() {
      await halt('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
