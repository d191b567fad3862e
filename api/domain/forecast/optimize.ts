/**
 * Small derivative-free optimisers for fitting smoothing parameters. They are tuned for what
 * the models need (one to three bounded parameters, smooth objectives, a few dozen
 * evaluations) and allocate only a handful of small arrays per call.
 */

const INV_PHI = (Math.sqrt(5) - 1) / 2; // 0.618…

export interface Minimum1d {
  x: number;
  fx: number;
}

/**
 * Minimises `f` on [lo, hi]: evaluates an even grid of `gridPoints` points (so a function with
 * several local minima is not trapped in the wrong one), then refines by golden-section search
 * in the bracket around the best grid point until the bracket is narrower than `tol`.
 */
export function minimize1d(
  f: (x: number) => number,
  lo: number,
  hi: number,
  gridPoints = 8,
  tol = 1e-3,
): Minimum1d {
  const step = (hi - lo) / (gridPoints - 1);
  let bestI = 0;
  let bestF = Number.POSITIVE_INFINITY;
  for (let i = 0; i < gridPoints; i++) {
    const fx = f(lo + i * step);
    if (fx < bestF) {
      bestF = fx;
      bestI = i;
    }
  }
  let a = lo + Math.max(0, bestI - 1) * step;
  let b = lo + Math.min(gridPoints - 1, bestI + 1) * step;
  let bestX = lo + bestI * step;
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tol) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INV_PHI * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INV_PHI * (b - a);
      fd = f(d);
    }
  }
  if (fc < bestF) {
    bestF = fc;
    bestX = c;
  }
  if (fd < bestF) {
    bestF = fd;
    bestX = d;
  }
  return { x: bestX, fx: bestF };
}

export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate (absolute). */
  step: ArrayLike<number>;
  maxEvals: number;
  /** Stop when the simplex's function values differ by less than this fraction of the best. */
  relTol: number;
}

/**
 * Bounded Nelder–Mead: the classic reflect/expand/contract/shrink simplex search, with every
 * trial point clamped into the box [lower, upper]. Returns the best point found (a new array)
 * and its value. `f` receives a scratch array it must not keep.
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: NelderMeadOptions,
): { x: Float64Array; fx: number } {
  const d = x0.length;
  const np = d + 1;
  const pts: Float64Array[] = [];
  const fv = new Float64Array(np);
  const centroid = new Float64Array(d);
  const trial = new Float64Array(d);
  const trial2 = new Float64Array(d);
  let evals = 0;

  const clampInto = (p: Float64Array) => {
    for (let j = 0; j < d; j++) {
      const v = p[j]!;
      const lo = lower[j]!;
      const hi = upper[j]!;
      p[j] = v < lo ? lo : v > hi ? hi : v;
    }
  };
  const evaluate = (p: Float64Array) => {
    evals++;
    const v = f(p);
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
  };

  for (let i = 0; i < np; i++) {
    const p = new Float64Array(d);
    for (let j = 0; j < d; j++) p[j] = x0[j]!;
    if (i > 0) {
      const j = i - 1;
      const s = options.step[j]!;
      // Step away from the nearer bound so the vertex stays distinct after clamping.
      p[j] = p[j]! + s <= upper[j]! ? p[j]! + s : p[j]! - s;
    }
    clampInto(p);
    pts.push(p);
    fv[i] = evaluate(p);
  }

  // Indices sorted by value; the simplex is small, so insertion sort each iteration is cheap.
  const order = new Int32Array(np);
  for (let i = 0; i < np; i++) order[i] = i;

  while (evals < options.maxEvals) {
    for (let i = 1; i < np; i++) {
      const k = order[i]!;
      const v = fv[k]!;
      let j = i - 1;
      while (j >= 0 && fv[order[j]!]! > v) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = k;
    }
    const best = order[0]!;
    const worst = order[np - 1]!;
    const second = order[np - 2]!;
    const fBest = fv[best]!;
    const fWorst = fv[worst]!;
    if (fWorst - fBest <= options.relTol * (Math.abs(fBest) + 1e-12)) break;

    centroid.fill(0);
    for (let i = 0; i < np - 1; i++) {
      const p = pts[order[i]!]!;
      for (let j = 0; j < d; j++) centroid[j] = centroid[j]! + p[j]! / (np - 1);
    }
    const pw = pts[worst]!;
    for (let j = 0; j < d; j++) trial[j] = centroid[j]! + (centroid[j]! - pw[j]!);
    clampInto(trial);
    const fr = evaluate(trial);
    if (fr < fBest) {
      for (let j = 0; j < d; j++) trial2[j] = centroid[j]! + 2 * (centroid[j]! - pw[j]!);
      clampInto(trial2);
      const fe = evaluate(trial2);
      if (fe < fr) {
        pw.set(trial2);
        fv[worst] = fe;
      } else {
        pw.set(trial);
        fv[worst] = fr;
      }
      continue;
    }
    if (fr < fv[second]!) {
      pw.set(trial);
      fv[worst] = fr;
      continue;
    }
    // Contract: outside if the reflection improved on the worst point, inside otherwise.
    const outside = fr < fWorst;
    for (let j = 0; j < d; j++) {
      trial2[j] = outside
        ? centroid[j]! + 0.5 * (trial[j]! - centroid[j]!)
        : centroid[j]! + 0.5 * (pw[j]! - centroid[j]!);
    }
    clampInto(trial2);
    const fc = evaluate(trial2);
    if (fc < (outside ? fr : fWorst)) {
      pw.set(trial2);
      fv[worst] = fc;
      continue;
    }
    const pb = pts[best]!;
    for (let i = 0; i < np; i++) {
      if (i === best) continue;
      const p = pts[i]!;
      for (let j = 0; j < d; j++) p[j] = pb[j]! + 0.5 * (p[j]! - pb[j]!);
      fv[i] = evaluate(p);
    }
  }

  let bi = 0;
  for (let i = 1; i < np; i++) if (fv[i]! < fv[bi]!) bi = i;
  return { x: Float64Array.from(pts[bi]!), fx: fv[bi]! };
}
