/**
 * Building blocks of the chart input schemas, and the options every builder takes.
 */
import { z } from "zod";
import { isPeriod, periodIndex } from "../domain/periods.js";
import type { ChartTarget } from "./theme.js";

export const period = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month as YYYY-MM")
  .describe("month, YYYY-MM");

export const isoDate = z.iso.date({ error: "must be a date as YYYY-MM-DD" }).describe("date, YYYY-MM-DD");

/** A finite number ≥ 0 (units or money). */
export const nonNegative = z.number().finite().nonnegative();

/** A finite number ≥ 0, or null for "no data" (drawn as a gap). */
export const nonNegativeOrNull = nonNegative.nullable();

/**
 * Adds an issue for every period that does not follow the one before it by exactly one month:
 * a missing month would silently squeeze the time axis, so callers send it with null values.
 */
export function checkConsecutive(
  periods: readonly string[],
  ctx: z.RefinementCtx,
  path: (string | number)[],
  first?: string,
) {
  // Malformed months are reported by the period schema itself; the order check skips them.
  let previous = first === undefined || !isPeriod(first) ? undefined : periodIndex(first);
  periods.forEach((p, i) => {
    if (!isPeriod(p)) {
      previous = undefined;
      return;
    }
    const current = periodIndex(p);
    if (previous !== undefined && current !== previous + 1) {
      ctx.addIssue({
        code: "custom",
        path: [...path, i, "period"],
        message:
          i === 0
            ? "must be the month after the last one before it"
            : "months must be consecutive and ascending; send null values for a month without data",
      });
    }
    previous = current;
  });
}

function isLocale(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

export const buildOptionsSchema = z.object({
  target: z.enum(["slack", "dashboard"]).optional(),
  locale: z.string().refine(isLocale, "must be a supported BCP 47 locale such as en-US").optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code such as USD")
    .optional(),
});

export interface BuildOptions {
  /** Type sizes and aspect ratio; default "slack". */
  target?: ChartTarget;
  /** Locale for labels and number formats; default "en-US". */
  locale?: string;
  /** ISO 4217 code for money; default "USD". */
  currency?: string;
}

export function resolveOptions(options: BuildOptions = {}): Required<BuildOptions> {
  return {
    target: options.target ?? "slack",
    locale: options.locale ?? "en-US",
    currency: options.currency ?? "USD",
  };
}
