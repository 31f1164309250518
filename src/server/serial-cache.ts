/**
 * The store has one connection: analyses run one at a time, and each answer is kept until the store
 * changes (a newer file swapped in after an import empties the cache).
 */
export class SerialCache {
  private readonly results = new Map<string, Promise<unknown>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly limit = 500) {}

  clear(): void {
    this.results.clear();
  }

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.results.get(key);
    if (hit) return hit as Promise<T>;
    const result = this.queue.then(compute, compute);
    this.queue = result.catch(() => undefined);
    this.results.set(key, result);
    // Failures are not kept: the next request tries again.
    result.catch(() => this.results.delete(key));
    if (this.results.size > this.limit) this.results.delete(this.results.keys().next().value!);
    return result;
  }
}
