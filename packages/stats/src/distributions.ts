// Distribution functions the summaries need and simple-statistics lacks (or gives only to a few
// digits): Student t and normal quantiles to ~1e-12, binomial tails, exact Mann-Whitney counts.

const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7): about 15 significant digits. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = lanczos[0]!;
  for (let i = 1; i < 9; i += 1) sum += lanczos[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 10_000; m += 1) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / (Math.abs(1 + aa * d) < tiny ? tiny : 1 + aa * d);
    c = Math.abs(1 + aa / c) < tiny ? tiny : 1 + aa / c;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / (Math.abs(1 + aa * d) < tiny ? tiny : 1 + aa * d);
    c = Math.abs(1 + aa / c) < tiny ? tiny : 1 + aa / c;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b), the regularized incomplete beta function. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T <= t) for Student's t with `dof` degrees of freedom. */
export function studentTCdf(t: number, dof: number): number {
  const tail = 0.5 * regularizedBeta(dof / (dof + t * t), dof / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Inverts a monotone CDF by bisection to double precision; `low`/`high` must bracket. */
function invert(cdf: (x: number) => number, p: number, low: number, high: number): number {
  let lo = low;
  let hi = high;
  while (cdf(lo) > p) lo *= 2;
  while (cdf(hi) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-14 * Math.max(1, Math.abs(lo)); i += 1) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// Quantiles are asked for the same few (p, dof) pairs over and over (every summary of n samples
// needs t(0.975, n - 1)); each costs a bisection over the incomplete beta, so remember them.
const quantileCache = new Map<string, number>();

function memoized(key: string, compute: () => number): number {
  let value = quantileCache.get(key);
  if (value === undefined) {
    value = compute();
    if (quantileCache.size > 10_000) quantileCache.clear();
    quantileCache.set(key, value);
  }
  return value;
}

/** The p-quantile of Student's t with `dof` degrees of freedom (e.g. p = 0.975 for a 95% CI). */
export function studentTQuantile(p: number, dof: number): number {
  return memoized(`t:${p}:${dof}`, () => computeStudentTQuantile(p, dof));
}

function computeStudentTQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1) || !(dof > 0)) throw new RangeError(`studentTQuantile: need 0 < p < 1 and dof > 0, got p=${p}, dof=${dof}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -computeStudentTQuantile(1 - p, dof);
  return invert((t) => studentTCdf(t, dof), p, 0, 8);
}

/** Q(a, x), the regularized upper incomplete gamma function (series or continued fraction). */
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const logFront = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(logFront);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logFront) * h;
}

/** P(Z > z) for a standard normal Z, accurate in the far tail too. */
export function normalSurvival(z: number): number {
  const half = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z >= 0 ? half : 1 - half;
}

/** The p-quantile of the standard normal distribution. */
export function normalQuantile(p: number): number {
  return memoized(`z:${p}`, () => computeNormalQuantile(p));
}

function computeNormalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: need 0 < p < 1, got ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -computeNormalQuantile(1 - p);
  return invert((z) => 1 - normalSurvival(z), p, 0, 8);
}

/** P(X = k) for X ~ Binomial(n, 1/2), in log space so large n neither under- nor overflows. */
export function binomialHalfPmf(k: number, n: number): number {
  return Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) - n * Math.LN2);
}

/**
 * P(U >= u) for the Mann-Whitney U of samples of sizes n1 and n2 with no ties, from the exact
 * count of rank arrangements (the recurrence f(n1, n2, u) = f(n1-1, n2, u-n2) + f(n1, n2-1, u)).
 */
export function mannWhitneyExactSurvival(u: number, n1: number, n2: number): number {
  const maxU = n1 * n2;
  // counts[i][j][v] flattened: arrangements of i and j values with U = v.
  let previous: Float64Array[] = Array.from({ length: n2 + 1 }, () => {
    const row = new Float64Array(maxU + 1);
    row[0] = 1;
    return row;
  });
  for (let i = 1; i <= n1; i += 1) {
    const current: Float64Array[] = [new Float64Array(maxU + 1)];
    current[0]![0] = 1;
    for (let j = 1; j <= n2; j += 1) {
      const row = new Float64Array(maxU + 1);
      const left = previous[j]!;
      const down = current[j - 1]!;
      for (let v = 0; v <= maxU; v += 1) row[v] = (v >= j ? left[v - j]! : 0) + down[v]!;
      current.push(row);
    }
    previous = current;
  }
  const counts = previous[n2]!;
  let total = 0;
  let atLeast = 0;
  for (let v = 0; v <= maxU; v += 1) {
    total += counts[v]!;
    if (v >= u) atLeast += counts[v]!;
  }
  return atLeast / total;
}
