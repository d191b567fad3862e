import { describe, expect, it } from "vitest";
import {
  addBusinessDays,
  businessDayOfMonth,
  businessDaysBetween,
  isBusinessDay,
  isOverdue,
  isPastDue,
  localDate,
  localPeriod,
  nthBusinessDay,
  overdueFrom,
  startOfLocalDay,
  stepDueDate,
  utcOffsetMinutes,
  zonedInstant,
} from "../../../api/domain/calendar.js";
import { addDays, dateFromEpochDay, epochDay } from "../../../api/domain/periods.js";

// December 2025 starts on a Monday; Christmas Day and Boxing Day are Thursday and Friday.
const christmas = new Set(["2025-12-25", "2025-12-26"]);
// 1 January 2026 is a Thursday.
const newYear = new Set(["2026-01-01"]);
const at = (iso: string) => new Date(iso);

describe("business days", () => {
  it.each([
    ["2025-12-01", christmas, true], // Monday
    ["2025-12-05", christmas, true], // Friday
    ["2025-12-06", christmas, false], // Saturday
    ["2025-12-07", christmas, false], // Sunday
    ["2025-12-25", christmas, false], // holiday
    ["2025-12-25", new Set<string>(), true],
  ])("isBusinessDay(%s)", (date, holidays, expected) => {
    expect(isBusinessDay(date, holidays)).toBe(expected);
  });

  it.each([
    // December 2025: 1–5, 8–12, 15–19, 22–24 | 25, 26 holidays | 29–31 → 21 business days
    ["2025-12", 1, christmas, "2025-12-01"],
    ["2025-12", 3, christmas, "2025-12-03"],
    ["2025-12", 15, christmas, "2025-12-19"],
    ["2025-12", 19, christmas, "2025-12-29"],
    ["2025-12", 19, new Set<string>(), "2025-12-25"],
    // fewer than 23 business days: the last one
    ["2025-12", 23, christmas, "2025-12-31"],
    // January 2026 with New Year's Day off: Fri 2 is the 1st, Tue 6 the 3rd
    ["2026-01", 3, newYear, "2026-01-06"],
    ["2026-01", 3, new Set<string>(), "2026-01-05"],
    // February 2026 starts on a Sunday and has 20 business days, the last on Fri 27
    ["2026-02", 1, new Set<string>(), "2026-02-02"],
    ["2026-02", 20, new Set<string>(), "2026-02-27"],
    ["2026-02", 23, new Set<string>(), "2026-02-27"],
  ])("business day of %s #%i", (period, n, holidays, expected) => {
    expect(nthBusinessDay(period, n, holidays)).toBe(expected);
  });

  it("gives a month without business days its last calendar day", () => {
    const all = new Set<string>();
    for (let d = epochDay("2026-02-01"); d <= epochDay("2026-02-28"); d++) all.add(dateFromEpochDay(d));
    expect(nthBusinessDay("2026-02", 1, all)).toBe("2026-02-28");
  });

  it("rejects business day 0", () => {
    expect(() => nthBusinessDay("2026-02", 0)).toThrow(RangeError);
    expect(() => nthBusinessDay("2026-02", 1.5)).toThrow(RangeError);
  });

  it.each([
    ["data", 3, "2026-01-06"],
    ["demand", 6, "2026-01-09"],
    ["supply", 9, "2026-01-14"],
    ["pre", 12, "2026-01-19"],
    ["exec", 15, "2026-01-22"],
    ["execution", null, "2026-01-31"],
  ] as const)("the default %s step of cycle 2026-01 is due %s", (_key, day, expected) => {
    expect(stepDueDate("2026-01", day, newYear)).toBe(expected);
  });

  it("ends February on its last calendar day, leap or not", () => {
    expect(stepDueDate("2024-02", null)).toBe("2024-02-29");
    expect(stepDueDate("2026-02", null)).toBe("2026-02-28");
    // the last day of May 2026 is a Sunday: end of month is still the 31st
    expect(stepDueDate("2026-05", null)).toBe("2026-05-31");
  });

  it.each([
    ["2025-12-19", "2025-12-22", christmas, 1], // Friday → Monday
    ["2025-12-22", "2025-12-19", christmas, -1],
    ["2025-12-22", "2025-12-22", christmas, 0],
    ["2025-12-20", "2025-12-21", christmas, 0], // Saturday → Sunday
    ["2025-12-01", "2025-12-31", new Set<string>(), 22],
    ["2025-12-01", "2025-12-31", christmas, 20],
    ["2025-12-24", "2025-12-29", christmas, 1],
    ["2025-12-01", "2025-12-31", new Set(["2025-12-27", "2026-01-01", "2025-11-28"]), 22],
    ["2025-11-30", "2026-01-31", new Set([...christmas, ...newYear]), 23 + 22 - 3],
  ])("businessDaysBetween(%s, %s)", (from, to, holidays, expected) => {
    expect(businessDaysBetween(from, to, holidays)).toBe(expected);
  });

  it("counts like a day-by-day walk", () => {
    const holidays = new Set(["2024-02-29", "2024-03-01", "2024-12-25", "2025-01-01", "2025-05-03"]);
    const walk = (from: string, to: string) => {
      let n = 0;
      for (let d = epochDay(from) + 1; d <= epochDay(to); d++)
        if (isBusinessDay(dateFromEpochDay(d), holidays)) n++;
      return n;
    };
    for (let a = 0; a < 120; a += 7) {
      for (let len = 0; len < 400; len += 13) {
        const from = addDays("2024-01-01", a * 3 + (len % 5));
        const to = addDays(from, len);
        expect(businessDaysBetween(from, to, holidays), `${from}..${to}`).toBe(walk(from, to));
        expect(businessDaysBetween(to, from, holidays)).toBe(0 - walk(from, to));
      }
    }
  });

  it.each([
    ["2025-12-19", 1, "2025-12-22"],
    ["2025-12-24", 1, "2025-12-29"],
    ["2025-12-29", -1, "2025-12-24"],
    ["2025-12-20", 0, "2025-12-20"],
    ["2025-12-20", 1, "2025-12-22"],
    ["2025-12-20", -1, "2025-12-19"],
    // Dec 1 plus the 20 other business days of December, then Thursday 1 January
    ["2025-12-01", 21, "2026-01-01"],
  ])("addBusinessDays(%s, %i)", (date, n, expected) => {
    expect(addBusinessDays(date, n, christmas)).toBe(expected);
  });

  it("round-trips addBusinessDays and businessDaysBetween from business days", () => {
    for (let n = -30; n <= 30; n++) {
      const to = addBusinessDays("2025-12-03", n, christmas);
      expect(businessDaysBetween("2025-12-03", to, christmas)).toBe(n);
    }
  });

  it.each([
    ["2026-01-02", newYear, 1],
    ["2026-01-06", newYear, 3],
    ["2026-01-01", newYear, null],
    ["2026-01-03", newYear, null],
    ["2025-12-29", christmas, 19],
  ])("businessDayOfMonth(%s)", (date, holidays, expected) => {
    expect(businessDayOfMonth(date, holidays)).toBe(expected);
  });
});

describe("instants in the company's time zone", () => {
  it.each([
    // Berlin, spring forward on Sunday 2026-03-29 at 01:00Z (02:00 CET → 03:00 CEST)
    ["2026-03-28T22:59:59Z", "Europe/Berlin", "2026-03-28"],
    ["2026-03-28T23:00:00Z", "Europe/Berlin", "2026-03-29"],
    ["2026-03-29T21:59:59Z", "Europe/Berlin", "2026-03-29"],
    ["2026-03-29T22:00:00Z", "Europe/Berlin", "2026-03-30"],
    // Berlin, fall back on Sunday 2026-10-25 at 01:00Z (03:00 CEST → 02:00 CET)
    ["2026-10-24T21:59:59Z", "Europe/Berlin", "2026-10-24"],
    ["2026-10-24T22:00:00Z", "Europe/Berlin", "2026-10-25"],
    ["2026-10-25T22:59:59Z", "Europe/Berlin", "2026-10-25"],
    ["2026-10-25T23:00:00Z", "Europe/Berlin", "2026-10-26"],
    // New York, spring forward on Sunday 2026-03-08 at 07:00Z (02:00 EST → 03:00 EDT)
    ["2026-03-08T04:59:59Z", "America/New_York", "2026-03-07"],
    ["2026-03-08T05:00:00Z", "America/New_York", "2026-03-08"],
    ["2026-03-09T03:59:59Z", "America/New_York", "2026-03-08"],
    ["2026-03-09T04:00:00Z", "America/New_York", "2026-03-09"],
    // New York, fall back on Sunday 2026-11-01 at 06:00Z
    ["2026-11-02T04:59:59Z", "America/New_York", "2026-11-01"],
    ["2026-11-02T05:00:00Z", "America/New_York", "2026-11-02"],
    ["2026-01-01T05:29:59Z", "Asia/Kolkata", "2026-01-01"],
    ["2025-12-31T18:30:00Z", "Asia/Kolkata", "2026-01-01"],
    ["2025-12-31T23:59:59Z", "UTC", "2025-12-31"],
  ])("%s in %s is on %s", (iso, tz, expected) => {
    expect(localDate(at(iso), tz)).toBe(expected);
    expect(localDate(at(iso).getTime(), tz)).toBe(expected);
  });

  it.each([
    ["2026-01-15T12:00:00Z", "Europe/Berlin", 60],
    ["2026-07-15T12:00:00Z", "Europe/Berlin", 120],
    ["2026-01-15T12:00:00Z", "America/New_York", -300],
    ["2026-07-15T12:00:00Z", "America/New_York", -240],
    ["2026-07-15T12:00:00Z", "Asia/Kathmandu", 345],
    ["2026-07-15T12:00:00Z", "UTC", 0],
  ])("utcOffsetMinutes(%s, %s) = %i", (iso, tz, expected) => {
    expect(utcOffsetMinutes(at(iso), tz)).toBe(expected);
  });

  it.each([
    ["2026-03-29", "Europe/Berlin", "2026-03-28T23:00:00.000Z"], // a 23-hour day
    ["2026-03-30", "Europe/Berlin", "2026-03-29T22:00:00.000Z"],
    ["2026-10-25", "Europe/Berlin", "2026-10-24T22:00:00.000Z"], // a 25-hour day
    ["2026-10-26", "Europe/Berlin", "2026-10-25T23:00:00.000Z"],
    ["2026-03-08", "America/New_York", "2026-03-08T05:00:00.000Z"],
    ["2026-03-09", "America/New_York", "2026-03-09T04:00:00.000Z"],
    ["2026-11-01", "America/New_York", "2026-11-01T04:00:00.000Z"],
    ["2026-11-02", "America/New_York", "2026-11-02T05:00:00.000Z"],
    // Chile skips midnight: 2026-09-06 begins at 01:00 −03
    ["2026-09-06", "America/Santiago", "2026-09-06T04:00:00.000Z"],
    ["2026-01-01", "Asia/Kolkata", "2025-12-31T18:30:00.000Z"],
  ])("the local day %s in %s starts at %s", (date, tz, expected) => {
    expect(startOfLocalDay(date, tz).toISOString()).toBe(expected);
  });

  it.each([
    // ordinary days on both sides of the change
    ["2026-03-06", 9, 0, "America/New_York", "2026-03-06T14:00:00.000Z"],
    ["2026-03-09", 9, 0, "America/New_York", "2026-03-09T13:00:00.000Z"],
    // 02:30 does not exist in Berlin on 2026-03-29: clocks show 03:30 CEST then
    ["2026-03-29", 2, 30, "Europe/Berlin", "2026-03-29T01:30:00.000Z"],
    // 02:30 happens twice in Berlin on 2026-10-25: the first, still CEST
    ["2026-10-25", 2, 30, "Europe/Berlin", "2026-10-25T00:30:00.000Z"],
    // 01:30 happens twice in New York on 2026-11-01: the first, still EDT
    ["2026-11-01", 1, 30, "America/New_York", "2026-11-01T05:30:00.000Z"],
  ])("%s %i:%i in %s is %s", (date, hour, minute, tz, expected) => {
    const instant = zonedInstant(date, tz, hour, minute);
    expect(instant.toISOString()).toBe(expected);
  });

  it("finds every local 09:00 of a year in Berlin and New York", () => {
    for (const tz of ["Europe/Berlin", "America/New_York"]) {
      for (let d = epochDay("2026-01-01"); d <= epochDay("2026-12-31"); d++) {
        const date = dateFromEpochDay(d);
        const instant = zonedInstant(date, tz, 9);
        expect(localDate(instant, tz)).toBe(date);
        const wall = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit" });
        expect(wall.format(instant)).toBe("09:00");
      }
    }
  });

  it("rejects unknown time zones", () => {
    expect(() => localDate(at("2026-01-01T00:00:00Z"), "Mars/Olympus_Mons")).toThrow(RangeError);
    expect(() => localDate(Number.NaN, "UTC")).toThrow(RangeError);
  });

  it.each([
    ["2026-01-31T23:30:00Z", "Europe/Berlin", "2026-02"],
    ["2026-01-31T23:30:00Z", "America/New_York", "2026-01"],
  ])("localPeriod(%s, %s) = %s", (iso, tz, expected) => {
    expect(localPeriod(at(iso), tz)).toBe(expected);
  });
});

describe("overdue", () => {
  it.each([
    // due Friday 2026-03-06 in New York (EST): overdue from 05:00Z on the 7th
    ["2026-03-06", "2026-03-07T04:59:59Z", "America/New_York", false],
    ["2026-03-06", "2026-03-07T05:00:00Z", "America/New_York", true],
    // due Sunday 2026-03-08, the day New York springs forward: the next day starts at 04:00Z
    ["2026-03-08", "2026-03-09T03:59:59Z", "America/New_York", false],
    ["2026-03-08", "2026-03-09T04:00:00Z", "America/New_York", true],
    // due Friday 2026-03-27 in Berlin (CET)
    ["2026-03-27", "2026-03-27T22:59:59Z", "Europe/Berlin", false],
    ["2026-03-27", "2026-03-27T23:00:00Z", "Europe/Berlin", true],
    // due on the spring-forward Sunday: its end is 22:00Z (CEST)
    ["2026-03-29", "2026-03-29T21:59:59Z", "Europe/Berlin", false],
    ["2026-03-29", "2026-03-29T22:00:00Z", "Europe/Berlin", true],
    // due on the fall-back Sunday: its end is 23:00Z (CET)
    ["2026-10-25", "2026-10-25T22:59:59Z", "Europe/Berlin", false],
    ["2026-10-25", "2026-10-25T23:00:00Z", "Europe/Berlin", true],
    // an instant before the due date is never past due
    ["2026-03-06", "2026-03-01T12:00:00Z", "America/New_York", false],
  ])("due %s, now %s in %s → past due %s", (due, now, tz, expected) => {
    expect(isPastDue(due, at(now), tz)).toBe(expected);
    expect(isOverdue({ dueDate: due, signed: false }, at(now), tz)).toBe(expected);
    expect(isOverdue({ dueDate: due, signed: true }, at(now), tz)).toBe(false);
  });

  it.each([
    ["2026-03-29", "Europe/Berlin", "2026-03-29T22:00:00.000Z"],
    ["2026-10-25", "Europe/Berlin", "2026-10-25T23:00:00.000Z"],
    ["2026-03-08", "America/New_York", "2026-03-09T04:00:00.000Z"],
    ["2026-02-28", "UTC", "2026-03-01T00:00:00.000Z"],
  ])("a step due %s in %s is overdue from %s", (due, tz, expected) => {
    const from = overdueFrom(due, tz);
    expect(from.toISOString()).toBe(expected);
    expect(isPastDue(due, from, tz)).toBe(true);
    expect(isPastDue(due, from.getTime() - 1, tz)).toBe(false);
  });
});
