/**
 * A real Redis for tests: redis-server (Debian package) on 127.0.0.1 and a free port, AOF on (so a
 * restart keeps every job, as the README tells users to configure it), in a temp folder. `restart`
 * stops it the way an operator or a crash would and starts it again on the same port and data.
 * With `tls`, it listens on TLS only (`rediss://`), with a throwaway CA and server certificate made
 * by openssl in its folder (`caFile`: what a client must trust, e.g. NODE_EXTRA_CA_CERTS).
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestRedis {
  /** redis://127.0.0.1:<port>/0, or rediss:// with `tls` */
  readonly url: string;
  /** With `tls`: the CA certificate (PEM file) that signed the server's. */
  readonly caFile?: string;
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

function ping(port: number, caFile: string | undefined): boolean {
  const tls = caFile === undefined ? [] : ['--tls', '--cacert', caFile];
  const r = spawnSync('redis-cli', [...tls, '-h', '127.0.0.1', '-p', String(port), 'ping'], { encoding: 'utf8' });
  return r.stdout.trim() === 'PONG';
}

/** A CA and a server certificate for 127.0.0.1 signed by it, in `dir`; the files' paths. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string): string => path.join(dir, name);
  const openssl = (args: string[]): void => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '1', '-subj', '/CN=newsprint test CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.crt'), '-days', '1', '-extfile', file('server.ext')]);
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') };
}

export async function startRedis(options: { readonly tls?: boolean } = {}): Promise<TestRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsprint-redis-'));
  const port = await freePort();
  const pidfile = path.join(dir, 'redis.pid');
  const certs = options.tls ? makeCertificates(dir) : undefined;
  // TLS only: the plain port is off, so a client that does not speak TLS gets nowhere.
  const listen = certs
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', certs.cert, '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const start = async (): Promise<void> => {
    const child = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--daemonize', 'yes', '--pidfile', pidfile], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-server exited ${code}`))));
    });
    for (let i = 0; i < 100; i++) {
      if (ping(port, certs?.ca)) return;
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
    url: `${certs ? 'rediss' : 'redis'}://127.0.0.1:${port}/0`,
    port,
    ...(certs ? { caFile: certs.ca } : {}),
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
