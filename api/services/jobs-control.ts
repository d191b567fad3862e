/**
 * What the API needs from the cadence jobs to list and run them (`/api/jobs`). The jobs live
 * above the API (they call it through its client), so cli.ts hands the scheduler in as this
 * interface rather than the API importing it.
 */

export interface JobRunSummary {
  period: string;
  target: string;
  status: "running" | "done" | "failed" | "skipped";
  trigger: string;
  /** ISO 8601. */
  scheduledFor: string;
  finishedAt: string | null;
  attempts: number;
  error: string | null;
  details: Record<string, unknown>;
}

export interface JobInfo {
  name: string;
  title: string;
  description: string;
  /** Cron expression, in the company's time zone. */
  schedule: string;
  /** "Business days at 09:00" and the like. */
  when: string;
  timezone: string;
  /** Where its channel posts go; null when no channel is configured. */
  channel: string | null;
  lastRun: JobRunSummary | null;
  /** The next time the schedule fires (ISO 8601); the job may then find nothing to do. */
  nextRun: string | null;
}

export interface ComposedFile {
  filename: string;
  title: string;
  bytes: number;
}

export interface ComposedMessage {
  kind: "message" | "dm" | "file";
  /** A channel, or the Slack user id of a DM. */
  channel: string;
  summary: string;
  /** The fallback text Slack shows in notifications. */
  text: string;
  /** The message as readable text (what a dry run prints). */
  readable: string;
  blocks: unknown[];
  files: ComposedFile[];
}

export interface JobRunOutcome {
  job: string;
  /**
   * done: composed and sent (or queued); already: the key was run before (or is running
   * elsewhere); nothing: no occurrence at that time (not a business day, not due); failed;
   * dry-run: composed, not recorded, not sent.
   */
  status: "done" | "already" | "nothing" | "failed" | "dry-run";
  at: string;
  period: string | null;
  target: string | null;
  reason: string | null;
  messages: ComposedMessage[];
  /** Outbox counts of the run after sending. */
  outbox: { sent: number; pending: number; failed: number; skipped: number } | null;
}

export interface JobsControl {
  /** Job names, in schedule order. */
  names(): string[];
  list(): Promise<JobInfo[]>;
  /** Runs a job now, or as at `at`; a dry run composes without recording or sending. */
  run(
    name: string,
    options: { at?: Date; dryRun?: boolean; trigger: "api" | "manual" },
  ): Promise<JobRunOutcome>;
}
