/**
 * When the schedules fire in the company's time zone, across DST changes, as node-cron's own
 * matcher decides: what catch-up and `sop jobs list` rely on.
 */
import { describe, expect, it } from "vitest";
import { describeSchedule, schedule } from "../../jobs/cron.js";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("schedule", () => {
  it("09:00 on weekdays in Denver is 15:00 UTC before the end of DST (Nov 1 2026) and 16:00 after", () => {
    const s = schedule("0 9 * * 1-5", "America/Denver");
    expect(iso(s.between(new Date("2026-10-29T00:00:00Z"), new Date("2026-11-04T00:00:00Z")))).toEqual([
      "2026-10-29T15:00:00.000Z",
      "2026-10-30T15:00:00.000Z",
      "2026-11-02T16:00:00.000Z",
      "2026-11-03T16:00:00.000Z",
    ]);
    expect(s.next(new Date("2026-10-30T15:00:00Z"))?.toISOString()).toBe("2026-10-30T15:00:00.000Z");
    expect(s.next(new Date("2026-10-30T15:00:01Z"))?.toISOString()).toBe("2026-11-02T16:00:00.000Z");
    expect(s.previous(new Date("2026-11-02T15:59:00Z"), 7)?.toISOString()).toBe("2026-10-30T15:00:00.000Z");
    expect(s.previous(new Date("2026-11-02T12:00:00Z"), 1)).toBeNull();
  });

  it("Mondays 09:00 in Berlin across the spring change (Mar 29 2026): 08:00 UTC, then 07:00", () => {
    const s = schedule("0 9 * * 1", "Europe/Berlin");
    expect(iso(s.between(new Date("2026-03-20T00:00:00Z"), new Date("2026-04-01T00:00:00Z")))).toEqual([
      "2026-03-23T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
  });

  it("a time the spring change skips does not fire that day; a time the autumn change repeats fires once", () => {
    const berlin = schedule("30 2 * * *", "Europe/Berlin");
    expect(iso(berlin.between(new Date("2026-03-28T00:00:00Z"), new Date("2026-03-31T00:00:00Z")))).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
    const denver = schedule("30 1 * * *", "America/Denver");
    expect(iso(denver.between(new Date("2026-11-01T00:00:00Z"), new Date("2026-11-02T00:00:00Z")))).toEqual([
      "2026-11-01T07:30:00.000Z",
    ]);
  });

  it("refuses an invalid expression with the reason, and describes schedules for people", () => {
    expect(() => schedule("0 25 * * *", "UTC")).toThrow(/invalid cron expression "0 25 \* \* \*"/);
    expect(describeSchedule("0 9 * * 1-5")).toBe("Weekdays at 09:00");
    expect(describeSchedule("0 9 * * 1")).toBe("Mondays at 09:00");
    expect(describeSchedule("30 7 * * *")).toBe("Every day at 07:30");
  });
});
