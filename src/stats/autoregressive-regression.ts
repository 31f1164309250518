import { invert } from './matrix-inverse.js';

/**
 * Linear regression with first-order autoregressive errors, εₜ = ρ·εₜ₋₁ + uₜ, fitted by restricted
 * maximum likelihood (REML), as nlme::gls(…, correlation = corAR1(), method = "REML") fits it.
 *
 * For a given ρ the model is generalised least squares through the Prais–Winsten transform (the first
 * row times √(1 − ρ²), every other row minus ρ times the row before), whose Gram matrix is X′V⁻¹X with
 * V the AR(1) covariance in units of the innovation variance. ρ maximises the restricted log-likelihood
 * profiled over σ² (Patterson & Thompson 1971; Harville 1977), up to a constant
 *   ℓ_R(ρ) = −½ [ (n − k)·log(SSR(ρ)/(n − k)) − log(1 − ρ²) + log|X′V⁻¹X| ],
 * found by a grid over (−0.99, 0.99) refined by golden sections. REML, unlike the autocorrelation of OLS
 * residuals, allows for the k coefficients estimated: in short series the OLS residuals' ρ is biased
 * towards negative values, which makes the intervals of sums over many months too narrow.
 *
 * An interval for a linear combination a′β uses Student's t with Satterthwaite's degrees of freedom
 * (Satterthwaite 1946; Giesbrecht & Burns 1985): df = 2·V² / Var(V̂), V = a′Cov(β̂)a, where Var(V̂) adds
 * the part from σ̂² at fixed ρ (2V²/(n − k)) and the part from ρ̂ ((∂V/∂ρ)²·Var(ρ̂), Var(ρ̂) from the
 * curvature of ℓ_R). This is what keeps the interval honest with few months (docs/low-value.md shows its
 * coverage simulation). Pure functions; small dense problems only.
 */
export interface Ar1Fit {
  coefficients: number[];
  /** Cov(β̂) = σ̂²·(X′V⁻¹X)⁻¹ at ρ̂. */
  covariance: number[][];
  fitted: number[];
  residuals: number[];
  rho: number;
  /** The innovation variance σ̂² = SSR/(n − k). */
  sigma2: number;
  restrictedLogLikelihood: number;
  /** Var(ρ̂) from the curvature of ℓ_R at ρ̂; 0 when ρ̂ is on the boundary or the fit is exact. */
  rhoVariance: number;
  /** V(a) = a′Cov(β̂)a and its Satterthwaite degrees of freedom. */
  combination(a: number[]): { value: number; variance: number; df: number };
}

const bound = 0.99;

interface AtRho {
  coefficients: number[];
  inverse: number[][];
  ssr: number;
  logLikelihood: number;
}

/** ℓ_R(ρ) as above (its constant left out): what the fit maximises, for tests and diagnostics. */
export const ar1RestrictedLogLikelihood = (x: number[][], y: number[], rho: number): number => glsAt(x, y, rho).logLikelihood;

function glsAt(x: number[][], y: number[], rho: number): AtRho {
  const n = y.length;
  const k = x[0]!.length;
  const f = Math.sqrt(1 - rho * rho);
  const xs = x.map((row, t) => (t === 0 ? row.map((v) => v * f) : row.map((v, j) => v - rho * x[t - 1]![j]!)));
  const ys = y.map((v, t) => (t === 0 ? v * f : v - rho * y[t - 1]!));
  const gram = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => xs.reduce((s, row) => s + row[i]! * row[j]!, 0)));
  const xty = Array.from({ length: k }, (_, i) => xs.reduce((s, row, t) => s + row[i]! * ys[t]!, 0));
  const inverse = invert(gram);
  const coefficients = inverse.map((row) => row.reduce((s, v, j) => s + v * xty[j]!, 0));
  let ssr = 0;
  for (let t = 0; t < n; t++) ssr += (ys[t]! - xs[t]!.reduce((s, c, j) => s + c * coefficients[j]!, 0)) ** 2;
  const logLikelihood = -0.5 * ((n - k) * Math.log(ssr / (n - k)) - Math.log(1 - rho * rho) + logDeterminant(gram));
  return { coefficients, inverse, ssr, logLikelihood };
}

/** log|A| of a symmetric positive definite matrix, by Gaussian elimination. */
function logDeterminant(matrix: number[][]): number {
  const a = matrix.map((row) => [...row]);
  const n = a.length;
  let sum = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const pivot = a[c]![c]!;
    sum += Math.log(Math.abs(pivot));
    for (let r = c + 1; r < n; r++) {
      const factor = a[r]![c]! / pivot;
      for (let j = c; j < n; j++) a[r]![j]! -= factor * a[c]![j]!;
    }
  }
  return sum;
}

function maximiseRho(x: number[][], y: number[]): number {
  const ll = (rho: number) => glsAt(x, y, rho).logLikelihood;
  // A grid first (ℓ_R can have more than one local maximum), then golden sections around its best point.
  const steps = 40;
  let best = 0;
  let bestValue = ll(0);
  for (let i = 0; i <= steps; i++) {
    const rho = -bound + (2 * bound * i) / steps;
    const value = ll(rho);
    if (value > bestValue) [best, bestValue] = [rho, value];
  }
  const width = (2 * bound) / steps;
  let lo = Math.max(-bound, best - width);
  let hi = Math.min(bound, best + width);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = ll(a);
  let fb = ll(b);
  while (hi - lo > 1e-10) {
    if (fa > fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = ll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = ll(b);
    }
  }
  const rho = (lo + hi) / 2;
  return ll(rho) >= bestValue ? rho : best;
}

export function fitAr1Reml(x: number[][], y: number[]): Ar1Fit {
  const n = y.length;
  const k = x[0]!.length;
  if (n < k + 3) throw new RangeError(`a regression with AR(1) errors needs at least ${k + 3} observations (has ${n})`);
  const ols = glsAt(x, y, 0);
  const scale = y.reduce((s, v) => s + v * v, 0);
  // An exact fit has no residual variance to model: ρ = 0 and no uncertainty.
  const exact = ols.ssr <= 1e-24 * Math.max(scale, 1);
  const rho = exact ? 0 : maximiseRho(x, y);
  // An exact fit's leftover is rounding (down to denormal numbers): it is taken as none.
  const at = exact ? { ...ols, ssr: 0 } : glsAt(x, y, rho);
  const sigma2 = at.ssr / (n - k);
  const covariance = at.inverse.map((row) => row.map((v) => v * sigma2));
  // Var(ρ̂) from the curvature of ℓ_R, and ∂Cov/∂ρ, by central differences inside the boundary.
  const h = 1e-4;
  const inside = !exact && Math.abs(rho) < bound - 2 * h;
  const plus = inside ? glsAt(x, y, rho + h) : at;
  const minus = inside ? glsAt(x, y, rho - h) : at;
  const curvature = -(plus.logLikelihood - 2 * at.logLikelihood + minus.logLikelihood) / (h * h);
  const rhoVariance = inside && curvature > 0 ? 1 / curvature : 0;
  const quadratic = (inverse: number[][], ssr: number, a: number[]) => (ssr / (n - k)) * a.reduce((s, ai, i) => s + ai * inverse[i]!.reduce((t, v, j) => t + v * a[j]!, 0), 0);
  const fitted = x.map((row) => row.reduce((s, v, j) => s + v * at.coefficients[j]!, 0));
  return {
    coefficients: at.coefficients,
    covariance,
    fitted,
    residuals: y.map((v, t) => v - fitted[t]!),
    rho,
    sigma2,
    restrictedLogLikelihood: at.logLikelihood,
    rhoVariance,
    combination(a: number[]) {
      const value = a.reduce((s, ai, i) => s + ai * at.coefficients[i]!, 0);
      const variance = quadratic(at.inverse, at.ssr, a);
      if (!(variance > 0)) return { value, variance: 0, df: n - k };
      const slope = inside ? (quadratic(plus.inverse, plus.ssr, a) - quadratic(minus.inverse, minus.ssr, a)) / (2 * h) : 0;
      const varianceOfVariance = (2 * variance * variance) / (n - k) + slope * slope * rhoVariance;
      // A variance so small that its square underflows has nothing to say about its own uncertainty.
      const df = varianceOfVariance > 0 ? (2 * variance * variance) / varianceOfVariance : n - k;
      return { value, variance, df: Math.max(1, df) };
    },
  };
}
