/**
 * Jenks natural breaks: the classification of values into k classes of consecutive sorted values that
 * minimises the sum of squared deviations from the class means (Jenks 1977), found exactly by dynamic
 * programming over the sorted values (Fisher 1958, "On grouping for maximum homogeneity"), O(k·n²).
 * This is what the national atlas's maps are classed by. Pure.
 */
export interface NaturalClass {
  min: number;
  max: number;
  /** How many values fall in the class. */
  count: number;
}

export function naturalBreaks(values: number[], k: number): NaturalClass[] {
  const x = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = x.length;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`natural breaks need a whole number of classes ≥ 1, got ${k}`);
  if (n === 0) return [];
  const classes = Math.min(k, n);
  // Prefix sums: the squared deviation of x[i..j] is S2 − S1²/m.
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    s1[i + 1] = s1[i]! + x[i]!;
    s2[i + 1] = s2[i]! + x[i]! * x[i]!;
  }
  const cost = (i: number, j: number) => {
    const m = j - i + 1;
    const sum = s1[j + 1]! - s1[i]!;
    return Math.max(0, s2[j + 1]! - s2[i]! - (sum * sum) / m);
  };
  // best[c][j]: the least cost of x[0..j] in c + 1 classes; start[c][j]: where its last class starts.
  const best = Array.from({ length: classes }, () => new Float64Array(n).fill(Infinity));
  const start = Array.from({ length: classes }, () => new Int32Array(n));
  for (let j = 0; j < n; j++) best[0]![j] = cost(0, j);
  for (let c = 1; c < classes; c++) {
    for (let j = c; j < n; j++) {
      for (let i = c; i <= j; i++) {
        const total = best[c - 1]![i - 1]! + cost(i, j);
        if (total < best[c]![j]!) {
          best[c]![j] = total;
          start[c]![j] = i;
        }
      }
    }
  }
  const out: NaturalClass[] = [];
  let end = n - 1;
  for (let c = classes - 1; c >= 0; c--) {
    const first = c === 0 ? 0 : start[c]![end]!;
    out.unshift({ min: x[first]!, max: x[end]!, count: end - first + 1 });
    end = first - 1;
  }
  return out;
}
