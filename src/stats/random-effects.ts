/**
 * The between-unit variance τ² of a random-effects model by DerSimonian and Laird's moment estimator
 * (Control Clin Trials 1986;7:177–88): values yᵢ with weights wᵢ = 1/(within-unit variance),
 * ȳ = Σwy/Σw, Q = Σw(y − ȳ)², τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)); 0 with fewer than two units.
 */
export function derSimonianLaird(y: ArrayLike<number>, w: ArrayLike<number>): number {
  const k = y.length;
  if (k < 2) return 0;
  let sw = 0;
  let sw2 = 0;
  let swy = 0;
  for (let i = 0; i < k; i++) {
    sw += w[i]!;
    sw2 += w[i]! * w[i]!;
    swy += w[i]! * y[i]!;
  }
  const mean = swy / sw;
  let q = 0;
  for (let i = 0; i < k; i++) q += w[i]! * (y[i]! - mean) ** 2;
  return Math.max(0, (q - (k - 1)) / (sw - sw2 / sw));
}
