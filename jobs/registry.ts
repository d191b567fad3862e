/** The cadence jobs, in the order their schedules fire on a business day. */
import { cycleOpen } from "./cycle-open.js";
import { escalations } from "./escalations.js";
import { monthlyPackJob } from "./monthly-pack.js";
import { reminders } from "./reminders.js";
import type { Job } from "./types.js";
import { varianceAlerts } from "./variance-alerts.js";
import { weeklyDigestJob } from "./weekly-digest.js";

export const JOBS: readonly Job[] = [
  varianceAlerts,
  cycleOpen,
  reminders,
  weeklyDigestJob,
  monthlyPackJob,
  escalations,
];

export const JOB_NAMES = JOBS.map((j) => j.name);
