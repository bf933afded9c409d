export interface WriteBatcherOptions {
  /** A batch is written as soon as it holds this many items. */
  maxItems: number;
  /** A batch is written at the latest this long after its first item arrived. */
  maxDelayMs: number;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Turns writes made one item at a time (a service handling many messages at once) into one
 * write per batch: a batch is written once it holds `maxItems` items or `maxDelayMs` after its
 * first, whichever comes first. Each `add`
 * resolves with its item's result once the whole batch is written, or rejects with the
 * batch's error, so a message acknowledged after its `add` resolves is acknowledged only
 * once its write is durable, and a failed write sends every message of its batch back.
 */
export class WriteBatcher<T, R> {
  private pending: Array<Waiting<T, R>> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly writing = new Set<Promise<void>>();

  constructor(
    /** Writes a batch; returns one result per item, in order. */
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly options: WriteBatcherOptions,
  ) {
    if (!(options.maxItems >= 1) || !(options.maxDelayMs >= 0)) {
      throw new RangeError(`a batch holds at least one item and waits no negative time, not ${JSON.stringify(options)}`);
    }
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxItems) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxDelayMs);
    });
  }

  /** Writes what is waiting now, without waiting for the batch to fill. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const written = this.writeBatch(batch).finally(() => this.writing.delete(written));
    this.writing.add(written);
  }

  /** Writes what is waiting and resolves once no write is in flight (graceful shutdown). */
  async idle(): Promise<void> {
    this.flush();
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
  }

  private async writeBatch(batch: Array<Waiting<T, R>>): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} was written with ${results.length} results`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
