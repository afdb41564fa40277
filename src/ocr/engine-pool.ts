/**
 * The engines of a recogniser pool (tesseract workers, onnxruntime session threads) and the one
 * p-queue that feeds them: at most `size` tasks run at once, each on an engine of its own. Engines
 * take long to start, so warmUp() starts them ahead (loading overlaps the caller's work on the first
 * page); a task gets an idle engine first. A task that fails is an engine crash (engineCrash: an
 * engine fault, counted as an attempt) and retires its engine; a healthy one is kept unless the
 * owner says it is worn.
 */
import PQueue from 'p-queue';
import { engineCrash } from '../errors.js';
import { addTask } from '../queue.js';

export interface EnginePoolOptions<T> {
  /** Engines, and tasks at once. */
  readonly size: number;
  readonly start: () => Promise<T>;
  readonly end: (engine: T) => Promise<unknown>;
  /** Told when an engine started by warmUp() failed to start (a task then starts another). */
  readonly onWarmFailure: (err: unknown) => void;
}

export class EnginePool<T> {
  private readonly queue: PQueue;
  private readonly idle: T[] = [];
  /** Started by warmUp() and not yet taken. */
  private readonly warming: Promise<T>[] = [];
  private readonly starting = new Set<Promise<T>>();
  private warmed = false;
  private closed = false;

  constructor(private readonly options: EnginePoolOptions<T>) {
    this.queue = new PQueue({ concurrency: options.size });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts the engines now; only the first call does anything. */
  warmUp(): void {
    if (this.warmed || this.closed) return;
    this.warmed = true;
    for (let i = this.idle.length; i < this.options.size; i++) {
      const started = this.start();
      started.catch((err: unknown) => this.options.onWarmFailure(err));
      this.warming.push(started);
    }
  }

  /**
   * Queues `work` (higher `priority` first) and runs it on an engine. `keep` decides whether a
   * healthy engine goes back to the idle ones (default yes); a failed one never does.
   */
  run<R>(work: (engine: T) => Promise<R>, priority: number, keep: (engine: T) => boolean = () => true): Promise<R> {
    if (this.closed) return Promise.reject(new Error('recogniser is closed'));
    return addTask(
      this.queue,
      async () => {
        const engine = await this.acquire();
        let healthy = true;
        try {
          return await work(engine);
        } catch (err) {
          healthy = false;
          throw engineCrash(err);
        } finally {
          await this.release(engine, healthy && keep(engine) && !this.closed);
        }
      },
      priority,
    );
  }

  /** Lets the queued tasks finish, then ends every engine, also those still starting. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.onIdle();
    await Promise.allSettled([...this.starting]);
    const warmed = await Promise.allSettled(this.warming.splice(0));
    for (const w of warmed) if (w.status === 'fulfilled') this.idle.push(w.value);
    await Promise.allSettled(this.idle.splice(0).map((engine) => this.options.end(engine)));
  }

  /** An idle engine, else one warming up, else a new one. */
  private async acquire(): Promise<T> {
    const ready = this.idle.pop();
    if (ready !== undefined) return ready;
    const warming = this.warming.shift();
    if (warming) {
      const engine = await warming.catch(() => undefined);
      if (engine !== undefined) return engine;
    }
    return this.start();
  }

  private async release(engine: T, keep: boolean): Promise<void> {
    if (keep) this.idle.push(engine);
    else await this.options.end(engine).catch(() => undefined);
  }

  private start(): Promise<T> {
    const starting = this.options.start();
    this.starting.add(starting);
    void starting.finally(() => this.starting.delete(starting)).catch(() => undefined);
    return starting;
  }
}
