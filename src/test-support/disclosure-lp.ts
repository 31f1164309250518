import { createRequire } from 'node:module';

/** A linear expression: variable name → coefficient. */
export type Expr = Map<string, number>;

export const sumOf = (names: string[]): Expr => {
  const e: Expr = new Map();
  for (const n of names) e.set(n, (e.get(n) ?? 0) + 1);
  return e;
};
export const minus = (a: Expr, b: Expr): Expr => {
  const e: Expr = new Map(a);
  for (const [n, c] of b) e.set(n, (e.get(n) ?? 0) - c);
  return e;
};

interface HighsSolution {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, { Primal: number }>;
}
type Highs = { solve(problem: string, options?: Record<string, unknown>): HighsSolution };
let highs: Promise<Highs> | undefined;
const loadHighs = (): Promise<Highs> => (highs ??= (createRequire(import.meta.url)('highs') as (o?: unknown) => Promise<Highs>)());

/**
 * What an attacker knows, as linear constraints over non-negative variables, and what it lets them
 * work out: the smallest and largest value an expression can take (linear programming with HiGHS).
 */
export class AttackerModel {
  private readonly constraints: string[] = [];
  private readonly variables = new Set<string>();

  private text(e: Expr): string {
    const terms = [...e].filter(([, c]) => c !== 0);
    if (terms.length === 0) return '0 x_zero';
    return terms.map(([n, c], i) => `${c < 0 ? '- ' : i ? '+ ' : ''}${Math.abs(c)} ${n}`).join(' ');
  }

  add(e: Expr, op: '=' | '<=' | '>=', rhs: number): void {
    for (const n of e.keys()) this.variables.add(n);
    if ([...e.values()].every((c) => c === 0)) return;
    this.constraints.push(`c${this.constraints.length}: ${this.text(e)} ${op} ${rhs}`);
  }

  get size(): { variables: number; constraints: number } {
    return { variables: this.variables.size, constraints: this.constraints.length };
  }

  /**
   * Which of the expressions can reach `bound` — each in some data consistent with every constraint (not
   * necessarily all in the same data). In rounds: one linear programme maximises Σ min(eᵢ, bound) over
   * those not yet shown to reach it, and every eᵢ at `bound` in its solution does; what no round lifts is
   * tried alone (its maximum). Far fewer solves than one range per expression; the answer is the same.
   */
  async reach(es: Expr[], bound: number): Promise<{ reached: boolean[]; maximum: number[] }> {
    const solver = await loadHighs();
    const reached = es.map(() => false);
    const maximum = es.map(() => NaN);
    const solve = (objective: string, extra: string[], bounds: string[]) => {
      const r = solver.solve(`Maximize\n obj: ${objective}\nSubject To\n ${[...this.constraints, ...extra].join('\n ')}\n c_zero: x_zero = 0\nBounds\n ${bounds.join('\n ')}\nEnd`);
      if (r.Status !== 'Optimal') throw new Error(`the attacker model is ${r.Status}`);
      return r;
    };
    for (let open = es.map((_, i) => i); open.length > 0; ) {
      const caps = open.map((_, k) => `y_${k}`);
      const r = solve(caps.join(' + '), open.map((i, k) => `cap${k}: ${this.text(minus(sumOf([`y_${k}`]), es[i]!))} <= 0`), caps.map((y) => `0 <= ${y} <= ${bound}`));
      const value = (e: Expr) => [...e].reduce((s, [n, c]) => s + c * (r.Columns[n]?.Primal ?? 0), 0);
      const lifted = open.filter((i) => value(es[i]!) >= bound - 1e-6);
      for (const i of lifted) reached[i] = true;
      if (lifted.length === 0) break;
      open = open.filter((i) => !reached[i]);
    }
    for (let i = 0; i < es.length; i++) {
      if (reached[i]) continue;
      maximum[i] = (await this.range(es[i]!))[1];
      reached[i] = maximum[i]! >= bound - 1e-6;
    }
    return { reached, maximum };
  }

  /** The feasible range of `e`; throws if the constraints contradict each other (the model is wrong). */
  async range(e: Expr): Promise<[number, number]> {
    const solver = await loadHighs();
    const body = `Subject To\n ${this.constraints.join('\n ')}\n c_zero: x_zero = 0\nEnd`;
    const solve = (sense: 'Minimize' | 'Maximize') => {
      const r = solver.solve(`${sense}\n obj: ${this.text(e)}\n${body}`);
      if (r.Status === 'Unbounded') return sense === 'Maximize' ? Infinity : -Infinity;
      if (r.Status !== 'Optimal') throw new Error(`the attacker model is ${r.Status}`);
      return r.ObjectiveValue;
    };
    return [solve('Minimize'), solve('Maximize')];
  }
}
