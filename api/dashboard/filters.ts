/**
 * The filters of a dashboard address: the query parameters of api/domain/links.ts, validated at
 * the edge. Empty values mean "not set" (a form's "All"); a bad value is a 400 page naming it.
 */
import { z } from "zod";
import { FORECAST_SOURCES } from "../../db/import/kinds.js";
import type { DashboardFilters } from "../domain/links.js";

const unset = (v: unknown) => (v === "" ? undefined : v);
const name = z.preprocess(unset, z.string().trim().min(1).max(64).optional());
const int = (min: number, max: number) =>
  z.preprocess(
    unset,
    z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(min, `must be between ${min} and ${max}`)
      .max(max, `must be between ${min} and ${max}`)
      .optional(),
  );
const period = z.preprocess(
  unset,
  z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month, YYYY-MM")
    .optional(),
);

const schema = z.object({
  family: name,
  sku: name,
  location: name,
  // The charts take lags up to 11; so does the dashboard.
  lag: int(0, 11),
  months: int(1, 36),
  from: period,
  to: period,
  horizon: int(1, 12),
  risk: z.preprocess(
    unset,
    z.enum(["high", "medium", "low"], { error: "must be high, medium or low" }).optional(),
  ),
  source: z.preprocess(
    unset,
    z.enum(FORECAST_SOURCES, { error: `must be one of ${FORECAST_SOURCES.join(", ")}` }).optional(),
  ),
});

/** The filters of a page (the month of a cycle is a path parameter instead). */
export type Filters = z.infer<typeof schema> & Omit<DashboardFilters, "month" | keyof z.infer<typeof schema>>;

/** A filter the address got wrong. */
export class FilterError extends Error {
  constructor(readonly problems: { parameter: string; message: string }[]) {
    super(problems.map((p) => `${p.parameter}: ${p.message}`).join("; "));
    this.name = "FilterError";
  }
}

/** The filters of a query string. Throws FilterError naming each bad parameter. */
export function parseFilters(params: URLSearchParams): Filters {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new FilterError(
      parsed.error.issues.map((i) => ({ parameter: String(i.path[0] ?? "?"), message: i.message })),
    );
  }
  const f = parsed.data;
  if (f.from && f.to && f.from > f.to) {
    throw new FilterError([{ parameter: "from", message: "must not be after to" }]);
  }
  return f;
}
