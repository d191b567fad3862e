/**
 * The duplicate-key check of the CSV import: which line each natural key was first seen on.
 */

/**
 * The line on which each natural key was first seen, for the "repeats line N" check.
 *
 * Dense while it can be: one Int32Array of lines per `low` value, indexed by group. Groups are
 * numbered as first seen, so the rows of one month in a file sorted by month, or the months of
 * one SKU in a file sorted by SKU, are neighbours in memory, and 4 bytes hold a key. When that
 * would waste more than three cells in four (few keys spread over many `low` values), the keys
 * move to an open-addressing hash table over typed arrays, 12 bytes a slot: the import's
 * duplicate check cost 0.5 s of CPU a million sales rows with the hash table alone, most of it
 * waiting on memory. (A Map of a million keys cost ~80 MB and a good share of the garbage
 * collection.)
 */
export class KeyLines {
  private rows: Int32Array[] = [];
  private rowOf = new Map<number, number>();
  private lastLow = -1;
  private lastRow: Int32Array | null = null;
  private width = 1024;
  private cells = 0;
  private hashed: HashedKeyLines | null = null;

  constructor(private readonly range: number) {}

  /** Records the key at `line`; returns the line it was first seen on when it was already there. */
  add(group: number, low: number, line: number): number | undefined {
    if (this.hashed) return this.hashed.add(group * this.range + low, line);
    let row = this.lastLow === low ? this.lastRow : null;
    if (row === null) {
      const index = this.rowOf.get(low);
      if (index === undefined) {
        if (this.tooSparse(this.rows.length + 1, this.width))
          return this.rehash().add(group * this.range + low, line);
        row = new Int32Array(this.width);
        this.rowOf.set(low, this.rows.length);
        this.rows.push(row);
      } else row = this.rows[index]!;
      this.lastLow = low;
      this.lastRow = row;
    }
    if (group >= this.width) {
      let width = this.width;
      while (group >= width) width *= 2;
      if (this.tooSparse(this.rows.length, width)) return this.rehash().add(group * this.range + low, line);
      this.widen(width);
      return this.add(group, low, line);
    }
    const at = row[group]!;
    if (at !== 0) return at;
    row[group] = line;
    this.cells++;
    return undefined;
  }

  /** More than four cells a key, past the first million cells (4 MB). */
  private tooSparse(rows: number, width: number): boolean {
    return rows * width > Math.max(1 << 20, 4 * this.cells);
  }

  private widen(width: number): void {
    this.rows = this.rows.map((old) => {
      const row = new Int32Array(width);
      row.set(old);
      return row;
    });
    this.width = width;
    this.lastLow = -1;
    this.lastRow = null;
  }

  private rehash(): HashedKeyLines {
    const hashed = new HashedKeyLines();
    for (const [low, index] of this.rowOf) {
      const row = this.rows[index]!;
      for (let group = 0; group < row.length; group++)
        if (row[group] !== 0) hashed.add(group * this.range + low, row[group]!);
    }
    this.rows = [];
    this.rowOf.clear();
    this.lastRow = null;
    this.hashed = hashed;
    return hashed;
  }
}

/** An open-addressing hash table of keys below 2^53 and their lines, 12 bytes a slot. */
class HashedKeyLines {
  private keys = new Float64Array(1 << 16);
  private lines = new Int32Array(1 << 16);
  private size = 0;

  /** Records `key` at `line`; returns the line it was first seen on when it was already there. */
  add(key: number, line: number): number | undefined {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let i = hash(key) & mask; ; i = (i + 1) & mask) {
      const at = this.lines[i]!;
      if (at === 0) {
        this.keys[i] = key;
        this.lines[i] = line;
        this.size++;
        return undefined;
      }
      if (this.keys[i] === key) return at;
    }
  }

  private grow(): void {
    const { keys, lines } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.lines = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (lines[i] !== 0) this.add(keys[i]!, lines[i]!);
  }
}

/** Mixes both halves of a key below 2^53 into 32 bits (lines are ≥ 2, so 0 marks a free slot). */
function hash(key: number): number {
  let h = (key >>> 0) ^ Math.imul((key / 4_294_967_296) >>> 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
