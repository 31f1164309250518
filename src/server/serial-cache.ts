/**
 * The store has one connection: analyses run one at a time, and each answer is kept, since the data
 * does not change while the server runs (an import needs the database file to itself).
 */
export class SerialCache {
  private readonly results = new Map<string, Promise<unknown>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly limit = 500) {}

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
