/**
 * An override of the consensus plan from Slack or the console, as the person asking: the API
 * records it (their Slack user id is the person, as for sign-offs: the API checks they hold
 * sales or marketing), then the answer shows the line's consensus before and after beside the
 * statistical forecast. A locked plan (409) becomes a refusal naming who locked it and when.
 */
import type { OverrideCommand } from "../api/domain/plan-commands.js";
import { OVERRIDE_USAGE, overrideRequest, parseOverride } from "../api/domain/plan-commands.js";
import { type ApiClient, ApiError, data, dataWithStatus } from "./api.js";
import { cellKey, type OverrideField, overrideAnswer, planLockedProblem } from "./blocks/override.js";
import type { Problem } from "./blocks/problem.js";
import type { Message, Render } from "./blocks/render.js";
import { problemFor } from "./problems.js";

export type OverrideOutcome =
  | { ok: true; message: Message }
  | { ok: false; status: number; problem: Problem; field?: OverrideField | undefined };

/** The statistical forecast of the override's month for each SKU-location of its target. */
async function statisticalFor(
  api: ApiClient,
  o: { cycle: string; period: string; scope: string; sku: string | null; family: string | null },
): Promise<Map<string, number | null>> {
  const page = await data(
    api.api.consensus.$get({
      query: {
        cycle: o.cycle,
        ...(o.scope === "family" ? { family: o.family ?? "" } : { sku: o.sku ?? "" }),
        limit: "1000",
      },
    }),
  );
  const out = new Map<string, number | null>();
  for (const line of page.lines) {
    const m = line.months.find((x) => x.period === o.period);
    out.set(cellKey(line.sku, line.location), m ? m.statistical : null);
  }
  return out;
}

/** Which form field an API refusal is about, to show it there. */
function fieldOf(error: ApiError): OverrideField | undefined {
  const m = error.message.toLowerCase();
  if (error.status === 400 && m.startsWith("period")) return "period";
  if (error.status === 400 && m.startsWith("units")) return "units";
  if (error.status === 400 && m.startsWith("reason")) return "reason";
  if (error.status === 404 || error.status === 422 || (error.status === 400 && m.startsWith("location")))
    return "target";
  return undefined;
}

async function lockedProblem(
  api: ApiClient,
  error: ApiError,
  render: Render,
  command: string,
): Promise<Problem | undefined> {
  const details = error.details as { cycle?: unknown; planLocked?: { at?: unknown } } | undefined;
  if (error.status !== 409 || !details?.planLocked || typeof details.cycle !== "string") return undefined;
  const cycle = details.cycle;
  const fromApi = await data(api.api.cycles[":month"].$get({ param: { month: cycle } })).catch(() => null);
  const lock = fromApi?.cycle.planLocked;
  return planLockedProblem(
    fromApi ? { ...render, formats: { ...render.formats, timezone: fromApi.cycle.timezone } } : render,
    {
      cycle,
      byName: lock?.byName ?? null,
      at: lock?.at ?? (typeof details.planLocked.at === "string" ? details.planLocked.at : null),
    },
    command,
  );
}

/** Records the override as `by.person` and shows what it changed, or says why it was refused. */
export async function submitOverride(
  api: ApiClient,
  cmd: OverrideCommand,
  by: { person: string; source: "slack" | "console"; idempotencyKey: string },
  render: Render,
  command: string,
): Promise<OverrideOutcome> {
  let recorded: Awaited<ReturnType<typeof postOverride>>;
  try {
    recorded = await postOverride(api, cmd, by);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status >= 500 || error.status === 0 || error.status === 401) {
      return { ok: false, status: error.status, problem: problemFor(error, command) };
    }
    const locked = await lockedProblem(api, error, render, command);
    if (locked) return { ok: false, status: 409, problem: locked };
    const detail = error.message.charAt(0).toUpperCase() + error.message.slice(1);
    const title =
      error.status === 403
        ? "Only sales and marketing override the plan"
        : error.status === 409
          ? "The plan can't change now"
          : "The override was not recorded";
    return {
      ok: false,
      status: error.status,
      field: fieldOf(error),
      problem: { title, detail, next: `Usage: \`${command} ${OVERRIDE_USAGE}\`` },
    };
  }
  const statistical = await statisticalFor(api, recorded.body.override).catch(
    () => new Map<string, number | null>(),
  );
  return {
    ok: true,
    message: overrideAnswer(render, {
      result: recorded.body,
      statistical,
      replayed: recorded.status === 200,
    }),
  };
}

function postOverride(
  api: ApiClient,
  cmd: OverrideCommand,
  by: { person: string; source: "slack" | "console"; idempotencyKey: string },
) {
  return dataWithStatus(api.api.overrides.$post({ json: overrideRequest(cmd, by) }));
}

/** A field left blank in the modal. */
const REQUIRED: Record<OverrideField, string> = {
  target: "Name a SKU (BTL-S05-GLC, or BTL-S05-GLC@WEST for one location) or a family (family:BOTTLES).",
  period: "Which month? YYYY-MM, e.g. 2026-12.",
  units: "How many units for that month? e.g. 1,200.",
  reason: "Say why the number should change: everyone sees it beside the number.",
};

/**
 * The modal's four fields read with the command's own grammar (so the form and the command
 * cannot disagree): a problem is reported on the field its column falls in.
 */
export function readOverrideForm(
  values: Partial<Record<OverrideField, string | null | undefined>>,
): { ok: true; value: OverrideCommand } | { ok: false; errors: Partial<Record<OverrideField, string>> } {
  const order: OverrideField[] = ["target", "period", "units", "reason"];
  const v = Object.fromEntries(order.map((k) => [k, (values[k] ?? "").trim()])) as Record<
    OverrideField,
    string
  >;
  const errors: Partial<Record<OverrideField, string>> = {};
  for (const k of order) if (!v[k]) errors[k] = REQUIRED[k];
  for (const k of ["target", "period", "units"] as const) {
    if (v[k] && /\s/.test(v[k])) errors[k] = `One ${k === "target" ? "code" : "value"}, without spaces.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const text = order.map((k) => v[k]).join(" ");
  const parsed = parseOverride(text);
  if (parsed.ok) return parsed;
  let start = 1;
  let field: OverrideField = "reason";
  for (const k of order) {
    const end = start + v[k].length;
    if (parsed.error.column < end + 1) {
      field = k;
      break;
    }
    start = end + 1;
  }
  const message = parsed.error.message.charAt(0).toUpperCase() + parsed.error.message.slice(1);
  return { ok: false, errors: { [field]: message.slice(0, 2000) } };
}
