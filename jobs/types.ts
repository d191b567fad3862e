/**
 * What a cadence job is: `{ name, schedule, occurrence, run }`. The schedule (cron, in the
 * company's time zone) only wakes the job up; `occurrence` says whether there is anything to do
 * at that instant and under which ledger key; `run` composes the messages through `ctx.slack`,
 * which writes them to the outbox (the scheduler sends them after), so a job never posts twice.
 */
import type { Logger } from "pino";
import type { ApiClient } from "../api/client.js";
import type { DashboardLink } from "../api/domain/links.js";
import type { KnownBlock } from "../bot/blocks/kit.js";
import type { CompanyCalendar } from "./calendar.js";

/** One run's worth of work: its ledger key and how long a missed run stays worth doing. */
export interface Occurrence {
  /** The ledger period: a local date (2026-11-20), an ISO week (2026-W47), a month (2026-11). */
  period: string;
  /** What within the period; '' for the whole run. */
  target: string;
  /**
   * After this instant a missed run is no longer worth running (catch-up skips it), and its
   * messages not sent by then are dropped from the outbox as stale.
   */
  relevantUntil: Date;
  /** For people: "Friday Nov 20", "week of Nov 16". */
  label: string;
}

export type OccurrenceResult = Occurrence | { skip: string };

export function isOccurrence(o: OccurrenceResult): o is Occurrence {
  return !("skip" in o);
}

export interface ChartFile {
  filename: string;
  title: string;
  altText: string;
  content: Buffer;
}

/**
 * Slack, as a job sees it: every call queues an outbox row (sent by the scheduler after the run
 * has composed all of its messages). `key` names the message within the run; `once` makes it
 * unique across runs (one variance alert per family and month, whichever run finds it first).
 */
export interface JobSlack {
  /** A channel post; `channel` defaults to the job's channel. */
  postMessage(m: {
    key: string;
    once?: string;
    channel?: string;
    text: string;
    blocks: KnownBlock[];
    summary: string;
  }): void;
  /** A direct message to a person (their Slack user id). */
  dm(m: {
    key: string;
    once?: string;
    user: string;
    text: string;
    blocks: KnownBlock[];
    summary: string;
  }): void;
  /** Files shared to a channel with the upload v2 flow (after the messages queued before it). */
  filesUploadV2(m: {
    key: string;
    channel?: string;
    initialComment: string;
    files: ChartFile[];
    summary: string;
  }): void;
}

export interface JobContext {
  /** The instant the run is for (the schedule's, `--at`, or now). */
  now: Date;
  /** The typed API client, its clock set to `now`. */
  api: ApiClient;
  slack: JobSlack;
  logger: Logger;
  calendar: CompanyCalendar;
  occurrence: Occurrence;
  /** The job's channel: SOP_JOB_CHANNELS, else SOP_CHANNEL, else the company settings'. */
  channel: string | null;
  /** An absolute dashboard address (SOP_PUBLIC_URL). */
  link(to: DashboardLink): string;
  /**
   * A chart PNG from `GET /api/charts/<name>.png` with `query`; null when this server cannot
   * render charts (canvas missing: the reason is logged once and in `chartsUnavailable`).
   */
  chart(name: string, query?: Record<string, string>): Promise<Buffer | null>;
  /** Why charts could not be rendered in this run, if they could not. */
  chartsUnavailable(): string | null;
  settings: JobSettings;
}

export interface JobSettings {
  /** Variance alerts: deviation from plan beyond this fraction (0.2 = 20%). */
  varianceThreshold: number;
  /** Number formatting. */
  locale: string;
  currency: string;
}

export interface Job {
  name: string;
  title: string;
  description: string;
  /** Cron, in the company's time zone: when to wake up and look. */
  schedule: string;
  /** Whether there is work at `at`, and its ledger key. May read the API (e.g. the cycle). */
  occurrence(at: Date, calendar: CompanyCalendar, api: ApiClient): Promise<OccurrenceResult>;
  run(ctx: JobContext): Promise<void>;
}
