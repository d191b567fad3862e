/**
 * What `sop jobs …` and `sop calendar …` print and do, through the API client: pure formatting
 * plus the few calls each command makes. cli.ts parses the arguments and wires the client.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ApiClient } from "../api/client.js";
import {
  localDate,
  localPeriod,
  stepDueDate,
  utcOffsetMinutes,
  zonedInstant,
} from "../api/domain/calendar.js";
import { periodLongLabel } from "../api/domain/format.js";
import { isIsoDate, isPeriod } from "../api/domain/periods.js";
import type { JobInfo, JobRunOutcome } from "../api/services/jobs-control.js";
import { dateLabel } from "../bot/blocks/jobs/format.js";
import { expectOk } from "./api.js";
import type { DryRun } from "./scheduler.js";

/** A command that cannot do what was asked: the message says why and what to do. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** "Mon Nov 30 09:00 MST" in the company's zone. */
export function localTime(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  })
    .format(new Date(iso))
    .replace(/,/g, "");
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  "))
    .join("\n");
}

/**
 * `--at`: an instant with its offset (2026-11-16T16:00:00Z), or a local time in the company's
 * zone without one (2026-11-16T09:00).
 */
export function parseAt(value: string, timeZone: string): Date {
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (local && isIsoDate(local[1]!)) {
    const t = zonedInstant(local[1]!, timeZone, Number(local[2]), Number(local[3]));
    return new Date(t.getTime() + Number(local[4] ?? 0) * 1000);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new CommandError(
    `--at ${value}: expected an ISO 8601 time, e.g. 2026-11-16T09:00 (in ${timeZone}) or 2026-11-16T16:00:00Z`,
    2,
  );
}

// ---------------------------------------------------------------- sop jobs list

export function formatJobList(jobs: JobInfo[]): string {
  const tz = jobs[0]?.timezone ?? "UTC";
  const rows = [["job", "when", "channel", "last run", "next run"]];
  for (const j of jobs) {
    const last = j.lastRun
      ? `${j.lastRun.period}${j.lastRun.target ? ` ${j.lastRun.target}` : ""} ${j.lastRun.status}${
          j.lastRun.status === "done" && typeof j.lastRun.details.sent === "number"
            ? ` (${j.lastRun.details.sent}/${j.lastRun.details.messages ?? "?"} sent)`
            : ""
        } · ${localTime(j.lastRun.finishedAt ?? j.lastRun.scheduledFor, tz)}`
      : "never";
    rows.push([j.name, j.when, j.channel ?? "(none)", last, j.nextRun ? localTime(j.nextRun, tz) : "–"]);
  }
  const notes = jobs.map((j) => `  ${j.name.padEnd(16)} ${j.description}`);
  return `Jobs (times in ${tz}):\n\n${table(rows)}\n\n${notes.join("\n")}\n`;
}

// ---------------------------------------------------------------- sop jobs run

export function formatOutcome(o: JobRunOutcome, timeZone: string): string {
  const when = localTime(o.at, timeZone);
  const key = o.period ? `${o.period}${o.target ? ` ${o.target}` : ""}` : "";
  switch (o.status) {
    case "nothing":
      return `${o.job} at ${when}: nothing to do — ${o.reason}\n`;
    case "already":
      return `${o.job} ${key}: not run again — ${o.reason}\n`;
    case "failed":
      return `${o.job}${key ? ` ${key}` : ""} failed: ${o.reason}\n`;
    default: {
      const lines = [`${o.job} ${key} at ${when}: ${o.messages.length} message(s)`];
      for (const m of o.messages) lines.push(`  ${m.kind.padEnd(7)} ${m.channel.padEnd(14)} ${m.summary}`);
      if (o.outbox) {
        lines.push(
          `outbox: ${o.outbox.sent} sent, ${o.outbox.pending} waiting, ${o.outbox.failed} failed, ${o.outbox.skipped} skipped${
            o.outbox.pending ? " (see `sop jobs outbox`)" : ""
          }`,
        );
      }
      if (o.reason) lines.push(o.reason);
      return `${lines.join("\n")}\n`;
    }
  }
}

/** The dry run: every message as readable text, and the chart PNGs written to `dir`. */
export function writeDryRun(dry: DryRun, dir: string, timeZone: string): string {
  const o = dry.outcome;
  if (o.status !== "dry-run") return formatOutcome(o, timeZone);
  const out: string[] = [
    `DRY RUN — ${o.job} ${o.period}${o.target ? ` ${o.target}` : ""} at ${localTime(o.at, timeZone)}: nothing recorded, nothing sent`,
    "",
  ];
  o.messages.forEach((m, i) => {
    const to =
      m.kind === "dm"
        ? `direct message to ${m.channel}`
        : m.kind === "file"
          ? `files to ${m.channel}`
          : m.channel;
    out.push(`── ${i + 1}/${o.messages.length} · ${to} · ${m.summary}`, "", m.readable, "");
  });
  if (dry.files.length) {
    mkdirSync(dir, { recursive: true });
    out.push(`Charts written to ${dir}:`);
    for (const f of dry.files) {
      const file = path.join(dir, f.filename);
      writeFileSync(file, f.content);
      out.push(`  ${file} (${Math.round(f.content.length / 1024)} KiB)`);
    }
  } else if (o.messages.length === 0) {
    out.push("(no messages)");
  }
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------- sop jobs outbox

export async function outboxText(
  api: ApiClient,
  o: { status?: string | undefined; job?: string | undefined; limit: number },
  timeZone: string,
  slackConfigured: boolean,
): Promise<string> {
  const res = await api.api.jobs.outbox.$get({
    query: {
      ...(o.status ? { status: o.status as never } : {}),
      ...(o.job ? { job: o.job } : {}),
      limit: String(o.limit),
    },
  });
  const body = await expectOk(res, "reading the outbox");
  const c = body.counts as Record<string, number>;
  const lines = [
    `Outbox: ${c.pending ?? 0} pending, ${c.sending ?? 0} sending, ${c.sent ?? 0} sent, ${c.failed ?? 0} failed, ${c.skipped ?? 0} skipped${
      slackConfigured ? "" : " — Slack is not configured (SLACK_BOT_TOKEN): messages wait here"
    }`,
    "",
  ];
  if (body.messages.length === 0) return `${lines.join("\n")}(empty)\n`;
  const rows = [["id", "created", "job", "period", "kind", "to", "status", "summary"]];
  for (const m of body.messages) {
    rows.push([
      String(m.id),
      localTime(m.createdAt, timeZone),
      m.job,
      `${m.period}${m.target ? ` ${m.target}` : ""}`,
      m.kind,
      m.channel || "(none)",
      `${m.status}${m.attempts > 1 ? ` ×${m.attempts}` : ""}`,
      `${m.summary}${m.lastError ? ` — ${m.lastError}` : ""}`,
    ]);
  }
  return `${lines.join("\n")}${table(rows)}\n`;
}

// ---------------------------------------------------------------- sop calendar

type Settings = Awaited<ReturnType<typeof readSettings>>;

export async function readSettings(api: ApiClient) {
  return expectOk(await api.api.settings.$get(), "reading the settings");
}

function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? "−" : "+";
  const m = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export function formatCalendar(s: Settings, now: Date, month?: string): string {
  const tz = s.company.timezone;
  const period = month ?? localPeriod(now, tz);
  const holidays = new Set(s.holidays.map((h) => h.date));
  const lines = [
    `${s.company.name} · time zone ${tz} (${offsetLabel(utcOffsetMinutes(now, tz))} now) · channel ${s.company.channel ?? "(none)"}`,
    "",
    `Step calendar — due dates in ${periodLongLabel(period, "en-US")}:`,
  ];
  const rows = [["#", "key", "step", "due", `in ${period}`, "signed by"]];
  for (const st of s.steps) {
    rows.push([
      String(st.position),
      st.key,
      st.name,
      st.dueBusinessDay === null ? "end of month" : `business day ${st.dueBusinessDay}`,
      dateLabel(stepDueDate(period, st.dueBusinessDay, holidays)),
      st.roles.length ? st.roles.join(", ") : "—",
    ]);
  }
  lines.push(table(rows).replace(/^/gm, "  "), "");
  const today = localDate(now, tz);
  const upcoming = s.holidays.filter((h) => h.date >= `${today.slice(0, 7)}-01`);
  const earlier = s.holidays.length - upcoming.length;
  lines.push(
    s.holidays.length
      ? `Holidays from this month on${earlier ? ` (${earlier} earlier not shown)` : ""}:\n${
          upcoming.map((h) => `  ${h.date}  ${dateLabel(h.date)}  ${h.name}`).join("\n") || "  none"
        }`
      : "Holidays: none (business days are Monday to Friday)",
    "",
    "Change it with: sop calendar set --timezone Europe/Berlin --channel '#sop' · sop calendar holidays add 2026-12-24 'Christmas Eve' · sop calendar step demand --due 6 --roles sales,marketing",
  );
  return `${lines.join("\n")}\n`;
}

/** PUTs a settings change; a 400 becomes a CommandError naming each problem. */
export async function putSettings(
  api: ApiClient,
  body: {
    company?: { name?: string; timezone?: string; channel?: string | null };
    holidays?: { date: string; name: string }[];
    steps?: Settings["steps"];
  },
): Promise<Settings> {
  const res = await api.api.settings.$put({ json: { ...body, source: "cli" } as never });
  if (res.status === 400) {
    const err = (await res.json()) as { error: { message: string } };
    throw new CommandError(`the settings were not changed: ${err.error.message}`);
  }
  return expectOk(res, "saving the settings");
}

export function checkMonth(month: string | undefined): string | undefined {
  if (month !== undefined && !isPeriod(month))
    throw new CommandError(`--month ${month}: expected YYYY-MM`, 2);
  return month;
}

export async function addHoliday(api: ApiClient, date: string, name: string): Promise<Settings> {
  if (!isIsoDate(date)) throw new CommandError(`${date}: expected a date YYYY-MM-DD`, 2);
  const s = await readSettings(api);
  if (s.holidays.some((h) => h.date === date)) {
    throw new CommandError(
      `${date} is a holiday already (${s.holidays.find((h) => h.date === date)?.name || "no name"})`,
    );
  }
  return putSettings(api, { holidays: [...s.holidays, { date, name }] });
}

export async function removeHoliday(api: ApiClient, date: string): Promise<Settings> {
  const s = await readSettings(api);
  if (!s.holidays.some((h) => h.date === date)) {
    throw new CommandError(
      `${date} is not a holiday; the holidays are ${s.holidays.map((h) => h.date).join(", ") || "none"}`,
    );
  }
  return putSettings(api, { holidays: s.holidays.filter((h) => h.date !== date) });
}

export async function editStep(
  api: ApiClient,
  key: string,
  change: { due?: string | undefined; roles?: string | undefined; name?: string | undefined },
): Promise<Settings> {
  const s = await readSettings(api);
  const step = s.steps.find((st) => st.key === key);
  if (!step) {
    throw new CommandError(
      `there is no step ${key}; the steps are ${s.steps.map((st) => st.key).join(", ")}`,
    );
  }
  if (change.due === undefined && change.roles === undefined && change.name === undefined) {
    throw new CommandError("say what to change: --due N|end, --roles a,b or --name NAME", 2);
  }
  let due = step.dueBusinessDay;
  if (change.due !== undefined) {
    if (change.due === "end") due = null;
    else if (/^\d+$/.test(change.due)) due = Number(change.due);
    else throw new CommandError(`--due ${change.due}: a business day of the month (1–23) or "end"`, 2);
  }
  const roles =
    change.roles === undefined
      ? step.roles
      : change.roles
          .split(",")
          .map((r) => r.trim())
          .filter(Boolean);
  const steps = s.steps.map((st) =>
    st.key === key ? { ...st, dueBusinessDay: due, roles, name: change.name ?? st.name } : st,
  );
  return putSettings(api, { steps });
}
