/**
 * Deterministic random numbers: the same seed gives the same draws on every machine — the demo
 * generator's data set, the rank intervals' simulation (mulberry32; good enough for synthetic data and
 * Monte Carlo, not for cryptography).
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(lo: number, hiInclusive: number): number {
    return lo + Math.floor(this.next() * (hiInclusive - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Poisson draw: inversion for small means, a rounded normal approximation for large ones. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    let k = 0;
    let p = Math.exp(-mean);
    let cumulative = p;
    const u = this.next();
    while (u > cumulative && k < 1000) {
      k++;
      p *= mean / k;
      cumulative += p;
    }
    return k;
  }
}

/** A short stable pseudonym for a number (FNV-1a based), e.g. for synthetic patient ids. */
export function pseudonym(prefix: string, n: number, salt: number): string {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < 8; i++) {
    h ^= (n / 2 ** (i * 6)) & 0x3f;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${prefix}${h.toString(36).padStart(7, '0')}${(n % 1296).toString(36).padStart(2, '0')}`;
}
