/**
 * The engines of a recogniser pool (tesseract workers, onnxruntime sessions), which take long to
 * start: started ahead by warmUp() so that loading overlaps the caller's work on the first page,
 * handed out idle ones first, retired when the owner says so (crashed, worn), ended on drain().
 * The owner's p-queue decides how many are in use at once.
 */
export interface WarmPoolOptions<T> {
  /** How many warmUp() starts. */
  readonly size: number;
  readonly start: () => Promise<T>;
  readonly end: (item: T) => Promise<unknown>;
  /** Told when an engine started by warmUp() failed to start (acquire() then starts another). */
  readonly onWarmFailure: (err: unknown) => void;
}

export class WarmPool<T> {
  private readonly idle: T[] = [];
  /** Started by warmUp() and not yet taken. */
  private readonly warming: Promise<T>[] = [];
  private readonly starting = new Set<Promise<T>>();
  private warmed = false;

  constructor(private readonly options: WarmPoolOptions<T>) {}

  /** Starts the engines now; only the first call does anything. */
  warmUp(): void {
    if (this.warmed) return;
    this.warmed = true;
    for (let i = this.idle.length; i < this.options.size; i++) {
      const started = this.start();
      started.catch((err: unknown) => this.options.onWarmFailure(err));
      this.warming.push(started);
    }
  }

  /** An idle engine, else one warming up, else a new one. */
  async acquire(): Promise<T> {
    const ready = this.idle.pop();
    if (ready !== undefined) return ready;
    const warming = this.warming.shift();
    if (warming) {
      const item = await warming.catch(() => undefined);
      if (item !== undefined) return item;
    }
    return this.start();
  }

  /** Back to the idle ones, or ended (`keep` false: it crashed, is worn, or the pool is closing). */
  async release(item: T, keep: boolean): Promise<void> {
    if (keep) this.idle.push(item);
    else await this.options.end(item).catch(() => undefined);
  }

  /** Ends every engine, also those still starting; call when no task runs any more. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.starting]);
    const warmed = await Promise.allSettled(this.warming.splice(0));
    for (const w of warmed) if (w.status === 'fulfilled') this.idle.push(w.value);
    await Promise.allSettled(this.idle.splice(0).map((item) => this.options.end(item)));
  }

  private start(): Promise<T> {
    const starting = this.options.start();
    this.starting.add(starting);
    void starting.finally(() => this.starting.delete(starting)).catch(() => undefined);
    return starting;
  }
}
