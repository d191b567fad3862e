import { describe, expect, it } from "vitest";
import { VersionCache } from "../../api/services/version-cache.js";

describe("VersionCache", () => {
  const db = {};
  const counting = () => {
    let calls = 0;
    return {
      compute: (value: string) => () => {
        calls++;
        return Promise.resolve(value);
      },
      calls: () => calls,
    };
  };

  it("computes a key once per version, shared while in flight and kept after", async () => {
    const cache = new VersionCache<string>(2);
    const c = counting();
    const [a, b] = await Promise.all([
      cache.get(db, 1, "k", c.compute("x")),
      cache.get(db, 1, "k", c.compute("y")),
    ]);
    expect([a, b, await cache.get(db, 1, "k", c.compute("z"))]).toEqual(["x", "x", "x"]);
    expect(c.calls()).toBe(1);
    // Another database has its own results.
    expect(await cache.get({}, 1, "k", c.compute("other"))).toBe("other");
  });

  it("drops other versions' results and keeps at most `limit`, the oldest going first", async () => {
    const cache = new VersionCache<string>(2);
    const c = counting();
    await cache.get(db, 1, "a", c.compute("a1"));
    expect(await cache.get(db, 2, "a", c.compute("a2"))).toBe("a2");
    expect(await cache.get(db, 1, "a", c.compute("a1 again"))).toBe("a1 again");
    await cache.get(db, 1, "b", c.compute("b1"));
    await cache.get(db, 1, "c", c.compute("c1"));
    expect(c.calls()).toBe(5);
    // "a" was the oldest of three: recomputed; "c" is kept.
    expect(await cache.get(db, 1, "c", c.compute("c again"))).toBe("c1");
    expect(await cache.get(db, 1, "a", c.compute("a recomputed"))).toBe("a recomputed");
  });

  it("does not keep a failure", async () => {
    const cache = new VersionCache<string>(2);
    await expect(cache.get(db, 1, "k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get(db, 1, "k", () => Promise.resolve("ok"))).toBe("ok");
  });
});
