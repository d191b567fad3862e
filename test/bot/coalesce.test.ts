import { describe, expect, it } from "vitest";
import { coalesceGets } from "../../bot/coalesce.js";

/** A fetch that counts calls and answers after `ms`, echoing the URL. */
function slowFetch(ms = 20) {
  const calls: string[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(`${init?.method ?? "GET"} ${String(input)}`);
    await new Promise((r) => setTimeout(r, ms));
    if (String(input).includes("fail")) throw new Error("connection refused");
    return Response.json(
      { url: String(input), n: calls.length },
      { status: String(input).includes("404") ? 404 : 200 },
    );
  };
  return { calls, fetch };
}

describe("coalesceGets", () => {
  it("shares one request among identical GETs in flight; each caller gets a readable body", async () => {
    const { calls, fetch } = slowFetch();
    const f = coalesceGets(fetch);
    const answers = await Promise.all(Array.from({ length: 20 }, () => f("http://sop.local/api/kpi/gaps")));
    expect(calls).toHaveLength(1);
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(bodies.every((b) => b.n === 1)).toBe(true);
  });

  it("keeps nothing afterwards, keeps different URLs, headers and writes apart", async () => {
    const { calls, fetch } = slowFetch();
    const f = coalesceGets(fetch);
    await f("http://sop.local/a");
    await f("http://sop.local/a");
    await Promise.all([
      f("http://sop.local/a"),
      f("http://sop.local/b"),
      f("http://sop.local/a", { headers: { authorization: "Bearer other" } }),
      f("http://sop.local/a", { method: "POST", body: "{}" }),
      f("http://sop.local/a", { method: "POST", body: "{}" }),
    ]);
    expect(calls).toEqual([
      "GET http://sop.local/a",
      "GET http://sop.local/a",
      "GET http://sop.local/a",
      "GET http://sop.local/b",
      "GET http://sop.local/a",
      "POST http://sop.local/a",
      "POST http://sop.local/a",
    ]);
  });

  it("passes statuses and failures on to every caller", async () => {
    const { fetch } = slowFetch();
    const f = coalesceGets(fetch);
    const [a, b] = await Promise.all([f("http://sop.local/404"), f("http://sop.local/404")]);
    expect([a.status, b.status]).toEqual([404, 404]);
    const failed = await Promise.allSettled([f("http://sop.local/fail"), f("http://sop.local/fail")]);
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});
