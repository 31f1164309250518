import { VaratlasError } from '../errors.js';

interface Entry {
  result: Promise<unknown>;
  /** The requests waiting for it; when every one of them has left before it starts, it is not computed. */
  signals: AbortSignal[];
  started: boolean;
}

/**
 * The store has one connection: analyses run one at a time, and each answer is kept until the store
 * changes (a newer file swapped in after an import empties the cache). A cached answer never waits for
 * a running analysis. The queue is bounded: beyond `maxWaiting` analyses waiting their turn a request
 * is refused at once ("busy", 503). An analysis whose every requester has gone (closed the connection)
 * before its turn is skipped. A refusal (a bad parameter found by the analysis: an area the store does
 * not have) is kept like an answer, so that repeating it costs nothing; other failures are not kept.
 */
export class SerialCache {
  private readonly entries = new Map<string, Entry>();
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(
    private readonly limit = 500,
    readonly maxWaiting = 16,
  ) {}

  clear(): void {
    this.entries.clear();
  }

  /** How many analyses wait for their turn (not counting the running one). */
  get queued(): number {
    return this.waiting;
  }

  get<T>(key: string, compute: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      if (signal && !hit.started) hit.signals.push(signal);
      return hit.result as Promise<T>;
    }
    if (this.waiting >= this.maxWaiting) {
      return Promise.reject(new VaratlasError('busy', `the server is busy (${this.waiting} analyses waiting); ask again in a moment`));
    }
    this.waiting++;
    const entry: Entry = { result: Promise.resolve(), signals: signal ? [signal] : [], started: false };
    const run = async () => {
      this.waiting--;
      entry.started = true;
      if (entry.signals.length > 0 && entry.signals.every((s) => s.aborted)) {
        throw new VaratlasError('interrupted', 'every client that asked for this has gone; it was not computed');
      }
      return compute();
    };
    const result = this.queue.then(run, run);
    entry.result = result;
    this.queue = result.catch(() => undefined);
    this.entries.set(key, entry);
    result.catch((error: unknown) => {
      const refusal = error instanceof VaratlasError && (error.code === 'usage' || error.code === 'not_configured');
      if (!refusal && this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }
}
