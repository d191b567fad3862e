/**
 * Results kept for one data version, per database: what is expensive to compute from every plan
 * line (a what-if's base side, the risk at a non-default horizon) is computed once per data
 * version, and callers asking at the same moment share the computation. Every write that
 * changes the plan, the stock or the supply bumps the data version, and callers read the version
 * (kpiContext) before the rows, so a kept result is never older than its version.
 */
export class VersionCache<T> {
  private readonly byDb = new WeakMap<object, Map<string, Promise<T>>>();

  /** `limit`: results kept side by side at one version (the oldest goes first). */
  constructor(private readonly limit: number) {}

  /** The result for `key` at `version`: kept, in flight, or computed now by `compute`. */
  get(db: object, version: number, key: string, compute: () => Promise<T>): Promise<T> {
    let results = this.byDb.get(db);
    if (!results) {
      results = new Map();
      this.byDb.set(db, results);
    }
    const full = `${version}\t${key}`;
    const hit = results.get(full);
    if (hit) return hit;
    // Another version's results are of no use any more.
    for (const k of results.keys())
      if (!k.startsWith(`${version}\t`) || results.size >= this.limit) results.delete(k);
    const work = compute();
    results.set(full, work);
    // A failure is not kept: the next call tries again.
    const kept = results;
    work.catch(() => {
      if (kept.get(full) === work) kept.delete(full);
    });
    return work;
  }
}
