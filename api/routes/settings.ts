import { createRoute, z } from "@hono/zod-openapi";
import { type AppDeps, router } from "../context.js";
import { isIsoDate } from "../domain/periods.js";
import { ErrorBody } from "../errors.js";
import { getSettings, isIanaTimeZone, updateSettings } from "../services/settings.js";
import { Actor, originOf, Source } from "./audit.js";

const Company = z
  .object({
    name: z.string().trim().min(1).max(200),
    timezone: z.string().openapi({ description: "IANA time zone, e.g. Europe/Berlin" }),
    channel: z.string().nullable().openapi({ description: "the Slack channel of the cycle" }),
  })
  .openapi("Company");

const Holiday = z
  .object({
    date: z.string().openapi({ description: "YYYY-MM-DD" }),
    name: z.string(),
  })
  .openapi("Holiday");

const StepDefinition = z
  .object({
    key: z.string(),
    position: z.number().int(),
    name: z.string(),
    description: z.string(),
    dueBusinessDay: z.number().int().nullable().openapi({
      description: "business day of the month it is due (1–23); null = the last day of the month",
    }),
    roles: z.array(z.string()).openapi({ description: "the roles that sign the step" }),
  })
  .openapi("StepDefinition");

const SettingsSchema = z
  .object({
    company: Company,
    holidays: z.array(Holiday),
    steps: z.array(StepDefinition),
    roles: z.array(z.object({ key: z.string(), name: z.string(), description: z.string() })),
  })
  .openapi("Settings");

const CHANNEL = /^(#?[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{2,30})$/;

const CompanyInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    timezone: z.string().refine(isIanaTimeZone, "must be an IANA time zone such as Europe/Berlin").optional(),
    channel: z
      .string()
      .trim()
      .regex(CHANNEL, "must be a Slack channel name (#s-and-op) or id (C0123ABCD)")
      .nullable()
      .optional(),
  })
  .strict();

const HolidayInput = z
  .object({
    date: z.string().refine(isIsoDate, "must be a date, YYYY-MM-DD"),
    name: z.string().trim().max(200).default(""),
  })
  .strict();

const StepInput = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be lower case letters, digits, _ or -, starting with a letter"),
    position: z.number().int().min(1).max(1000),
    name: z.string().trim().min(1).max(150),
    description: z.string().trim().max(2000).default(""),
    dueBusinessDay: z
      .number()
      .int()
      .min(1, "must be between 1 and 23, or null for the last day of the month")
      .max(23, "must be between 1 and 23, or null for the last day of the month")
      .nullable(),
    roles: z.array(z.string()).max(7),
  })
  .strict();

/** Names every repeated value of `pick` in `list`, as zod issues at `path.<index>.<field>`. */
function unique<T>(list: T[], field: string, pick: (x: T) => unknown, ctx: z.RefinementCtx, path: string) {
  const seen = new Map<unknown, number>();
  list.forEach((x, i) => {
    const v = pick(x);
    const first = seen.get(v);
    if (first === undefined) seen.set(v, i);
    else {
      ctx.addIssue({
        code: "custom",
        path: [path, i, field],
        message: `${JSON.stringify(v)} is already used by ${path}.${first}`,
      });
    }
  });
}

const SettingsInput = z
  .object({
    company: CompanyInput.optional(),
    holidays: z.array(HolidayInput).max(1000).optional(),
    steps: z.array(StepInput).min(1).max(50).optional(),
    actor: Actor.optional(),
    source: Source.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.holidays) unique(v.holidays, "date", (h) => h.date, ctx, "holidays");
    if (v.steps) {
      unique(v.steps, "key", (s) => s.key, ctx, "steps");
      unique(v.steps, "position", (s) => s.position, ctx, "steps");
      v.steps.forEach((s, i) => {
        s.roles.forEach((r, j) => {
          if (s.roles.indexOf(r) !== j) {
            ctx.addIssue({ code: "custom", path: ["steps", i, "roles", j], message: `${r} is listed twice` });
          }
        });
      });
    }
  })
  .openapi("SettingsUpdate");

const getRoute = createRoute({
  method: "get",
  path: "/settings",
  tags: ["settings"],
  summary: "The company, its holidays and the step calendar",
  responses: {
    200: { description: "settings", content: { "application/json": { schema: SettingsSchema } } },
  },
});

const putRoute = createRoute({
  method: "put",
  path: "/settings",
  tags: ["settings"],
  summary: "Replace any part of the settings",
  description:
    "Give any of company (the fields given are set), holidays (the whole list) and steps (the whole calendar); they are replaced in one transaction and audited. Cycles already open keep their due dates.",
  request: { body: { content: { "application/json": { schema: SettingsInput } }, required: true } },
  responses: {
    200: { description: "the settings now", content: { "application/json": { schema: SettingsSchema } } },
    400: { description: "bad settings", content: { "application/json": { schema: ErrorBody } } },
  },
});

export function settingsRoutes(deps: AppDeps) {
  return router()
    .openapi(getRoute, async (c) => c.json(await getSettings(deps.sql), 200))
    .openapi(putRoute, async (c) => {
      const body = c.req.valid("json");
      const settings = await updateSettings(
        deps.sql,
        { company: body.company, holidays: body.holidays, steps: body.steps },
        originOf(c, deps, body),
      );
      return c.json(settings, 200);
    });
}
