/**
 * `/plan`: the consensus plan of the current cycle by family, drilling down to a family's SKUs
 * and a SKU's locations: per month the statistical forecast, the consensus and the overrides
 * behind it (who, why, when, accepted or withdrawn); forecast value added by contributor (#fva);
 * whether the executive sign-off has locked the plan; and a form to override it (#override),
 * which posts to POST /api/overrides as the person chosen, from the dashboard.
 */
import { randomUUID } from "node:crypto";
import { build as buildFvaChart } from "../../charts/fva-by-contributor.js";
import { type DashboardFilters, dashboardPath } from "../../domain/links.js";
import { addMonths, isPeriod } from "../../domain/periods.js";
import { type ApiAnswerError, type ChartAnswer, ok, problemsOf, query, sent } from "../api.js";
import {
  Badge,
  Banner,
  Chart,
  Field,
  FilterBar,
  FormToken,
  Panel,
  Table,
  Tile,
  Tiles,
} from "../components.js";
import { fmt, fmtChange, month, monthLong, sentence, when } from "../format.js";
import { PageHead } from "../layout.js";
import type { ActionResult, DashboardPage, FormState, PageAction } from "../page.js";
import { scopeFields, scopeQuery, scopeText } from "./shared.js";

/** Months ahead of the cycle an override may name (the API's MAX_OVERRIDE_LAG). */
const OVERRIDE_MONTHS = 24;
const FORM = "override";

type Scope = "family" | "sku" | "location";

/** The link of a group's row: one level down. */
function drill(by: Scope, key: string, f: DashboardFilters): string {
  if (by === "family") return dashboardPath({ view: "plan", filters: { family: key, location: f.location } });
  if (by === "sku") {
    return dashboardPath({ view: "plan", filters: { family: f.family, sku: key, location: f.location } });
  }
  return dashboardPath({ view: "sku", filters: { sku: f.sku, location: key } });
}

/** "Rachel Kim (sales)" */
const personText = (p: { name: string }, role?: string) => (role ? `${p.name} (${role})` : p.name);

export const planPage: DashboardPage = {
  view: "plan",
  paths: ["/plan"],
  async render({ api, filters: f, options, url, formToken, form, company }) {
    const by: Scope = f.sku ? "location" : f.family ? "sku" : "family";
    const scope = scopeQuery(f);
    const summary = await ok(api.api.consensus.summary.$get({ query: query({ ...scope, by }) }));
    const cycleMonth = summary.cycle;
    // A SKU's FVA is its family's: the contributors' figures are kept per family.
    const fvaFamily = f.family ?? (f.sku ? (summary.groups[0]?.family ?? undefined) : undefined);
    const [cycleAnswer, overrides, fva, people, opts, co] = await Promise.all([
      api.api.cycles[":month"].$get({ param: { month: cycleMonth } }),
      ok(
        api.api.overrides.$get({
          query: query({ cycle: cycleMonth, family: f.sku ? undefined : f.family, sku: f.sku, limit: 200 }),
        }),
      ),
      ok(api.api.kpi.fva.$get({ query: query({ family: fvaFamily, location: f.location }) })),
      ok(api.api.people.$get()),
      options(),
      company(),
    ]);
    const cycle = cycleAnswer.status === 200 ? (await cycleAnswer.json()).cycle : null;
    const locked = cycle?.planLocked ?? null;
    const tz = co.timezone;

    const periods = [...new Set(summary.groups.flatMap((g) => g.months.map((m) => m.period)))].sort();
    const totals = periods.map((period) => {
      let statistical = 0;
      let consensus = 0;
      let overridden = 0;
      for (const g of summary.groups) {
        const m = g.months.find((x) => x.period === period);
        statistical += m?.statistical ?? 0;
        consensus += m?.consensus ?? 0;
        overridden += m?.overridden ?? 0;
      }
      return { period, statistical, consensus, overridden };
    });
    const sum = (k: "statistical" | "consensus" | "overridden") => totals.reduce((s, t) => s + t[k], 0);
    const statTotal = sum("statistical");
    const consTotal = sum("consensus");
    const accepted = overrides.overrides.filter((o) => o.status === "accepted");
    const submitters = people.people.filter(
      (p) => p.active && p.roles.some((r) => r === "sales" || r === "marketing"),
    );
    const groupLabel = by === "family" ? "Family" : by === "sku" ? "SKU" : "Location";
    const back = url.pathname + url.search;
    const justDone = url.searchParams.get("override");

    // FVA: the three steps of the forecast, then each contributor on the cells they changed.
    const t = fva.total;
    const accuracy = (w: number | null) => (w === null ? null : Math.max(0, 1 - w));
    const fvaRows = [
      {
        key: "naive",
        label: "Naive (last actual)",
        sub: "",
        cells: t.rows,
        stat: null,
        wape: t.naiveWape,
        added: null,
        bias: null,
      },
      {
        key: "statistical",
        label: "Statistical forecast",
        sub: "against the naive forecast",
        cells: t.rows,
        stat: null,
        wape: t.statisticalWape,
        added: t.naiveToStatistical,
        bias: null,
      },
      {
        key: "consensus",
        label: "Consensus",
        sub: "against the statistical forecast",
        cells: t.rows,
        stat: t.statisticalWape,
        wape: t.consensusWape,
        added: t.statisticalToConsensus,
        bias: null,
      },
      ...fva.contributors.map((c) => ({
        key: `${c.kind}:${c.id}`,
        label: c.name,
        sub: `${c.kind === "person" ? `${c.roles.join(", ")} · ${c.overrides} overrides` : "imported input"}`,
        cells: c.rows,
        stat: c.statisticalWape,
        wape: c.contributorWape,
        added: c.fva,
        bias: c.bias,
      })),
    ];
    const chartRows = [
      {
        label: "Consensus (all cells)",
        statisticalWape: t.statisticalWape,
        contributorWape: t.consensusWape,
      },
      ...fva.contributors.map((c) => ({
        label: c.name.slice(0, 80),
        statisticalWape: c.statisticalWape,
        contributorWape: c.contributorWape,
      })),
    ].filter((r) => r.statisticalWape !== null || r.contributorWape !== null);
    const fvaChart: ChartAnswer | { name: string; error: string } =
      chartRows.length > 0
        ? {
            name: "fva-by-contributor",
            title: "Forecast value added by contributor",
            config: buildFvaChart(
              {
                scope: `${fvaFamily ? `Family ${fvaFamily}` : "All items"} · ${month(fva.from)}–${month(fva.to)} at lag ${fva.lag}`,
                rows: chartRows.slice(0, 30),
              },
              { target: "dashboard" },
            ),
          }
        : { name: "fva-by-contributor", error: "No forecasts with actuals in the window yet." };

    const mine = form?.name === FORM ? form : undefined;
    const value = (name: string, fallback?: string) => mine?.values[name] ?? fallback;
    const overridable = Array.from({ length: OVERRIDE_MONTHS }, (_, i) => addMonths(cycleMonth, i));

    return {
      title: "Consensus plan",
      charts: true,
      meta: fva.lastPeriod ? { lastPeriod: fva.lastPeriod, lastImportedAt: null } : undefined,
      body: (
        <>
          <PageHead
            title="Consensus plan"
            subtitle={
              <>
                Cycle {monthLong(cycleMonth)} · {scopeText(f)} ·{" "}
                {locked ? <Badge kind="signed">locked</Badge> : <Badge kind="open">open for overrides</Badge>}
              </>
            }
          />
          <div data-lock={locked ? "locked" : "open"}>
            {locked ? (
              <Banner kind="warn" title="The plan is locked">
                <p>
                  The executive sign-off of {locked.byName ?? locked.by} locked this cycle's consensus plan on{" "}
                  {when(locked.at, tz)}. Overrides are refused until an executive requests changes on the
                  executive step (
                  <a href={dashboardPath({ view: "cycle", filters: { month: cycleMonth } })}>the cycle</a>).
                </p>
              </Banner>
            ) : cycle === null ? (
              <Banner kind="info">
                <p>
                  No cycle is open for {monthLong(cycleMonth)}: the plan shown is the forecasts made in that
                  month.
                </p>
              </Banner>
            ) : null}
          </div>
          {justDone ? (
            <Banner kind="info" title="Override recorded">
              <p>
                Override #{justDone} is in the consensus plan below; its cells say so in the overrides list.
              </p>
            </Banner>
          ) : null}

          <FilterBar action="/plan" clear="/plan" fields={scopeFields(f, opts)} />

          <Tiles label="The plan over its months">
            <Tile
              id="statistical"
              label="Statistical forecast"
              value={statTotal}
              kind="units"
              note={`${periods.length} months`}
            />
            <Tile
              id="consensus"
              label="Consensus"
              value={consTotal}
              kind="units"
              note={`${periods.length} months`}
            />
            <Tile
              id="change"
              label="Consensus vs statistical"
              value={statTotal > 0 ? (consTotal - statTotal) / statTotal : null}
              kind="percent"
              note={fmtChange(consTotal - statTotal, "units")}
            />
            <Tile
              id="overridden"
              label="Cells decided by an override"
              value={sum("overridden")}
              kind="count"
            />
            <Tile
              id="overrides"
              label="Accepted overrides"
              value={accepted.length}
              kind="count"
              href="#overrides"
            />
          </Tiles>

          <Panel
            id="plan"
            title={`Consensus by ${groupLabel.toLowerCase()} and month`}
            aside="Units; the statistical forecast under each number; ✎ marks cells an override decides"
          >
            <Table
              label={`Consensus plan by ${groupLabel.toLowerCase()} and month`}
              rows={summary.groups}
              rowKey={(g) => g.key}
              empty="No forecasts for this cycle in this scope: run the statistical forecast (sop forecast run) or import forecasts.csv."
              columns={[
                {
                  label: groupLabel,
                  header: true,
                  key: "group",
                  sort: (g) => g.key,
                  cell: (g) => (
                    <>
                      <a href={drill(by, g.key, f)}>{g.key}</a>
                      {g.name ? <span class="cell-sub">{g.name}</span> : null}
                    </>
                  ),
                },
                ...periods.map((p) => ({
                  label: month(p),
                  key: `consensus-${p}`,
                  type: "number" as const,
                  sort: (g: (typeof summary.groups)[number]) =>
                    g.months.find((m) => m.period === p)?.consensus ?? null,
                  cell: (g: (typeof summary.groups)[number]) => {
                    const m = g.months.find((x) => x.period === p);
                    if (!m) return "—";
                    return (
                      <>
                        {fmt(m.consensus, "units")}
                        {m.overridden > 0 ? (
                          <span title={`${m.overridden} cells decided by an override`}> ✎</span>
                        ) : null}
                        <span class="cell-sub">stat {fmt(m.statistical, "units")}</span>
                      </>
                    );
                  },
                })),
              ]}
            />
          </Panel>

          <Panel id="months" title="By month" aside={scopeText(f)}>
            <Table
              label="Statistical forecast, consensus and overrides by month"
              rows={totals}
              rowKey={(m) => m.period}
              sortable={false}
              columns={[
                { label: "Month", header: true, cell: (m) => monthLong(m.period), key: "period" },
                { label: "Statistical", kind: "units", value: (m) => m.statistical, key: "statistical" },
                { label: "Consensus", kind: "units", value: (m) => m.consensus, key: "consensus" },
                {
                  label: "Change",
                  type: "number",
                  key: "change",
                  sort: (m) => m.consensus - m.statistical,
                  cell: (m) => fmtChange(m.consensus - m.statistical, "units"),
                },
                { label: "Cells overridden", kind: "count", value: (m) => m.overridden, key: "overridden" },
              ]}
            />
          </Panel>

          <Panel id="overrides" title="Overrides" aside={`Cycle ${monthLong(cycleMonth)}, newest first`}>
            <Table
              label="Overrides of the consensus plan"
              rows={overrides.overrides}
              rowKey={(o) => String(o.id)}
              tall
              empty="No overrides in this cycle and scope yet."
              columns={[
                { label: "When", cell: (o) => when(o.createdAt, tz), sort: (o) => o.createdAt, key: "at" },
                { label: "Who", header: true, cell: (o) => personText(o.person, o.role), key: "who" },
                {
                  label: "What",
                  key: "what",
                  cell: (o) =>
                    o.scope === "family"
                      ? `family ${o.family}`
                      : `${o.sku}${o.location ? ` at ${o.location}` : " (all locations)"}`,
                },
                { label: "Month", cell: (o) => month(o.period), sort: (o) => o.period, key: "period" },
                { label: "Units", kind: "units", value: (o) => o.units, key: "units" },
                { label: "Why", cell: (o) => o.reason, key: "reason" },
                {
                  label: "Status",
                  key: "status",
                  cell: (o) =>
                    o.status === "accepted" ? (
                      <Badge kind="signed">accepted</Badge>
                    ) : (
                      <>
                        <Badge kind="warn">withdrawn</Badge>
                        {o.withdrawn ? <span class="cell-sub">{when(o.withdrawn.at, tz)}</span> : null}
                      </>
                    ),
                },
                { label: "From", cell: (o) => o.source },
              ]}
            />
          </Panel>

          <Panel
            id="fva"
            title="Forecast value added by contributor"
            aside={`${fvaFamily ? `Family ${fvaFamily}` : "All items"} · ${monthLong(fva.from)} – ${monthLong(fva.to)} at lag ${fva.lag}; positive value added = the step made the forecast better`}
          >
            <Chart chart={fvaChart} />
            <Table
              label="Forecast value added by contributor"
              rows={fvaRows}
              rowKey={(r) => r.key}
              columns={[
                {
                  label: "Forecast",
                  header: true,
                  key: "label",
                  sort: (r) => r.label,
                  cell: (r) => (
                    <>
                      {r.label}
                      {r.sub ? <span class="cell-sub">{r.sub}</span> : null}
                    </>
                  ),
                },
                { label: "Cells", kind: "count", value: (r) => r.cells, key: "cells" },
                {
                  label: "Statistical WAPE on them",
                  kind: "percent",
                  value: (r) => r.stat,
                  key: "statisticalWape",
                },
                { label: "WAPE", kind: "percent", value: (r) => r.wape, key: "wape" },
                { label: "Accuracy", kind: "percent", value: (r) => accuracy(r.wape), key: "accuracy" },
                {
                  label: "Value added",
                  type: "number",
                  key: "added",
                  sort: (r) => r.added,
                  className: (r) => (r.added !== null && r.added < 0 ? "neg" : undefined),
                  cell: (r) =>
                    r.added === null ? "—" : `${r.added > 0 ? "+" : ""}${fmt(r.added, "percent")}`,
                },
                { label: "Bias", kind: "percent", value: (r) => r.bias, key: "bias" },
              ]}
            />
          </Panel>

          <Panel id="override" title="Override the plan">
            <form
              class="edit"
              method="post"
              action="/plan/overrides"
              aria-labelledby="override-title"
              novalidate
            >
              <FormToken token={formToken} />
              <input type="hidden" name="back" value={back} />
              <input type="hidden" name="idempotencyKey" value={randomUUID()} />
              {mine?.message ? (
                <div class="wide" data-refusal="">
                  <Banner kind="error">
                    <p>{mine.message}</p>
                  </Banner>
                </div>
              ) : null}
              {locked ? (
                <p class="wide note">
                  The plan is locked: an override now is refused until an executive reopens the executive
                  step.
                </p>
              ) : null}
              <Field
                form={FORM}
                name="target"
                label="SKU or family"
                required
                value={value("target", f.sku ?? f.family)}
                error={mine?.errors.target}
                hint="A family's units are spread over its SKUs"
                maxlength={64}
              />
              <Field
                form={FORM}
                name="scope"
                label="It is a"
                type="select"
                value={value("scope", "auto")}
                error={mine?.errors.scope}
                options={[
                  ["auto", "SKU or family (find out)"],
                  ["sku", "SKU"],
                  ["family", "Family"],
                ]}
              />
              <Field
                form={FORM}
                name="location"
                label="Location"
                type="select"
                value={value("location", f.sku ? f.location : "")}
                error={mine?.errors.location}
                options={[["", "All locations (spread)"], ...opts.locations.map((l) => [l, l] as const)]}
                hint="One location of a SKU only"
              />
              <Field
                form={FORM}
                name="period"
                label="Month"
                type="select"
                required
                value={value("period", addMonths(cycleMonth, 1))}
                error={mine?.errors.period}
                options={overridable.map((p) => [p, monthLong(p)] as const)}
              />
              <Field
                form={FORM}
                name="units"
                label="Units for the month"
                required
                inputmode="decimal"
                value={value("units")}
                error={mine?.errors.units}
                hint="The new total, e.g. 1,200"
                maxlength={20}
              />
              <Field
                form={FORM}
                name="person"
                label="Submitted by"
                type="select"
                required
                value={value("person", "")}
                error={mine?.errors.person}
                options={[
                  ["", "Choose…"],
                  ...submitters.map(
                    (p) =>
                      [
                        p.slackUserId,
                        `${p.name} (${p.roles.filter((r) => r === "sales" || r === "marketing").join(", ")})`,
                      ] as const,
                  ),
                ]}
                hint="Overrides come from sales or marketing"
              />
              <div class="wide">
                <Field
                  form={FORM}
                  name="reason"
                  label="Why"
                  type="textarea"
                  required
                  value={value("reason")}
                  error={mine?.errors.reason}
                  hint="Required: what do you know that the statistical forecast does not?"
                  maxlength={1000}
                />
              </div>
              <div class="form-actions">
                <button type="submit" class="button">
                  Override
                </button>
              </div>
            </form>
          </Panel>
        </>
      ),
    };
  },
  actions: [
    {
      path: "/plan/overrides",
      handle: submitOverride,
    } satisfies PageAction,
  ],
};

const UNITS = /^\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*$/;

/** The override form → POST /api/overrides; each refusal shown next to the field it is about. */
async function submitOverride({ api, fields }: Parameters<PageAction["handle"]>[0]): Promise<ActionResult> {
  const back = fields.back?.startsWith("/plan") ? fields.back : "/plan";
  const errors: Record<string, string> = {};
  const target = (fields.target ?? "").trim();
  if (!target) errors.target = "Name a SKU or a family.";
  const scope = fields.scope === "sku" || fields.scope === "family" ? fields.scope : "auto";
  const period = fields.period ?? "";
  if (!isPeriod(period)) errors.period = "Choose a month.";
  const unitsText = fields.units ?? "";
  const u = UNITS.exec(unitsText);
  const units = u ? Number(u[1]!.replaceAll(",", "") + (u[2] ?? "")) : Number.NaN;
  if (!Number.isFinite(units)) {
    errors.units = unitsText.trim()
      ? `“${unitsText.trim()}” is not a number of units: write e.g. 1200 or 1,200.`
      : "Enter the units for the month.";
  }
  const reason = (fields.reason ?? "").trim();
  if (!reason) errors.reason = "A reason is required: say why the number should change.";
  const person = fields.person ?? "";
  if (!person) errors.person = "Choose who submits the override.";
  const location = fields.location?.trim() || undefined;
  if (location && scope === "family") errors.location = "A family override covers every location.";
  const state = (extra: Partial<FormState> = {}): FormState => ({
    name: FORM,
    values: fields,
    errors,
    ...extra,
  });
  if (Object.keys(errors).length > 0) return { status: 400, form: state(), url: back };

  const answer = await sent(
    api.api.overrides.$post({
      json: {
        ...(scope === "sku" ? { sku: target } : scope === "family" ? { family: target } : { target }),
        ...(location ? { location } : {}),
        period,
        units,
        reason,
        person,
        source: "dashboard",
        ...(fields.idempotencyKey ? { idempotencyKey: fields.idempotencyKey.slice(0, 255) } : {}),
      },
    }),
  );
  if (answer.ok) {
    const id = (answer.body as { override: { id: number } }).override.id;
    const u = new URL(back, "http://dashboard");
    u.searchParams.set("override", String(id));
    return { redirect: `${u.pathname}${u.search}#plan` };
  }
  const e = answer.error;
  const status = ([400, 403, 404, 409, 422] as const).find((s) => s === e.status) ?? 400;
  fieldErrors(e, errors);
  return {
    status,
    form: state(Object.keys(errors).length === 0 ? { message: sentence(e.message) } : {}),
    url: back,
  };
}

/** Puts an API refusal on the field it is about; leaves `errors` empty when it is the form's. */
function fieldErrors(e: ApiAnswerError, errors: Record<string, string>) {
  const FIELD: Record<string, string> = {
    target: "target",
    sku: "target",
    family: "target",
    location: "location",
    period: "period",
    units: "units",
    reason: "reason",
    person: "person",
    role: "person",
  };
  for (const p of problemsOf(e)) {
    const field = FIELD[p.parameter];
    if (field) errors[field] = sentence(`${p.parameter === field ? "" : `${p.parameter}: `}${p.message}`);
  }
  if (Object.keys(errors).length > 0) return;
  const details = (e.details ?? {}) as Record<string, unknown>;
  if (e.status === 403) errors.person = sentence(e.message);
  else if (e.status === 404 || e.status === 422) {
    errors["location" in details ? "location" : "target"] = sentence(e.message);
  } else if (e.status === 400 && !("planLocked" in details)) {
    const named = Object.keys(FIELD).find((k) => e.message.startsWith(`${k}:`));
    if (named) errors[FIELD[named]!] = sentence(e.message.slice(named.length + 1).trim());
  }
}
