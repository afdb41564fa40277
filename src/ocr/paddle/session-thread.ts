/**
 * The pool's handle on one PP-OCR session thread (workers/paddle-session.mjs running
 * ./session-host.ts): started with its model loaded, reads one batch at a time. A thread that dies
 * (out of memory, a native crash) fails the batch it was reading and every later one, so the pool
 * retires it; a model that cannot load is a CriticalError (no page could be read).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CriticalError } from '../../errors.js';
import type { GrayImage } from '../../image/gray-image.js';
import type { BatchRequest, HostMessage, LineReading, SessionWorkerData } from './session-protocol.js';

const ENTRY = new URL('../../../workers/paddle-session.mjs', import.meta.url);
/** The host module next to this one, in the same form (.js built, .ts from the sources). */
const HOST = new URL(`./session-host${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;

export class SessionThread {
  private pending: { readonly id: number; resolve(lines: readonly LineReading[]): void; reject(err: Error): void } | undefined;
  private dead: Error | undefined;
  private nextId = 1;

  private constructor(private readonly worker: Worker) {}

  static start(modelPath: string, threads: number): Promise<SessionThread> {
    const data: SessionWorkerData = { host: HOST, modelPath, threads };
    const worker = new Worker(ENTRY, { workerData: data });
    const thread = new SessionThread(worker);
    return new Promise((resolve, reject) => {
      const onStartFailure = (err: Error): void => reject(new CriticalError(`the PP-OCR model ${modelPath} could not be loaded: ${err.message}`, { cause: err, stage: 'recognise' }));
      worker.once('message', (message: HostMessage) => {
        worker.off('error', onStartFailure);
        if ('ready' in message) {
          thread.listen();
          resolve(thread);
        } else {
          void worker.terminate();
          onStartFailure(new Error('loadError' in message ? message.loadError : 'unexpected first message'));
        }
      });
      worker.once('error', onStartFailure);
    });
  }

  read(image: GrayImage, lines: BatchRequest['lines']): Promise<readonly LineReading[]> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new Error('a PP-OCR session reads one batch at a time'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      const request: BatchRequest = { id, image, lines };
      this.worker.postMessage(request);
    });
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error('PP-OCR session ended');
    await this.worker.terminate();
  }

  private listen(): void {
    this.worker.on('message', (message: HostMessage) => {
      const pending = this.pending;
      if (!pending || !('id' in message) || message.id !== pending.id) return;
      this.pending = undefined;
      if ('error' in message) pending.reject(new Error(message.error));
      else pending.resolve(message.lines);
    });
    const die = (err: Error): void => {
      this.dead ??= err;
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(err);
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`PP-OCR session thread exited with code ${code}`)));
  }
}
