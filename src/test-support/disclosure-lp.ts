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
