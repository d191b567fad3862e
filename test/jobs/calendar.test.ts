import { describe, expect, it } from "vitest";
import { endOfLocalDay, firstBusinessDayOfWeek, isoWeek, mondayOf } from "../../jobs/calendar.js";

describe("the jobs' local calendar", () => {
  it.each([
    ["2026-11-16", "2026-W47"],
    ["2026-11-22", "2026-W47"], // a Sunday ends the ISO week
    ["2026-01-01", "2026-W01"], // a Thursday: week 1
    ["2027-01-01", "2026-W53"], // a Friday: the last week of 2026
    ["2024-12-30", "2025-W01"], // a Monday in the first week of 2025
    ["2021-01-03", "2020-W53"],
  ])("isoWeek(%s) = %s", (date, week) => {
    expect(isoWeek(date)).toBe(week);
  });

  it("the first business day of a week skips holidays; a week of holidays has none", () => {
    expect(mondayOf("2026-11-19")).toBe("2026-11-16");
    expect(firstBusinessDayOfWeek("2026-11-19", new Set())).toBe("2026-11-16");
    expect(firstBusinessDayOfWeek("2026-11-19", new Set(["2026-11-16"]))).toBe("2026-11-17");
    const all = new Set(["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24", "2026-12-25"]);
    expect(firstBusinessDayOfWeek("2026-12-23", all)).toBeNull();
  });

  it("a local day ends at the next local midnight, DST or not", () => {
    expect(endOfLocalDay("2026-10-31", "America/Denver").toISOString()).toBe("2026-11-01T06:00:00.000Z");
    // Nov 1 is 25 hours long in Denver.
    expect(endOfLocalDay("2026-11-01", "America/Denver").toISOString()).toBe("2026-11-02T07:00:00.000Z");
  });
});
