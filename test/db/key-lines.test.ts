import { describe, expect, it } from "vitest";
import { KeyLines } from "../../db/import/key-lines.js";

/** Feeds keys to KeyLines and to a Map, and compares every answer. */
function check(range: number, keys: [group: number, low: number][]) {
  const table = new KeyLines(range);
  const reference = new Map<number, number>();
  const differ: unknown[] = [];
  keys.forEach(([group, low], i) => {
    const line = i + 2;
    const key = group * range + low;
    const expected = reference.get(key);
    if (expected === undefined) reference.set(key, line);
    const got = table.add(group, low, line);
    if (got !== expected && differ.length < 5) differ.push({ group, low, line, got, expected });
  });
  return differ;
}

describe("the duplicate-key table", () => {
  it("finds repeats in a dense file (SKU-locations × months), sorted by month or by SKU", () => {
    const byMonth: [number, number][] = [];
    for (let month = 0; month < 36; month++)
      for (let pair = 0; pair < 5000; pair++) byMonth.push([pair, 1400 + month]);
    const bySku = [...byMonth].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // Every tenth key again, late in the file.
    const again = (keys: [number, number][]) => [...keys, ...keys.filter((_, i) => i % 10 === 0)];
    expect(check(4096, again(byMonth))).toEqual([]);
    expect(check(4096, again(bySku))).toEqual([]);
  });

  it("moves to the hash table when keys spread thinly over many values, and keeps what it had", () => {
    let seed = 3;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) & 0x7fffffff;
      return seed % n;
    };
    // Forecast-like keys: few groups, lows from a range of 2^26; repeats mixed in.
    const keys: [number, number][] = [];
    for (let i = 0; i < 200_000; i++) keys.push([rand(3000), rand(1 << 26)]);
    for (let i = 0; i < 20_000; i++) keys.push(keys[rand(keys.length)]!);
    expect(check(1 << 26, keys)).toEqual([]);
  });

  it("widens for group numbers far beyond the first thousand, and holds one low (items)", () => {
    const keys: [number, number][] = [];
    for (let g = 0; g < 300_000; g++) keys.push([g, 0]);
    keys.push([299_999, 0], [0, 0], [123_456, 0]);
    expect(check(1, keys)).toEqual([]);
  });
});
