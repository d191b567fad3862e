import { describe, expect, it } from "vitest";
import { ChannelPacer } from "../../jobs/pacer.js";

describe("ChannelPacer", () => {
  it("lets two posts to a channel through at once, then one per interval; other channels do not wait", async () => {
    const pacer = new ChannelPacer(200);
    const t0 = performance.now();
    const at: Record<string, number[]> = { a: [], b: [] };
    await Promise.all([
      ...Array.from({ length: 5 }, () => pacer.wait("a").then(() => at.a!.push(performance.now() - t0))),
      ...Array.from({ length: 2 }, () => pacer.wait("b").then(() => at.b!.push(performance.now() - t0))),
    ]);
    const [a0, a1, a2, a3, a4] = at.a as [number, number, number, number, number];
    expect(a1).toBeLessThan(100);
    expect(a2).toBeGreaterThanOrEqual(195);
    expect(a3 - a2).toBeGreaterThanOrEqual(195);
    expect(a4 - a3).toBeGreaterThanOrEqual(195);
    expect(a0).toBeLessThan(100);
    expect(Math.max(...at.b!)).toBeLessThan(100);
    // After a quiet spell the burst is back.
    await new Promise((r) => setTimeout(r, 450));
    const t1 = performance.now();
    await pacer.wait("a");
    await pacer.wait("a");
    expect(performance.now() - t1).toBeLessThan(100);
  });
});
