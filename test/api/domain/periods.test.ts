import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  dateFromEpochDay,
  dayOfMonth,
  daysBetween,
  daysInMonth,
  epochDay,
  firstDayOfPeriod,
  isIsoDate,
  isLeapYear,
  isPeriod,
  lastDayOfPeriod,
  monthsBetween,
  nextPeriods,
  periodFromIndex,
  periodIndex,
  periodRange,
  toPeriod,
  trailingPeriods,
  weekday,
} from "../../../api/domain/periods.js";

describe("validation", () => {
  it.each([
    ["2025-12", true],
    ["2025-01", true],
    ["2025-13", false],
    ["2025-00", false],
    ["2025-1", false],
    ["2025-12-01", false],
    ["", false],
  ])("isPeriod(%j) = %s", (value, expected) => {
    expect(isPeriod(value)).toBe(expected);
  });

  it.each([
    ["2024-02-29", true],
    ["2025-02-29", false],
    ["2000-02-29", true],
    ["1900-02-29", false],
    ["2025-04-31", false],
    ["2025-12-31", true],
    ["2025-12", false],
    ["2025-12-1", false],
  ])("isIsoDate(%j) = %s", (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it.each([
    [2024, true],
    [2025, false],
    [2000, true],
    [1900, false],
  ])("isLeapYear(%i) = %s", (year, expected) => {
    expect(isLeapYear(year)).toBe(expected);
  });

  it.each(["2025-13", "abcd-ef", "2025/12", "2025", "25-12"])("periodIndex rejects %j", (value) => {
    expect(() => periodIndex(value)).toThrow(RangeError);
  });

  it.each(["2025-02-29", "2025-12-32", "2025-12-1", "2025-12"])("epochDay rejects %j", (value) => {
    expect(() => epochDay(value)).toThrow(RangeError);
  });
});

describe("month arithmetic", () => {
  it("indexes months as year × 12 + month − 1 and back", () => {
    expect(periodIndex("2025-12")).toBe(2025 * 12 + 11);
    expect(periodIndex("2025-12-31")).toBe(periodIndex("2025-12"));
    expect(periodFromIndex(2026 * 12)).toBe("2026-01");
    expect(periodFromIndex(periodIndex("0999-03"))).toBe("0999-03");
  });

  it.each([
    ["2025-12", 1, "2026-01"],
    ["2025-01", -1, "2024-12"],
    ["2025-03", -14, "2024-01"],
    ["2025-05", 0, "2025-05"],
    ["2025-05", 24, "2027-05"],
    ["2025-12-01", 1, "2026-01"],
  ])("addMonths(%s, %i) = %s", (period, n, expected) => {
    expect(addMonths(period, n)).toBe(expected);
  });

  it.each([
    ["2025-11", "2026-02", 3],
    ["2026-02", "2025-11", -3],
    ["2025-12", "2025-12", 0],
  ])("monthsBetween(%s, %s) = %i", (from, to, expected) => {
    expect(monthsBetween(from, to)).toBe(expected);
  });

  it("lists ranges, trailing windows and the months ahead", () => {
    expect(periodRange("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(periodRange("2026-02", "2025-11")).toEqual([]);
    const window = trailingPeriods("2025-12");
    expect(window).toHaveLength(12);
    expect(window[0]).toBe("2025-01");
    expect(window[11]).toBe("2025-12");
    expect(trailingPeriods("2026-02", 3)).toEqual(["2025-12", "2026-01", "2026-02"]);
    expect(nextPeriods("2026-01", 6)).toEqual([
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
    ]);
    expect(nextPeriods("2026-01", 0)).toEqual([]);
  });

  it.each([
    ["2024-02", 29],
    ["2025-02", 28],
    ["2000-02", 29],
    ["1900-02", 28],
    ["2025-04", 30],
    ["2025-12", 31],
    ["2024-02-10", 29],
  ])("daysInMonth(%s) = %i", (period, expected) => {
    expect(daysInMonth(period)).toBe(expected);
  });

  it("converts dates and database months to periods and back", () => {
    expect(toPeriod("2025-12-01")).toBe("2025-12");
    expect(toPeriod("2025-12-31")).toBe("2025-12");
    expect(toPeriod("2025-12")).toBe("2025-12");
    expect(() => toPeriod("December")).toThrow(RangeError);
    expect(firstDayOfPeriod("2025-12")).toBe("2025-12-01");
    expect(firstDayOfPeriod("2025-12-17")).toBe("2025-12-01");
    expect(lastDayOfPeriod("2024-02")).toBe("2024-02-29");
    expect(lastDayOfPeriod("2025-02")).toBe("2025-02-28");
    expect(lastDayOfPeriod("2025-11")).toBe("2025-11-30");
    expect(dayOfMonth("2025-12-07")).toBe(7);
  });
});

describe("date arithmetic", () => {
  it.each([
    ["1970-01-01", 0],
    ["1969-12-31", -1],
    ["2000-03-01", 11017],
    ["2025-12-31", 20453],
  ])("epochDay(%s) = %i", (date, expected) => {
    expect(epochDay(date)).toBe(expected);
    expect(dateFromEpochDay(expected)).toBe(date);
  });

  it("agrees with Date from year 601 to 3968", () => {
    for (let day = -500_000; day <= 730_000; day += 97) {
      const viaDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(dateFromEpochDay(day)).toBe(viaDate);
      expect(epochDay(viaDate)).toBe(day);
    }
  });

  it.each([
    ["2024-02-28", 1, "2024-02-29"],
    ["2025-02-28", 1, "2025-03-01"],
    ["2025-12-31", 1, "2026-01-01"],
    ["2026-04-01", -45, "2026-02-15"],
    ["2026-01-01", -60, "2025-11-02"],
    ["2024-03-01", -1, "2024-02-29"],
    ["2025-06-15", 0, "2025-06-15"],
  ])("addDays(%s, %i) = %s", (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it("counts days between dates, leap years included", () => {
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2025-01-01", "2026-01-01")).toBe(365);
    expect(daysBetween("2026-01-01", "2025-12-31")).toBe(-1);
  });

  it.each([
    ["1970-01-01", 4],
    ["2025-12-31", 3],
    ["2026-02-01", 0],
    ["2026-03-07", 6],
    ["1969-12-29", 1],
  ])("weekday(%s) = %i (0 = Sunday)", (date, expected) => {
    expect(weekday(date)).toBe(expected);
  });
});
