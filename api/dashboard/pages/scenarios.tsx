/**
 * `/scenarios` and `/scenarios/:id`: what-if scenarios. Build one from changes (demand ±% for a
 * family or SKU from a month, an open supply order delayed, a family's capacity ±%), typed as
 * fields or in the Slack command grammar (api/domain/plan-commands.ts); see the base plan and
 * the scenario side by side (POST /api/scenarios, which writes nothing); save it, list the saved
 * ones (stale when the plan has changed since), open, delete, and attach one to the current
 * cycle's pre-S&OP step. Building is a GET (the address is the scenario: shareable, and it
 * changes nothing); saving, deleting and attaching are form posts.
 */
import { build as buildInventoryChart } from "../../charts/scenario-inventory.js";
import type { ApiClient } from "../../client.js";
import { dashboardPath } from "../../domain/links.js";
import { formatWhatIf, parseWhatIf, WHATIF_USAGE } from "../../domain/plan-commands.js";
import { MAX_CHANGES, ScenarioChange, ScenarioChanges } from "../../domain/scenario.js";
import { ApiAnswerError, type ChartAnswer, ok, problemsOf, sent } from "../api.js";
import { Badge, Banner, Chart, Field, FormToken, Panel, Table, Tile, Tiles } from "../components.js";
import { fmt, fmtChange, type Kind, monthLong, sentence, when } from "../format.js";
import { PageHead } from "../layout.js";
import type { ActionResult, DashboardPage, FormState, PageAction } from "../page.js";
import { SkuLink } from "./shared.js";

/** The step a scenario is attached to from here: the pre-S&OP approval. */
const ATTACH_STEP = "pre";
/** Change rows shown on the form (more can be typed in the command box). */
const ROWS = 3;
const HORIZONS = [3, 6, 9, 12];
const TYPES = [
  ["", "—"],
  ["demand", "Demand ±%"],
  ["delay", "Delay a PO by days"],
  ["capacity", "Capacity ±%"],
] as const;

type Comparison = Awaited<ReturnType<typeof compare>>["comparison"];
type Saved = Awaited<ReturnType<typeof loadSaved>>["scenario"];

function compare(api: ApiClient, changes: ScenarioChange[], horizon: number) {
  return ok(api.api.scenarios.$post({ json: { changes, horizon, lines: 20 } }));
}

function loadSaved(api: ApiClient, id: string, fresh: boolean) {
  return ok(api.api.scenarios[":id"].$get({ param: { id }, query: { fresh: fresh ? "true" : "false" } }));
}

interface Built {
  changes: ScenarioChange[];
  /** Field id → problem (`whatif`, `amount-0`, …). */
  errors: Record<string, string>;
  rows: { type: string; target: string; amount: string; from: string }[];
  text: string;
}

/** A signed number from a field: "+15", "-20", "15%", "30d", "−10". */
function signedNumber(text: string): number | undefined {
  const t = text
    .trim()
    .replace(/^−/, "-")
    .replace(/(%|d|days?)$/i, "")
    .trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** The changes of the address: the command text first, then each filled row. */
export function changesOf(params: URLSearchParams): Built {
  const errors: Record<string, string> = {};
  const changes: ScenarioChange[] = [];
  const text = (params.get("whatif") ?? "").trim();
  if (text) {
    const parsed = parseWhatIf(text);
    if (parsed.ok) changes.push(...parsed.value);
    else errors.whatif = `${parsed.error.message} (at character ${parsed.error.column})`;
  }
  const all = (k: string) => params.getAll(k);
  const count = Math.min(
    MAX_CHANGES,
    Math.max(all("type").length, all("target").length, all("amount").length),
  );
  const rows: Built["rows"] = [];
  for (let i = 0; i < count; i++) {
    const row = {
      type: all("type")[i] ?? "",
      target: (all("target")[i] ?? "").trim(),
      amount: (all("amount")[i] ?? "").trim(),
      from: all("from")[i] ?? "",
    };
    rows.push(row);
    if (!row.type && !row.target && !row.amount) continue;
    if (!row.type) {
      errors[`type-${i}`] = "Choose what changes.";
      continue;
    }
    const n = signedNumber(row.amount);
    if (!row.target)
      errors[`target-${i}`] = row.type === "delay" ? "Name the PO reference." : "Name a family or SKU.";
    if (n === undefined) {
      errors[`amount-${i}`] =
        row.type === "delay" ? "Write whole days, e.g. 30 or -10." : "Write a percentage, e.g. +15 or -20.";
    }
    if (errors[`target-${i}`] || errors[`amount-${i}`]) continue;
    const candidate =
      row.type === "delay"
        ? { type: "delay", reference: row.target, days: n }
        : row.type === "capacity"
          ? {
              type: "capacity",
              family: row.target,
              change: n! / 100,
              ...(row.from ? { from: row.from } : {}),
            }
          : { type: "demand", target: row.target, change: n! / 100, ...(row.from ? { from: row.from } : {}) };
    const checked = ScenarioChange.safeParse(candidate);
    if (checked.success) changes.push(checked.data);
    else {
      const issue = checked.error.issues[0];
      const field = issue?.path[0] === "from" ? "from" : issue?.path[0] === "reference" ? "target" : "amount";
      errors[`${field}-${i}`] = sentence(issue?.message ?? "is not valid");
    }
  }
  if (changes.length > MAX_CHANGES) errors.whatif = `At most ${MAX_CHANGES} changes in one scenario.`;
  return { changes, errors, rows, text };
}

export const scenariosPage: DashboardPage = {
  view: "scenarios",
  paths: ["/scenarios", "/scenarios/:id"],
  async render(ctx) {
    const { api, params, url, filters: f } = ctx;
    const horizon = f.horizon ?? 6;
    const [list, current, settings] = await Promise.all([
      ok(api.api.scenarios.$get({ query: { limit: "50" } })),
      api.api.cycles.current.$get(),
      ctx.company(),
    ]);
    const cycle = current.status === 200 ? (await current.json()).cycle : null;
    const tz = settings.timezone;
    const flash = url.searchParams.get("deleted")
      ? `Scenario #${url.searchParams.get("deleted")} deleted.`
      : url.searchParams.get("attached")
        ? `Attached to the ${stepName(cycle, ATTACH_STEP)} step of ${cycle ? monthLong(cycle.month) : "the cycle"}.`
        : url.searchParams.get("detached")
          ? "Detached from the step."
          : url.searchParams.get("saved")
            ? "Saved."
            : undefined;

    if (params.id !== undefined) {
      if (!/^\d{1,9}$/.test(params.id))
        throw new ApiAnswerError(404, "not_found", `there is no scenario ${params.id}`);
      const fresh = url.searchParams.get("fresh") === "true";
      const { scenario, comparison } = await loadSaved(api, params.id, fresh);
      return {
        title: `Scenario: ${scenario.name}`,
        charts: true,
        meta: { lastPeriod: comparison.lastPeriod, lastImportedAt: null },
        body: (
          <>
            <PageHead
              title={`Scenario: ${scenario.name}`}
              subtitle={
                <>
                  Saved {when(scenario.createdAt, tz)}
                  {scenario.createdBy ? ` by ${scenario.createdBy}` : ""} from {scenario.source} · next{" "}
                  {scenario.horizon} months ·{" "}
                  {scenario.stale ? (
                    <Badge kind="warn">stale: the plan has changed since</Badge>
                  ) : (
                    <Badge kind="signed">up to date</Badge>
                  )}
                </>
              }
              aside={
                <a class="button secondary" href={dashboardPath({ view: "scenarios" })}>
                  All scenarios
                </a>
              }
            />
            {flash ? (
              <Banner kind="info">
                <p>{flash}</p>
              </Banner>
            ) : null}
            <FormProblem form={ctx.form} />
            {scenario.stale && !fresh ? (
              <Banner kind="warn">
                <p>
                  These are the figures saved with the scenario.{" "}
                  <a href={`${url.pathname}?fresh=true`}>Compute it again on the current plan</a>.
                </p>
              </Banner>
            ) : fresh ? (
              <Banner kind="info">
                <p>Computed again on the current plan (the saved figures are unchanged).</p>
              </Banner>
            ) : null}
            <Panel id="manage" title="This scenario">
              <p>
                <code data-whatif="">{formatWhatIf(scenario.changes)}</code>{" "}
                <a href={buildPath(scenario.changes, scenario.horizon)}>Change it</a>
              </p>
              <Attachments scenario={scenario} tz={tz} />
              <div class="form-actions">
                {cycle ? (
                  scenario.attachments.some((a) => a.cycle === cycle.month && a.step === ATTACH_STEP) ? (
                    <form class="inline" method="post" action={`/scenarios/${scenario.id}/detach`}>
                      <FormToken token={ctx.formToken} />
                      <button type="submit" class="button secondary">
                        Detach from {stepName(cycle, ATTACH_STEP)} {monthLong(cycle.month)}
                      </button>
                    </form>
                  ) : (
                    <form class="inline" method="post" action={`/scenarios/${scenario.id}/attach`}>
                      <FormToken token={ctx.formToken} />
                      <button type="submit" class="button">
                        Attach to {stepName(cycle, ATTACH_STEP)} {monthLong(cycle.month)}
                      </button>
                    </form>
                  )
                ) : (
                  <span class="muted">No cycle is open to attach it to.</span>
                )}
                <form class="inline" method="post" action={`/scenarios/${scenario.id}/delete`}>
                  <FormToken token={ctx.formToken} />
                  <button type="submit" class="button danger">
                    Delete
                  </button>
                </form>
              </div>
            </Panel>
            <ComparisonView comparison={comparison} name={scenario.name} />
          </>
        ),
      };
    }

    const built = changesOf(url.searchParams);
    const hasInput = built.text !== "" || built.rows.some((r) => r.type || r.target || r.amount);
    let comparison: Comparison | undefined;
    let apiProblem: string | undefined;
    if (built.changes.length > 0 && Object.keys(built.errors).length === 0) {
      const answer = await sent(
        api.api.scenarios.$post({ json: { changes: built.changes, horizon, lines: 20 } }),
      );
      if (answer.ok) comparison = (answer.body as { comparison: Comparison }).comparison;
      else if (answer.error.status < 500) apiProblem = sentence(answer.error.message);
      else throw answer.error;
    } else if (hasInput && built.changes.length === 0 && Object.keys(built.errors).length === 0) {
      apiProblem = "Give at least one change.";
    }
    const saveForm = ctx.form?.name === "save" ? ctx.form : undefined;

    return {
      title: "What-if scenarios",
      charts: comparison !== undefined,
      ...(comparison ? { meta: { lastPeriod: comparison.lastPeriod, lastImportedAt: null } } : {}),
      body: (
        <>
          <PageHead
            title="What-if scenarios"
            subtitle="Try a change against the plan: nothing of the plan is written"
          />
          {flash ? (
            <Banner kind="info">
              <p>{flash}</p>
            </Banner>
          ) : null}
          <FormProblem form={ctx.form?.name === "manage" ? ctx.form : undefined} />
          <Panel id="build" title="Build a scenario">
            <form class="edit" method="get" action="/scenarios" aria-labelledby="build-title" novalidate>
              <div class="wide">
                <Field
                  form="build"
                  name="whatif"
                  label="As a command (optional)"
                  value={built.text}
                  error={built.errors.whatif}
                  placeholder="demand +15% BOTTLES from 2026-03; delay PO-7781 30d"
                  hint={`The Slack grammar: ${WHATIF_USAGE}`}
                  maxlength={2000}
                />
              </div>
              {Array.from({ length: Math.max(ROWS, built.rows.length) }, (_, i) => {
                const r = built.rows[i] ?? { type: "", target: "", amount: "", from: "" };
                return (
                  <fieldset class="changes" data-row={String(i)}>
                    <legend>Change {i + 1}</legend>
                    <RowField
                      i={i}
                      name="type"
                      label="What changes"
                      type="select"
                      value={r.type}
                      errors={built.errors}
                      options={TYPES.map(([v, l]) => [v, l] as const)}
                    />
                    <RowField
                      i={i}
                      name="target"
                      label="Family, SKU or PO"
                      value={r.target}
                      errors={built.errors}
                    />
                    <RowField
                      i={i}
                      name="amount"
                      label="By (% or days)"
                      value={r.amount}
                      errors={built.errors}
                      hint="+15, -20 (%) or 30 (days)"
                    />
                    <RowField
                      i={i}
                      name="from"
                      label="From month"
                      type="month"
                      value={r.from}
                      errors={built.errors}
                      hint="Optional; not for a delay"
                    />
                  </fieldset>
                );
              })}
              <Field
                form="build"
                name="horizon"
                label="Horizon"
                type="select"
                value={String(horizon)}
                options={HORIZONS.map((h) => [String(h), `${h} months`] as const)}
              />
              <div class="form-actions">
                <button type="submit" class="button">
                  Compare with the plan
                </button>
                <a class="button secondary" href="/scenarios">
                  Clear
                </a>
              </div>
            </form>
          </Panel>

          {apiProblem ? (
            <Banner kind="error" title="The scenario cannot be computed">
              <p>{apiProblem}</p>
            </Banner>
          ) : null}

          {comparison ? (
            <>
              <Panel id="save" title="Save this scenario">
                <form
                  class="edit"
                  method="post"
                  action="/scenarios/save"
                  aria-labelledby="save-title"
                  novalidate
                >
                  <FormToken token={ctx.formToken} />
                  <input type="hidden" name="changes" value={JSON.stringify(built.changes)} />
                  <input type="hidden" name="horizon" value={String(horizon)} />
                  <input type="hidden" name="back" value={url.pathname + url.search} />
                  <FormProblem form={saveForm} />
                  <div class="wide">
                    <Field
                      form="save"
                      name="name"
                      label="Name"
                      value={saveForm?.values.name ?? formatWhatIf(built.changes).slice(0, 200)}
                      error={saveForm?.errors.name}
                      maxlength={200}
                      required
                    />
                  </div>
                  <div class="form-actions">
                    <button type="submit" class="button">
                      Save
                    </button>
                  </div>
                </form>
              </Panel>
              <ComparisonView comparison={comparison} name={formatWhatIf(built.changes)} />
            </>
          ) : null}

          <Panel
            id="saved"
            title="Saved scenarios"
            aside="Newest first; stale ones were computed on an older plan"
          >
            <Table
              label="Saved scenarios"
              rows={list.scenarios}
              rowKey={(s) => String(s.id)}
              empty="No saved scenarios yet."
              columns={[
                {
                  label: "Scenario",
                  header: true,
                  key: "name",
                  sort: (s) => s.name,
                  cell: (s) => (
                    <>
                      <a href={dashboardPath({ view: "scenarios", filters: { scenario: s.id } })}>{s.name}</a>
                      <span class="cell-sub">{formatWhatIf(s.changes)}</span>
                    </>
                  ),
                },
                { label: "Saved", cell: (s) => when(s.createdAt, tz), sort: (s) => s.createdAt, key: "at" },
                {
                  label: "Value at risk",
                  type: "number",
                  key: "valueAtRisk",
                  sort: (s) => s.delta.valueAtRisk,
                  cell: (s) => fmtChange(s.delta.valueAtRisk, "money"),
                },
                {
                  label: "Capacity gap",
                  type: "number",
                  key: "capacityGapUnits",
                  sort: (s) => s.delta.capacityGapUnits,
                  cell: (s) => fmtChange(s.delta.capacityGapUnits, "units"),
                },
                {
                  label: "Status",
                  key: "stale",
                  cell: (s) =>
                    s.stale ? <Badge kind="warn">stale</Badge> : <Badge kind="signed">up to date</Badge>,
                },
                {
                  label: "Attached to",
                  key: "attached",
                  cell: (s) =>
                    s.attachments.length === 0
                      ? "—"
                      : s.attachments.map((a) => (
                          <span class="cell-sub">
                            <a href={dashboardPath({ view: "cycle", filters: { month: a.cycle } })}>
                              {a.step} {monthLong(a.cycle)}
                            </a>
                          </span>
                        )),
                },
              ]}
            />
          </Panel>
        </>
      ),
    };
  },
  actions: [
    { path: "/scenarios/save", handle: saveScenario },
    { path: "/scenarios/:id/delete", handle: deleteScenario },
    { path: "/scenarios/:id/attach", handle: (ctx) => attach(ctx, true) },
    { path: "/scenarios/:id/detach", handle: (ctx) => attach(ctx, false) },
  ],
};

/** One field of a change row: named like the others of its kind (type, target…), id per row. */
function RowField(p: {
  i: number;
  name: "type" | "target" | "amount" | "from";
  label: string;
  value: string;
  errors: Record<string, string>;
  type?: "select" | "month";
  options?: (readonly [string, string])[];
  hint?: string;
}) {
  return (
    <Field
      form={`row-${p.i}`}
      name={p.name}
      label={p.label}
      type={p.type}
      value={p.value}
      error={p.errors[`${p.name}-${p.i}`]}
      options={p.options}
      hint={p.hint}
      maxlength={p.type ? undefined : 100}
    />
  );
}

function FormProblem(props: { form: FormState | undefined }) {
  if (!props.form?.message) return null;
  return (
    <div class="wide" data-refusal="">
      <Banner kind="error">
        <p>{props.form.message}</p>
      </Banner>
    </div>
  );
}

function Attachments(props: { scenario: Saved; tz: string }) {
  if (props.scenario.attachments.length === 0) return <p class="muted">Not attached to a cycle step.</p>;
  return (
    <ul data-attachments="">
      {props.scenario.attachments.map((a) => (
        <li>
          Attached to the <strong>{a.step}</strong> step of{" "}
          <a href={dashboardPath({ view: "cycle", filters: { month: a.cycle } })}>{monthLong(a.cycle)}</a>,{" "}
          {when(a.attachedAt, props.tz)}
          {a.attachedBy ? ` by ${a.attachedBy}` : ""}
        </li>
      ))}
    </ul>
  );
}

/** The address that builds these changes again (the command box holds them). */
function buildPath(changes: readonly ScenarioChange[], horizon: number): string {
  const q = new URLSearchParams({ whatif: formatWhatIf(changes), horizon: String(horizon) });
  return `/scenarios?${q.toString()}`;
}

function stepName(cycle: { steps: { key: string; name: string }[] } | null, key: string): string {
  return cycle?.steps.find((s) => s.key === key)?.name ?? key;
}

const FIGURES: { key: string; label: string; kind: Kind; of: (f: Comparison["base"]) => number }[] = [
  { key: "valueAtRisk", label: "Value at risk", kind: "money", of: (f) => f.valueAtRisk },
  { key: "shortageUnits", label: "Shortage units", kind: "units", of: (f) => f.shortageUnits },
  { key: "shortageCount", label: "SKU-locations short", kind: "count", of: (f) => f.shortageCount },
  { key: "highRisk", label: "High stock-out risk", kind: "count", of: (f) => f.risk.high },
  { key: "mediumRisk", label: "Medium stock-out risk", kind: "count", of: (f) => f.risk.medium },
  { key: "capacityGapUnits", label: "Capacity gap units", kind: "units", of: (f) => f.capacityGapUnits },
  {
    key: "inventoryEndValue",
    label: "Inventory value at the end",
    kind: "money",
    of: (f) => f.inventoryEndValue,
  },
  {
    key: "inventoryAverageValue",
    label: "Average inventory value",
    kind: "money",
    of: (f) => f.inventoryAverageValue,
  },
  { key: "excessValue", label: "Excess value", kind: "money", of: (f) => f.excessValue },
];

/** The base plan and the scenario side by side: figures, chart, changes, lines, capacity. */
function ComparisonView(props: { comparison: Comparison; name: string }) {
  const c = props.comparison;
  const chart: ChartAnswer = {
    name: "scenario-inventory",
    title: "Projected inventory value: base plan and scenario",
    config: buildInventoryChart(
      {
        scenario: props.name.slice(0, 200) || undefined,
        months: c.base.inventory.map((m, i) => ({
          period: m.period,
          base: m.value,
          scenario: c.scenario.inventory[i]?.value ?? 0,
        })),
      },
      { target: "dashboard" },
    ),
  };
  const tile = (key: string, label: string, kind: Kind, better: "up" | "down" | "none") => {
    const fig = FIGURES.find((x) => x.key === key)!;
    return (
      <Tile
        id={key}
        label={label}
        value={fig.of(c.scenario)}
        previous={fig.of(c.base)}
        kind={kind}
        versus="vs the base plan"
        better={better}
      />
    );
  };
  return (
    <>
      <Tiles label="The scenario against the base plan">
        {tile("valueAtRisk", "Value at risk", "money", "down")}
        {tile("shortageUnits", "Shortage units", "units", "down")}
        {tile("highRisk", "High stock-out risk", "count", "down")}
        {tile("capacityGapUnits", "Capacity gap", "units", "down")}
        {tile("inventoryEndValue", "Inventory value at the end", "money", "none")}
        {tile("excessValue", "Excess value", "money", "down")}
      </Tiles>
      <div class="grid-2">
        <Panel
          id="side-by-side"
          title="Base plan and scenario"
          aside={`Next ${c.horizon} months from ${monthLong(c.lastPeriod)}`}
        >
          <Table
            label="Base plan and scenario side by side"
            rows={FIGURES}
            rowKey={(r) => r.key}
            sortable={false}
            columns={[
              { label: "Figure", header: true, cell: (r) => r.label },
              {
                label: "Base plan",
                type: "number",
                key: "base",
                sort: (r) => r.of(c.base),
                cell: (r) => fmt(r.of(c.base), r.kind),
              },
              {
                label: "Scenario",
                type: "number",
                key: "scenario",
                sort: (r) => r.of(c.scenario),
                cell: (r) => fmt(r.of(c.scenario), r.kind),
              },
              {
                label: "Change",
                type: "number",
                key: "delta",
                sort: (r) => r.of(c.scenario) - r.of(c.base),
                cell: (r) => fmtChange(r.of(c.scenario) - r.of(c.base), r.kind),
              },
            ]}
          />
        </Panel>
        <Panel id="inventory" title="Inventory value">
          <Chart chart={chart} />
        </Panel>
      </div>
      <Panel id="changes" title="The changes">
        <ol data-changes="">
          {c.changes.map((ch) => (
            <li>{ch.description}</li>
          ))}
        </ol>
      </Panel>
      <Panel
        id="lines"
        title="Most affected SKU-locations"
        aside={`${c.linesChanged} SKU-locations change${c.lines.length < c.linesChanged ? `; the ${c.lines.length} most affected` : ""}`}
      >
        <Table
          label="SKU-locations the scenario changes"
          rows={c.lines}
          rowKey={(l) => `${l.sku}@${l.location}`}
          empty="No SKU-location's risk or shortage changes."
          columns={[
            {
              label: "SKU",
              header: true,
              key: "sku",
              sort: (l) => l.sku,
              cell: (l) => <SkuLink sku={l.sku} location={l.location} name={l.name} />,
            },
            { label: "Location", cell: (l) => l.location, key: "location" },
            { label: "Family", cell: (l) => l.family },
            {
              label: "Value at risk, base",
              kind: "money",
              value: (l) => l.base.valueAtRisk,
              key: "baseValueAtRisk",
            },
            {
              label: "Value at risk, scenario",
              kind: "money",
              value: (l) => l.scenario.valueAtRisk,
              key: "valueAtRisk",
            },
            {
              label: "First stock-out",
              key: "firstStockout",
              cell: (l) => (
                <>
                  {l.scenario.firstStockoutPeriod ? monthLong(l.scenario.firstStockoutPeriod) : "none"}
                  <span class="cell-sub">
                    base: {l.base.firstStockoutPeriod ? monthLong(l.base.firstStockoutPeriod) : "none"}
                  </span>
                </>
              ),
            },
            {
              label: "Risk",
              key: "risk",
              cell: (l) => (
                <>
                  <Badge kind={l.scenario.risk}>{l.scenario.risk}</Badge>
                  <span class="cell-sub">base: {l.base.risk}</span>
                </>
              ),
            },
            { label: "End balance", kind: "units", value: (l) => l.scenario.endBalance, key: "endBalance" },
          ]}
        />
      </Panel>
      {c.capacity.length > 0 ? (
        <Panel
          id="capacity"
          title="Capacity by family and month"
          aside="Where the scenario changes demand or capacity"
        >
          <Table
            label="Capacity gaps, base plan and scenario"
            rows={c.capacity}
            rowKey={(r) => `${r.family} ${r.period}`}
            columns={[
              { label: "Family", header: true, cell: (r) => r.family, key: "family" },
              { label: "Month", cell: (r) => monthLong(r.period), sort: (r) => r.period, key: "period" },
              { label: "Demand, base", kind: "units", value: (r) => r.base.demand },
              { label: "Demand, scenario", kind: "units", value: (r) => r.scenario.demand },
              { label: "Capacity, scenario", kind: "units", value: (r) => r.scenario.capacity },
              { label: "Gap, base", kind: "units", value: (r) => r.base.gap, key: "baseGap" },
              {
                label: "Gap, scenario",
                kind: "units",
                value: (r) => r.scenario.gap,
                key: "gap",
                className: (r) => (r.scenario.gap > 0 ? "neg" : undefined),
              },
            ]}
          />
        </Panel>
      ) : null}
    </>
  );
}

// ------------------------------------------------------------------ form posts

async function saveScenario({ api, fields }: Parameters<PageAction["handle"]>[0]): Promise<ActionResult> {
  const back = fields.back?.startsWith("/scenarios") ? fields.back : "/scenarios";
  const name = (fields.name ?? "").trim();
  const state = (errors: Record<string, string>, message?: string): FormState => ({
    name: "save",
    values: fields,
    errors,
    message,
  });
  let changes: ScenarioChange[];
  try {
    changes = ScenarioChanges.parse(JSON.parse(fields.changes ?? ""));
  } catch {
    return {
      status: 400,
      form: state({}, "The scenario's changes did not come through: build it again."),
      url: back,
    };
  }
  if (!name) return { status: 400, form: state({ name: "Give the scenario a name." }), url: back };
  const horizon = Number(fields.horizon);
  const answer = await sent(
    api.api.scenarios.$post({
      json: {
        changes,
        horizon: Number.isInteger(horizon) && horizon >= 1 && horizon <= 12 ? horizon : 6,
        save: true,
        name,
        source: "dashboard",
      },
    }),
  );
  if (answer.ok) {
    const id = (answer.body as { scenario: { id: number } }).scenario.id;
    return { redirect: `${dashboardPath({ view: "scenarios", filters: { scenario: id } })}?saved=1` };
  }
  const named = problemsOf(answer.error).find((p) => p.parameter === "name");
  return {
    status: answer.error.status === 404 || answer.error.status === 422 ? answer.error.status : 400,
    form: named ? state({ name: sentence(named.message) }) : state({}, sentence(answer.error.message)),
    url: back,
  };
}

async function deleteScenario({ api, params }: Parameters<PageAction["handle"]>[0]): Promise<ActionResult> {
  const id = params.id ?? "";
  const answer = await sent(api.api.scenarios[":id"].$delete({ param: { id } }));
  if (answer.ok) return { redirect: `/scenarios?deleted=${id}` };
  return refusedOn(id, answer.error);
}

async function attach(
  { api, params }: Parameters<PageAction["handle"]>[0],
  on: boolean,
): Promise<ActionResult> {
  const id = params.id ?? "";
  const current = await sent(api.api.cycles.current.$get());
  if (!current.ok) return refusedOn(id, current.error);
  const month = (current.body as { cycle: { month: string } }).cycle.month;
  const param = { month, step: ATTACH_STEP, id };
  const answer = on
    ? await sent(
        api.api.cycles[":month"].steps[":step"].scenarios[":id"].$put({
          param,
          json: { source: "dashboard" },
        }),
      )
    : await sent(api.api.cycles[":month"].steps[":step"].scenarios[":id"].$delete({ param }));
  if (answer.ok) return { redirect: `/scenarios/${id}?${on ? "attached" : "detached"}=${ATTACH_STEP}` };
  return refusedOn(id, answer.error);
}

/** A refused post about one saved scenario: its page again, with the API's reason. */
function refusedOn(id: string, error: ApiAnswerError): ActionResult {
  if (error.status >= 500) throw error;
  const status = ([400, 403, 404, 409, 422] as const).find((s) => s === error.status) ?? 400;
  if (status === 404 && !/^\d+$/.test(id)) throw error;
  return {
    status,
    form: { name: "manage", values: {}, errors: {}, message: sentence(error.message) },
    url: status === 404 ? "/scenarios" : `/scenarios/${id}`,
    params: status === 404 ? {} : { id },
  };
}
