/**
 * Wording shared by the cadence jobs' messages: people, roles, dates and signed changes, kept
 * short so a line fits a phone screen.
 */

import type { SectionBlock } from "@slack/types";
import {
  dayLabel,
  formatMoney,
  formatNumber,
  formatPercent,
  formatUnits,
} from "../../../api/domain/format.js";
import { escapeMrkdwn, link, section } from "../kit.js";

export interface Person {
  slackUserId: string;
  name: string;
}

export interface RoleHolders {
  role: string;
  people: Person[];
}

export interface Numbers {
  locale: string;
  currency: string;
}

/** A mention that notifies the person: `<@U0123>`. */
export function mention(p: Person): string {
  return `<@${p.slackUserId}>`;
}

/** "planner" → "Planner", "s&op" stays readable. */
export function roleName(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

/** "Finance: <@U1>, <@U2>" or "Finance: nobody holds this role yet". */
export function holdersLine(h: RoleHolders, withMentions = true): string {
  const who =
    h.people.length === 0
      ? "_nobody holds this role yet_"
      : h.people.map((p) => (withMentions ? mention(p) : escapeMrkdwn(p.name))).join(", ");
  return `${roleName(h.role)}: ${who}`;
}

const WEEKDAY = new Intl.DateTimeFormat("en-US", { weekday: "short", timeZone: "UTC" });

/** "Tue Nov 17" for a 'YYYY-MM-DD' local date. */
export function dateLabel(date: string, locale = "en-US"): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return `${WEEKDAY.format(new Date(Date.UTC(y, m - 1, d)))} ${dayLabel(date, locale)}`;
}

/** "today", "tomorrow" (next business day), "in 2 business days", "2 business days ago". */
export function businessDaysWhen(days: number): string {
  if (days === 0) return "today";
  if (days === 1) return "next business day";
  if (days > 1) return `in ${days} business days`;
  return `${-days} business day${days === -1 ? "" : "s"} ago`;
}

/** A signed fraction as a percentage with a real minus sign: +5.3%, −12.0%. */
export function signedPercent(fraction: number, locale = "en-US"): string {
  const text = formatPercent(Math.abs(fraction), locale);
  return fraction > 0 ? `+${text}` : fraction < 0 ? `−${text}` : text;
}

/** Percentage points: 0.012 → "+1.2 pts". */
export function signedPoints(fraction: number, locale = "en-US"): string {
  const pts = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    Math.abs(fraction * 100),
  );
  return `${fraction > 0 ? "+" : fraction < 0 ? "−" : ""}${pts} pts`;
}

/** One decimal: 6.5553 → "6.6". */
export function decimal(n: number, locale = "en-US"): string {
  return formatNumber(n, locale, 1);
}

/** One decimal with a sign: +0.3, −1.2. */
export function signed(n: number, locale = "en-US"): string {
  const text = formatNumber(Math.abs(n), locale, 1);
  return n > 0 ? `+${text}` : n < 0 ? `−${text}` : text;
}

export function units(n: number, locale = "en-US"): string {
  return formatUnits(n, locale);
}

export function money(n: number, f: Numbers): string {
  return formatMoney(n, f.locale, f.currency);
}

export function percent(fraction: number | null, locale = "en-US"): string {
  return fraction === null ? "–" : formatPercent(fraction, locale);
}

/** "1 step", "3 steps". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** Joins with commas and a final "and". */
export function listJoin(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * Links into the dashboard as one line of mrkdwn links. Links rather than URL buttons: Slack
 * sends an interaction payload for every button click, URL or not, and a payload nobody
 * acknowledges shows the person an error; a link just opens.
 */
export function dashboardLinks(links: [label: string, url: string][]): SectionBlock {
  return section(links.map(([label, url]) => `${link(url, label)} ›`).join("   ·   "));
}
