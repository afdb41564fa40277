/**
 * A small fault-injecting HTTP proxy on 127.0.0.1, between an S3 client and s3rver. Every `every`-th
 * request (counted from the first) gets a fault, cycling through `kinds`, until `maxFaults` were
 * injected; all other requests pass through unchanged. Faults:
 *
 * - reset:       the connection is dropped before the request reaches the server
 * - reset-after: the server handles the request, then the connection is dropped before the answer
 *                (the write happened, the client does not know: its retry must be harmless)
 * - http500:     500 InternalError, without reaching the server
 * - http503:     503 SlowDown (throttling), without reaching the server
 * - slow:        passed through after `slowMs`
 * - stall:       nothing is answered; the connection is dropped after `stallMs` (longer than the
 *                client's idle timeout, so the client times out first)
 *
 * `match` narrows injection to the requests it accepts (`every` then counts only those), e.g. the
 * writes of one document's outputs.
 *
 * `rewriteList` may change the XML of ListObjectsV2 answers (e.g. to list a key s3rver cannot store).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'reset' | 'reset-after' | 'http500' | 'http503' | 'slow' | 'stall';

export interface FaultProxyOptions {
  /** e.g. http://127.0.0.1:40123 */
  readonly target: string;
  /** Every n-th request gets a fault. Default 0: none. */
  readonly every?: number;
  readonly kinds?: readonly FaultKind[];
  /** Stop injecting after this many faults. Default 50. */
  readonly maxFaults?: number;
  readonly slowMs?: number;
  readonly stallMs?: number;
  readonly rewriteList?: (xml: string) => string;
  /** Only requests it accepts may get a fault. Default: every request. */
  readonly match?: (request: { readonly method: string; readonly url: string }) => boolean;
}

export interface FaultStats {
  requests: number;
  injected: number;
  byKind: Record<FaultKind, number>;
  /** Requests per HTTP method that got a fault. */
  byMethod: Record<string, number>;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly stats: FaultStats;
  /** Turns injection on or off (the request count goes on). */
  setEnabled(enabled: boolean): void;
  stop(): Promise<void>;
}

const XML_ERROR = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const kinds = options.kinds ?? ['reset', 'reset-after', 'http500', 'http503', 'slow', 'stall'];
  const every = options.every ?? 0;
  const maxFaults = options.maxFaults ?? 50;
  const slowMs = options.slowMs ?? 800;
  const stallMs = options.stallMs ?? 3000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const timers = new Set<NodeJS.Timeout>();
  let enabled = true;
  let eligible = 0;
  const stats: FaultStats = {
    requests: 0,
    injected: 0,
    byKind: { reset: 0, 'reset-after': 0, http500: 0, http503: 0, slow: 0, stall: 0 },
    byMethod: {},
  };

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, dropAnswer: boolean): void => {
    const isList = req.method === 'GET' && /[?&]list-type=2/.test(req.url ?? '');
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        if (dropAnswer) {
          up.resume();
          up.on('end', () => req.socket.destroy());
          return;
        }
        if (isList && options.rewriteList && (up.statusCode ?? 500) === 200) {
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            const body = Buffer.from(options.rewriteList!(Buffer.concat(chunks).toString('utf8')), 'utf8');
            const headers = { ...up.headers, 'content-length': String(body.length) };
            delete headers['transfer-encoding'];
            res.writeHead(up.statusCode ?? 200, headers);
            res.end(body);
          });
          return;
        }
        res.writeHead(up.statusCode ?? 500, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  };

  const server = http.createServer((req, res) => {
    stats.requests++;
    const matches = options.match?.({ method: req.method ?? '', url: req.url ?? '' }) ?? true;
    if (matches) eligible++;
    const inject = enabled && matches && every > 0 && stats.injected < maxFaults && eligible % every === 0;
    if (!inject) return forward(req, res, false);
    const kind = kinds[stats.injected % kinds.length] ?? 'reset';
    stats.injected++;
    stats.byKind[kind]++;
    const method = req.method ?? '?';
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    switch (kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'reset-after':
        return forward(req, res, true);
      case 'http500':
      case 'http503': {
        req.resume();
        req.on('end', () => {
          const [status, code] = kind === 'http500' ? [500, 'InternalError'] : [503, 'SlowDown'];
          const body = req.method === 'HEAD' ? '' : XML_ERROR(code, 'injected by the fault proxy');
          res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) });
          res.end(body);
        });
        return;
      }
      case 'slow':
        later(slowMs, () => forward(req, res, false));
        return;
      case 'stall':
        req.resume();
        later(stallMs, () => req.socket.destroy());
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    setEnabled(on) {
      enabled = on;
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
