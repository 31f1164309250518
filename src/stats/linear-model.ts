/**
 * Ordinary least squares with heteroscedasticity- and autocorrelation-consistent (Newey–West)
 * standard errors. Small dense problems only (a handful of columns): normal equations solved by
 * Gauss–Jordan elimination with partial pivoting. Pure functions.
 */
export interface LinearFit {
  coefficients: number[];
  fitted: number[];
  residuals: number[];
  /** Newey–West covariance of the coefficients (Bartlett kernel, `lag` lags). */
  covariance: number[][];
  lag: number;
}

export function invert(matrix: number[][]): number[][] {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) throw new RangeError('the design matrix is singular (too few observations or collinear terms)');
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    for (let j = 0; j < 2 * n; j++) a[col]![j]! /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]!;
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r]![j]! -= f * a[col]![j]!;
    }
  }
  return a.map((row) => row.slice(n));
}

/** The usual Newey–West lag for n observations: floor(4 (n/100)^(2/9)). */
export const neweyWestLag = (n: number): number => Math.floor(4 * (n / 100) ** (2 / 9));

export function fitLinear(x: number[][], y: number[], lag = neweyWestLag(y.length)): LinearFit {
  const n = y.length;
  const k = x[0]!.length;
  const xtx = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => x.reduce((s, row) => s + row[i]! * row[j]!, 0)));
  const xty = Array.from({ length: k }, (_, i) => x.reduce((s, row, t) => s + row[i]! * y[t]!, 0));
  const inverse = invert(xtx);
  const coefficients = inverse.map((row) => row.reduce((s, v, j) => s + v * xty[j]!, 0));
  const fitted = x.map((row) => row.reduce((s, v, j) => s + v * coefficients[j]!, 0));
  const residuals = y.map((v, t) => v - fitted[t]!);
  // Meat: Σ_l w_l Σ_t (x_t e_t)(x_{t-l} e_{t-l})ᵀ, symmetrised, w_l = 1 − l/(L+1).
  const scores = x.map((row, t) => row.map((v) => v * residuals[t]!));
  const meat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let l = 0; l <= lag; l++) {
    const w = l === 0 ? 1 : 1 - l / (lag + 1);
    for (let t = l; t < n; t++) {
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          const term = scores[t]![i]! * scores[t - l]![j]!;
          meat[i]![j]! += l === 0 ? w * term : w * (term + scores[t - l]![i]! * scores[t]![j]!);
        }
      }
    }
  }
  const covariance = multiply(multiply(inverse, meat), inverse);
  return { coefficients, fitted, residuals, covariance, lag };
}

function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, m) => s + v * b[m]![j]!, 0)));
}
