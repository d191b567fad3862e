/**
 * A seeded pseudo-random generator for the demo company. Each series draws from its own stream,
 * named by labels (`rng(seed, "sales", sku, location)`), so changing how one part of the demo is
 * drawn never shifts the numbers of another, and the same seed always gives the same company.
 */

export interface Rng {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A uniform number in [min, max). */
  uniform(min: number, max: number): number;
  /** A uniform whole number in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A standard normal draw (Box–Muller). */
  normal(): number;
  /** A Poisson draw with the given mean (Knuth below 30, a rounded normal above). */
  poisson(mean: number): number;
  pick<T>(values: readonly T[]): T;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(values: readonly T[]): T[];
}

/** cyrb128: four 32-bit words from a string, the seed of sfc32. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): four 32-bit state words. A class
 * rather than closures: the generator makes tens of thousands of streams.
 */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor([a, b, c, d]: [number, number, number, number]) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // The first outputs of a freshly seeded sfc32 are poorly mixed.
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(0) is not a number
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  pick<T>(values: readonly T[]): T {
    if (values.length === 0) throw new RangeError("cannot pick from an empty list");
    return values[Math.floor(this.next() * values.length)] as T;
  }

  shuffle<T>(values: readonly T[]): T[] {
    const out = [...values];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** A stream of its own for `labels` under `seed`. */
export function rng(seed: number, ...labels: (string | number)[]): Rng {
  return new Sfc32(hash128(`${seed}\u0000${labels.join("\u0000")}`));
}
