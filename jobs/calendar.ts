/**
 * The company's calendar as the jobs see it (GET /api/settings), and the local-time helpers
 * their occurrences are built from. Every date here is a local date in the company's zone.
 */
import type { ApiClient } from "../api/client.js";
import {
  businessDaysBetween,
  type Holidays,
  isBusinessDay,
  localDate,
  startOfLocalDay,
} from "../api/domain/calendar.js";
import { addDays, epochDay, type IsoDate, weekday } from "../api/domain/periods.js";
import { expectOk } from "./api.js";
import type { OccurrenceResult } from "./types.js";

export interface StepDefinition {
  key: string;
  position: number;
  name: string;
  dueBusinessDay: number | null;
  roles: string[];
}

export interface CompanyCalendar {
  name: string;
  /** IANA time zone. */
  timezone: string;
  /** The company settings' channel (SOP_CHANNEL and per-job channels override it). */
  channel: string | null;
  holidays: Holidays;
  holidayNames: ReadonlyMap<IsoDate, string>;
  steps: StepDefinition[];
}

export async function loadCalendar(api: ApiClient): Promise<CompanyCalendar> {
  const s = await expectOk(await api.api.settings.$get(), "reading the company settings");
  return {
    name: s.company.name,
    timezone: s.company.timezone,
    channel: s.company.channel,
    holidays: new Set(s.holidays.map((h) => h.date)),
    holidayNames: new Map(s.holidays.map((h) => [h.date, h.name])),
    steps: s.steps.map((st) => ({
      key: st.key,
      position: st.position,
      name: st.name,
      dueBusinessDay: st.dueBusinessDay,
      roles: st.roles,
    })),
  };
}

/** The ISO week of a date, `2026-W47` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(date: IsoDate): string {
  const day = epochDay(date);
  const dow = (weekday(date) + 6) % 7; // 0 = Monday
  const thursday = day - dow + 3;
  const year = Number(addDays("1970-01-01", thursday).slice(0, 4));
  const jan4 = epochDay(`${year}-01-04`);
  const week1Monday = jan4 - ((weekday(`${year}-01-04`) + 6) % 7);
  const week = Math.floor((day - dow - week1Monday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The Monday of a date's ISO week. */
export function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, -((weekday(date) + 6) % 7));
}

/** The first business day of a date's ISO week (Monday–Friday), or null in a week of holidays. */
export function firstBusinessDayOfWeek(date: IsoDate, holidays: Holidays): IsoDate | null {
  const monday = mondayOf(date);
  for (let i = 0; i < 5; i++) {
    const d = addDays(monday, i);
    if (isBusinessDay(d, holidays)) return d;
  }
  return null;
}

/** The instant a local day ends (the next local midnight). */
export function endOfLocalDay(date: IsoDate, timeZone: string): Date {
  return startOfLocalDay(addDays(date, 1), timeZone);
}

/**
 * Business days from `today` until `due`: 0 on the due date, 1 the business day before, and
 * negative once it has passed.
 */
export function businessDaysUntil(today: IsoDate, due: IsoDate, holidays: Holidays): number {
  return businessDaysBetween(today, due, holidays);
}

/**
 * The occurrence of a once-per-business-day job at `at`: keyed by the local date, relevant
 * until the end of that day, skipped on weekends and holidays.
 */
export function businessDayOccurrence(at: Date, cal: CompanyCalendar): OccurrenceResult {
  const today = localDate(at, cal.timezone);
  if (!isBusinessDay(today, cal.holidays)) {
    return { skip: `${today} is not a business day in ${cal.timezone}` };
  }
  return { period: today, target: "", relevantUntil: endOfLocalDay(today, cal.timezone), label: today };
}
