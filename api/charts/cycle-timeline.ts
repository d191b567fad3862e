/**
 * Cycle timeline: the S&OP cycle's steps as a Gantt over the days of the month, each bar running
 * from the step's start to its due date, coloured by status, with a "today" marker.
 *
 * Day d occupies [d − 0.5, d + 0.5] on the x axis, so a tick sits in the middle of its day and a
 * bar covers its first and its due day whole. Chart.js has no annotations without a plugin, so
 * "today" is a dataset: a thin floating bar in every row, full row height, that together read as
 * one vertical line.
 */
import type { ChartConfiguration } from "chart.js";
import { z } from "zod";
import { dayLabel, periodLongLabel } from "../domain/format.js";
import { daysInMonth } from "../domain/periods.js";
import { type BuildOptions, isoDate, period, resolveOptions } from "./inputs.js";
import { axisStyle, baseOptions, ROLE_COLORS, withAlpha } from "./theme.js";

export const title = "S&OP cycle";

export const STEP_STATUSES = ["signed", "open", "overdue"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

const STATUS_LABELS: Record<StepStatus, string> = { signed: "Signed", open: "Open", overdue: "Overdue" };

/** Half the width of the today marker, in days. */
const TODAY_HALF_WIDTH = 0.07;

export const schema = z
  .object({
    /** The cycle's month. */
    cycle: period,
    /** The company's current date; the marker is drawn when it falls in the cycle's month. */
    today: isoDate.nullable().optional(),
    /** Steps in cycle order. */
    steps: z
      .array(
        z.object({
          key: z.string().min(1).max(40),
          label: z.string().min(1).max(60),
          /** First day of the step; default the day after the previous step's due date (the 1st for the first). */
          start: isoDate.optional(),
          due: isoDate,
          status: z.enum(STEP_STATUSES),
          /**
           * Whether the step takes a sign-off (it has sign-off roles). A step that takes none
           * (DOMAIN.md's execution & monitoring) is drawn but never counts as signed or to sign.
           */
          signs: z.boolean().default(true),
        }),
      )
      .min(1)
      .max(12),
  })
  .superRefine((d, ctx) => {
    d.steps.forEach((s, i) => {
      if (!s.due.startsWith(`${d.cycle}-`)) {
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "due"],
          message: `must be in the cycle's month ${d.cycle}`,
        });
      }
      if (s.start !== undefined && !s.start.startsWith(`${d.cycle}-`)) {
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "start"],
          message: `must be in the cycle's month ${d.cycle}`,
        });
      }
      if (s.start !== undefined && s.start > s.due) {
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "start"],
          message: "must not be after the due date",
        });
      }
    });
  });

export type CycleTimelineInput = z.input<typeof schema>;

function dayOfMonth(date: string): number {
  return Number(date.slice(8, 10));
}

export interface StepSpan {
  key: string;
  /** First and due day of the month, inclusive. */
  startDay: number;
  dueDay: number;
  status: StepStatus;
}

/** Each step's span in days of the month; an implicit start is the day after the previous due date. */
export function stepSpans(steps: CycleTimelineInput["steps"]): StepSpan[] {
  let previousDue = 0;
  return steps.map((s) => {
    const dueDay = dayOfMonth(s.due);
    const startDay = s.start !== undefined ? dayOfMonth(s.start) : Math.min(previousDue + 1, dueDay);
    previousDue = Math.max(previousDue, dueDay);
    return { key: s.key, startDay, dueDay, status: s.status };
  });
}

/** Chart.js config (JSON) for the cycle's steps over the days of its month. */
export function build(input: CycleTimelineInput, options?: BuildOptions): ChartConfiguration<"bar"> {
  const data = schema.parse(input);
  const { target, locale } = resolveOptions(options);
  const days = daysInMonth(data.cycle);
  const spans = stepSpans(data.steps);
  const todayDay = data.today?.startsWith(`${data.cycle}-`) ? dayOfMonth(data.today) : undefined;

  // "N of M steps signed" counts the steps that take a sign-off, as the cycle's progress does.
  const signable = data.steps.filter((s) => s.signs);
  const count = (status: StepStatus) => signable.filter((s) => s.status === status).length;
  const overdue = count("overdue");
  const headline = `${title} ${periodLongLabel(data.cycle, locale)} — ${count("signed")} of ${signable.length} steps signed${
    overdue > 0 ? `, ${overdue} overdue` : ""
  }`;
  const subtitle = data.today ? `as of ${dayLabel(data.today, locale)}` : undefined;
  const base = baseOptions(target, { title: headline, subtitle, locale });

  const statusColors: Record<StepStatus, string> = {
    signed: ROLE_COLORS.signed,
    open: ROLE_COLORS.open,
    overdue: ROLE_COLORS.overdue,
  };

  return {
    type: "bar",
    data: {
      labels: data.steps.map((s) => `${s.label} · due ${dayLabel(s.due, locale)}`),
      datasets: [
        ...(todayDay === undefined
          ? []
          : [
              {
                label: `Today (${dayLabel(data.today ?? "", locale)})`,
                data: spans.map((): [number, number] => [
                  todayDay - TODAY_HALF_WIDTH,
                  todayDay + TODAY_HALF_WIDTH,
                ]),
                backgroundColor: ROLE_COLORS.today,
                borderWidth: 0,
                grouped: false,
                barPercentage: 1,
                categoryPercentage: 1,
                // Drawn over the step bars.
                order: 0,
              },
            ]),
        ...STEP_STATUSES.map((status) => ({
          label: STATUS_LABELS[status],
          data: spans.map((s): [number, number] | null =>
            s.status === status ? [s.startDay - 0.5, s.dueDay + 0.5] : null,
          ),
          backgroundColor: withAlpha(statusColors[status], 0.85),
          borderColor: statusColors[status],
          borderWidth: 1,
          borderSkipped: false,
          // One bar per row whatever its status: the status datasets share the row, not split it.
          grouped: false,
          barPercentage: 0.7,
          categoryPercentage: 0.9,
          order: 1,
        })),
      ],
    },
    options: {
      ...base,
      indexAxis: "y",
      plugins: {
        ...base.plugins,
        tooltip: { ...base.plugins.tooltip, mode: "nearest", intersect: true },
      },
      scales: {
        x: {
          ...axisStyle(target, `day of ${periodLongLabel(data.cycle, locale)}`),
          type: "linear",
          min: 0.5,
          max: days + 0.5,
          ticks: {
            ...axisStyle(target).ticks,
            stepSize: 1,
            includeBounds: false,
            precision: 0,
            autoSkip: true,
            autoSkipPadding: 4,
            maxRotation: 0,
          },
        },
        y: {
          ...axisStyle(target),
          grid: { display: false },
          ticks: { ...axisStyle(target).ticks, autoSkip: false },
        },
      },
    },
  };
}
