/**
 * `/accuracy`: forecast accuracy, bias and MAPE over a window at one lag; FVA (#fva); by family
 * with drill-down to the family's SKU-locations and to one SKU; tracking-signal flags.
 */

import { FORECAST_SOURCES } from "../../../db/import/kinds.js";
import { type DashboardFilters, dashboardPath } from "../../domain/links.js";
import { addMonths, periodRange } from "../../domain/periods.js";
import { chartFor, ok, query } from "../api.js";
import { Badge, Banner, Chart, FilterBar, Panel, Table, Tile, Tiles } from "../components.js";
import { fmt, month, monthLong } from "../format.js";
import { PageHead } from "../layout.js";
import type { DashboardPage } from "../page.js";
import { scopeFields, scopeQuery, scopeText } from "./shared.js";

const WORST = 100;
const LAGS = [0, 1, 2, 3, 4, 5, 6];
const WINDOWS = [3, 6, 12, 18, 24, 36];

export const accuracyPage: DashboardPage = {
  view: "accuracy",
  paths: ["/accuracy"],
  async render({ api, filters: f, options }) {
    const lag = f.lag ?? 1;
    const source = f.source ?? "consensus";
    const scope = scopeQuery(f);
    // The company-wide list of SKU-locations is stored with the plan for the default window
    // (lag 1, the 12 months to P); any other window ranks every SKU-location live, which at
    // tens of thousands takes seconds. There the list waits for a family (the drill-down).
    const defaultWindow = lag === 1 && !f.from && !f.to && (f.months ?? 12) === 12;
    const listed = defaultWindow || f.family !== undefined || f.sku !== undefined;
    const [report, chart, opts] = await Promise.all([
      ok(
        api.api.kpi.accuracy.$get({
          query: query({
            ...scope,
            lag,
            source,
            months: f.months,
            from: f.from,
            to: f.to,
            worst: listed ? WORST : 0,
          }),
        }),
      ),
      chartFor(api, "forecast-vs-actual", query({ ...scope, lag })),
      options(),
    ]);
    const P = report.lastPeriod ?? report.to;
    const months = periodRange(addMonths(P, -35), P).reverse();
    // Links keep the window, lag and source; a drill-down changes only the scope.
    const keep: DashboardFilters = {
      lag: f.lag,
      months: f.months,
      from: f.from,
      to: f.to,
      source: f.source,
      location: f.location,
    };
    const versus = `vs ${month(report.previous.from)}–${month(report.previous.to)}`;
    const fva = report.fva;
    const biased = report.worst.filter((w) => w.biased).length;

    return {
      title: "Forecast accuracy",
      meta: report,
      charts: true,
      body: (
        <>
          <PageHead
            title="Forecast accuracy"
            subtitle={`${scopeText(f)} · ${source} forecasts at lag ${lag} · ${monthLong(report.from)} – ${monthLong(report.to)}`}
          />
          <FilterBar
            action="/accuracy"
            clear="/accuracy"
            fields={[
              ...scopeFields(f, opts),
              {
                kind: "select",
                name: "lag",
                label: "Lag (months)",
                value: lag,
                options: LAGS.map(
                  (l) => [String(l), l === 1 ? "1 (made the month before)" : String(l)] as const,
                ),
              },
              {
                kind: "select",
                name: "months",
                label: "Window",
                value: f.from ? "" : (f.months ?? 12),
                options: [
                  ...(f.from ? ([["", "from…to"]] as const) : []),
                  ...WINDOWS.map((m) => [String(m), `${m} months`] as const),
                ],
              },
              ...(f.from
                ? [
                    {
                      kind: "select" as const,
                      name: "from",
                      label: "From",
                      value: f.from,
                      options: [["", "—"] as const, ...months.map((m) => [m, monthLong(m)] as const)],
                    },
                  ]
                : []),
              {
                kind: "select",
                name: "to",
                label: "To",
                value: f.to ?? "",
                options: [
                  ["", `${monthLong(P)} (latest)`] as const,
                  ...months.slice(1).map((m) => [m, monthLong(m)] as const),
                ],
              },
              {
                kind: "select",
                name: "source",
                label: "Forecast",
                value: source,
                options: FORECAST_SOURCES.map((s) => [s, s] as const),
              },
            ]}
          />

          {report.rows === 0 ? (
            <Banner kind="warn" title="No forecasts in this window">
              <p>
                There are no {source} forecasts at lag {lag} for {monthLong(report.from)} –{" "}
                {monthLong(report.to)} in this scope. Try another lag or window.
              </p>
            </Banner>
          ) : null}

          <Tiles label="Accuracy over the window">
            <Tile
              id="accuracy"
              label="Accuracy (1 − WAPE)"
              value={report.accuracy}
              previous={report.previous.accuracy}
              kind="percent"
              better="up"
              versus={versus}
            />
            <Tile
              id="wape"
              label="WAPE"
              value={report.wape}
              previous={report.previous.wape}
              kind="percent"
              better="down"
              versus={versus}
            />
            <Tile
              id="bias"
              label="Bias (+ = over-forecast)"
              value={report.bias}
              previous={report.previous.bias}
              kind="percent"
              better="zero"
              versus={versus}
            />
            <Tile
              id="mape"
              label="MAPE"
              value={report.mape}
              previous={report.previous.mape}
              kind="percent"
              better="down"
              versus={versus}
            />
            <Tile
              id="rows"
              label="Forecasts compared"
              value={report.rows}
              kind="count"
              note={`${fmt(report.actualUnits, "units")} units sold, ${fmt(report.forecastUnits, "units")} forecast`}
            />
          </Tiles>

          <div class="grid-2">
            <Panel id="chart" title="Forecast vs actual" hideTitle>
              <Chart
                chart={chart}
                caption="The chart shows the 12 months up to the latest closed month and the plan after it."
              />
            </Panel>
            <Panel id="fva" title="Forecast value added">
              <p class="note">
                Does each step of the process make the forecast better? WAPE of the naive forecast (the last
                actual known), the statistical forecast and the consensus, over the {fmt(fva.rows, "count")}{" "}
                forecasts that have all three. Positive value added = the step helped.
              </p>
              <Table
                label="Forecast value added"
                sortable={false}
                rows={[
                  { step: "Naive (last actual)", wape: fva.naiveWape, added: null as number | null },
                  { step: "Statistical", wape: fva.statisticalWape, added: fva.naiveToStatistical },
                  { step: "Consensus", wape: fva.consensusWape, added: fva.statisticalToConsensus },
                ]}
                rowKey={(r) => r.step}
                columns={[
                  { label: "Forecast", header: true, cell: (r) => r.step },
                  { label: "WAPE", kind: "percent", value: (r) => r.wape, key: "wape" },
                  {
                    label: "Value added",
                    kind: "percent",
                    value: (r) => r.added,
                    key: "added",
                    cell: (r) =>
                      r.added === null ? (
                        "—"
                      ) : (
                        <span class={r.added > 0 ? "good" : r.added < 0 ? "bad" : ""}>
                          {r.added > 0 ? "+" : ""}
                          {fmt(r.added, "percent")}
                        </span>
                      ),
                  },
                ]}
              />
            </Panel>
          </div>

          {f.sku ? null : (
            <Panel
              id="families"
              title="By family"
              aside={
                f.family ? (
                  <a href={dashboardPath({ view: "accuracy", filters: { ...keep } })}>All families</a>
                ) : (
                  "Choose a family to see its SKUs"
                )
              }
            >
              <Table
                label="Accuracy by family"
                rows={report.byFamily}
                rowKey={(r) => r.family}
                empty="No forecasts in this window."
                columns={[
                  {
                    label: "Family",
                    header: true,
                    cell: (r) => (
                      <a href={dashboardPath({ view: "accuracy", filters: { ...keep, family: r.family } })}>
                        {r.family}
                      </a>
                    ),
                  },
                  { label: "Forecasts", kind: "count", value: (r) => r.rows },
                  { label: "Actual units", kind: "units", value: (r) => r.actualUnits },
                  { label: "Forecast units", kind: "units", value: (r) => r.forecastUnits },
                  { label: "Accuracy", kind: "percent", value: (r) => r.accuracy, key: "accuracy" },
                  { label: "WAPE", kind: "percent", value: (r) => r.wape, key: "wape" },
                  { label: "Bias", kind: "percent", value: (r) => r.bias, key: "bias" },
                  { label: "MAPE", kind: "percent", value: (r) => r.mape },
                  {
                    label: "FVA stat → consensus",
                    kind: "percent",
                    value: (r) => r.fva.statisticalToConsensus,
                    key: "fva",
                  },
                ]}
              />
            </Panel>
          )}

          <Panel
            id="skus"
            title={
              f.sku
                ? `SKU ${f.sku} by location`
                : f.family
                  ? `SKU-locations in ${f.family}`
                  : "SKU-locations with the largest error"
            }
            aside={
              f.sku ? (
                <a href={dashboardPath({ view: "sku", filters: { sku: f.sku, location: f.location } })}>
                  Open the SKU page
                </a>
              ) : (
                `${biased} flagged as biased (|tracking signal| > 4)`
              )
            }
          >
            {listed ? (
              <Table
                label="SKU-locations by absolute error"
                tall
                rows={report.worst}
                rowKey={(r) => `${r.sku}@${r.location}`}
                empty="No SKU-location has forecasts in this window."
                caption={
                  report.worst.length >= WORST
                    ? `The ${WORST} SKU-locations with the largest absolute error.`
                    : "Tracking signal: consensus lag-1 errors of the last 6 closed months ÷ their mean absolute error; beyond ±4 the forecast is biased."
                }
                columns={[
                  {
                    label: "SKU",
                    header: true,
                    cell: (r) => (
                      <a href={dashboardPath({ view: "accuracy", filters: { ...keep, sku: r.sku } })}>
                        {r.sku}
                      </a>
                    ),
                  },
                  { label: "Location", cell: (r) => r.location },
                  { label: "Family", cell: (r) => r.family },
                  { label: "Actual units", kind: "units", value: (r) => r.actualUnits },
                  { label: "Forecast units", kind: "units", value: (r) => r.forecastUnits },
                  { label: "Abs. error", kind: "units", value: (r) => r.absError, key: "absError" },
                  { label: "WAPE", kind: "percent", value: (r) => r.wape, key: "wape" },
                  { label: "Bias", kind: "percent", value: (r) => r.bias, key: "bias" },
                  {
                    label: "Tracking signal",
                    kind: "number",
                    value: (r) => r.trackingSignal,
                    key: "trackingSignal",
                  },
                  {
                    label: "Flag",
                    cell: (r) =>
                      r.biased ? (
                        <Badge kind="bad">
                          {(r.trackingSignal ?? 0) > 0 ? "over-forecast" : "under-forecast"}
                        </Badge>
                      ) : (
                        ""
                      ),
                    sort: (r) => (r.biased ? Math.abs(r.trackingSignal ?? 0) : null),
                    key: "flag",
                  },
                ]}
              />
            ) : (
              <p class="muted">
                Choose a family (above, or in the table by family) to list its SKU-locations.
              </p>
            )}
          </Panel>

          <Panel id="periods" title="By month">
            <Table
              label="Accuracy by month"
              tall
              rows={report.periods}
              rowKey={(r) => r.period}
              columns={[
                { label: "Month", header: true, cell: (r) => monthLong(r.period), sort: (r) => r.period },
                { label: "Forecasts", kind: "count", value: (r) => r.rows },
                { label: "Actual units", kind: "units", value: (r) => r.actualUnits },
                { label: "Forecast units", kind: "units", value: (r) => r.forecastUnits },
                { label: "Accuracy", kind: "percent", value: (r) => r.accuracy, key: "accuracy" },
                { label: "Bias", kind: "percent", value: (r) => r.bias, key: "bias" },
                { label: "MAPE", kind: "percent", value: (r) => r.mape },
              ]}
            />
          </Panel>
        </>
      ),
    };
  },
};
