/**
 * `/skus/:sku`: one SKU: the item and its segment, accuracy at the chosen lag, risk and the
 * projected balance per location, the history with forecasts by lag and the plan, open supply.
 */
import { localDate } from "../../domain/calendar.js";
import { dashboardPath } from "../../domain/links.js";
import { chartFor, ok, query } from "../api.js";
import { Badge, Chart, FilterBar, Panel, Table, Tile, Tiles } from "../components.js";
import { date, fmt, month } from "../format.js";
import { PageHead } from "../layout.js";
import type { DashboardPage } from "../page.js";
import { OrderBy, RiskBadge } from "./shared.js";

const LAGS = [0, 1, 2, 3];

export const skuPage: DashboardPage = {
  view: "sku",
  paths: ["/skus/:sku"],
  async render({ api, params, filters: f, company, now }) {
    const sku = params.sku ?? "";
    const lag = f.lag ?? 1;
    const horizon = f.horizon ?? 6;
    const [one, acc, chart, co] = await Promise.all([
      ok(
        api.api.skus[":sku"].$get({
          param: { sku },
          query: query({ location: f.location, horizon, months: f.months }),
        }),
      ),
      ok(api.api.kpi.accuracy.$get({ query: query({ sku, location: f.location, lag }) })),
      chartFor(api, "forecast-vs-actual", query({ sku, location: f.location, lag })),
      company(),
    ]);
    const today = localDate(now, co.timezone);
    const item = one.item;
    const locs = one.locations;
    const sum = (pick: (l: (typeof locs)[number]) => number) => locs.reduce((s, l) => s + pick(l), 0);
    const months = locs[0]?.projection.map((p) => p.period) ?? [];
    const locationOptions = [...new Set(locs.map((l) => l.location))];
    const history = [...one.history].reverse();

    return {
      title: `${item.sku} ${item.name}`,
      meta: one,
      charts: true,
      body: (
        <>
          <PageHead
            title={`${item.sku} · ${item.name}`}
            subtitle={
              <>
                Family{" "}
                <a href={dashboardPath({ view: "accuracy", filters: { family: item.family } })}>
                  {item.family}
                </a>
                {one.segment ? (
                  <>
                    {" "}
                    · segment{" "}
                    <Badge kind="info" title="ABC by revenue, XYZ by variability">
                      {one.segment.abc}
                      {one.segment.xyz}
                    </Badge>
                  </>
                ) : null}{" "}
                · unit cost {fmt(item.unitCost, "price")} · price {fmt(item.unitPrice, "price")} · lead time{" "}
                {item.leadTimeDays} days · service level {fmt(item.serviceLevel, "percent")}
                {f.location ? ` · location ${f.location}` : " · all locations"}
              </>
            }
          />
          <FilterBar
            action={dashboardPath({ view: "sku", filters: { sku } })}
            clear={dashboardPath({ view: "sku", filters: { sku } })}
            fields={[
              {
                kind: "select",
                name: "location",
                label: "Location",
                value: f.location,
                options: [
                  ["", "All"],
                  ...(f.location ? [f.location] : locationOptions).map((l) => [l, l] as const),
                ],
              },
              {
                kind: "select",
                name: "lag",
                label: "Lag (months)",
                value: lag,
                options: LAGS.map((l) => [String(l), String(l)] as const),
              },
              {
                kind: "select",
                name: "horizon",
                label: "Horizon",
                value: horizon,
                options: [3, 6, 9, 12].map((h) => [String(h), `${h} months`] as const),
              },
            ]}
          />

          <Tiles label={`${item.sku} figures`}>
            <Tile id="onHand" label="On hand" value={sum((l) => l.onHand)} kind="units" />
            <Tile
              id="accuracy"
              label={`Accuracy, lag ${lag} (12 months)`}
              value={acc.accuracy}
              previous={acc.previous.accuracy}
              kind="percent"
              better="up"
              versus="vs the 12 months before"
              href={dashboardPath({ view: "accuracy", filters: { sku, location: f.location, lag: f.lag } })}
            />
            <Tile id="bias" label="Bias (+ = over-forecast)" value={acc.bias} kind="percent" />
            <Tile id="valueAtRisk" label="Value at risk" value={sum((l) => l.valueAtRisk)} kind="money" />
            <Tile id="excessValue" label="Excess value" value={sum((l) => l.excessValue)} kind="money" />
          </Tiles>

          <div class="grid-2">
            <Panel id="forecast" title="Forecast vs actual" hideTitle>
              <Chart chart={chart} />
            </Panel>
            <Panel id="history" title="History and plan" aside="Units; consensus forecasts by lag">
              <Table
                label="Actuals, forecasts by lag and the plan by month"
                tall
                rows={history}
                rowKey={(h) => h.period}
                columns={[
                  { label: "Month", header: true, cell: (h) => month(h.period), sort: (h) => h.period },
                  { label: "Actual", kind: "units", value: (h) => h.actual, key: "actual" },
                  ...LAGS.map((l) => ({
                    label: `Lag ${l}`,
                    kind: "units" as const,
                    key: `lag-${l}`,
                    value: (h: (typeof history)[number]) => h.forecasts[String(l)] ?? null,
                  })),
                  { label: "Statistical (lag 1)", kind: "units", value: (h) => h.statistical },
                  { label: "Plan", kind: "units", value: (h) => h.plan, key: "plan" },
                ]}
              />
            </Panel>
          </div>

          <Panel id="locations" title="By location">
            <Table
              label="Risk by location"
              rows={locs}
              rowKey={(l) => l.location}
              empty="This SKU has no plan at any location yet."
              columns={[
                {
                  label: "Location",
                  header: true,
                  cell: (l) => (
                    <a
                      href={dashboardPath({
                        view: "sku",
                        filters: { sku, location: l.location, lag: f.lag },
                      })}
                    >
                      {l.location}
                    </a>
                  ),
                },
                { label: "On hand", kind: "units", value: (l) => l.onHand, key: "onHand" },
                {
                  label: "Days of supply",
                  kind: "number",
                  value: (l) => l.daysOfSupply,
                  key: "daysOfSupply",
                },
                { label: "Safety stock", kind: "units", value: (l) => l.safetyStock },
                {
                  label: "P(stock-out)",
                  kind: "percent",
                  value: (l) => l.stockoutProbability,
                  key: "stockoutProbability",
                },
                {
                  label: "Risk",
                  cell: (l) => <RiskBadge risk={l.risk} />,
                  sort: (l) => l.stockoutProbability,
                },
                {
                  label: "Order by",
                  cell: (l) => <OrderBy date={l.orderBy} today={today} />,
                  sort: (l) => l.orderBy,
                },
                {
                  label: "Tracking signal",
                  kind: "number",
                  value: (l) => l.trackingSignal,
                  key: "trackingSignal",
                },
                {
                  label: "Flag",
                  cell: (l) =>
                    l.biased ? (
                      <Badge kind="bad">biased</Badge>
                    ) : l.slowMoving ? (
                      <Badge kind="warn">slow mover</Badge>
                    ) : (
                      ""
                    ),
                },
              ]}
            />
          </Panel>

          <Panel id="projection" title="Projected available balance" aside={`${horizon} months`}>
            <Table
              label="Projected available balance by location and month"
              rows={locs}
              rowKey={(l) => l.location}
              sortable={false}
              caption="Each month: planned demand, supply due, and the balance after them (negative: back-ordered)."
              columns={[
                { label: "Location", header: true, cell: (l) => l.location },
                ...months.map((m, i) => ({
                  label: month(m),
                  key: `balance-${m}`,
                  type: "number" as const,
                  sort: (l: (typeof locs)[number]) => l.projection[i]?.balance ?? null,
                  cell: (l: (typeof locs)[number]) => {
                    const p = l.projection[i];
                    return p ? (
                      <>
                        {fmt(p.balance, "units")}
                        <span class="cell-sub">
                          −{fmt(p.demand, "units")} +{fmt(p.supply, "units")}
                          {l.demandBasis[i] && l.demandBasis[i] !== "consensus"
                            ? ` (${l.demandBasis[i]})`
                            : ""}
                        </span>
                      </>
                    ) : (
                      "—"
                    );
                  },
                  className: (l: (typeof locs)[number]) =>
                    (l.projection[i]?.balance ?? 0) < 0 ? "neg" : undefined,
                })),
              ]}
            />
          </Panel>

          <Panel id="supply" title="Open supply">
            <Table
              label="Open supply"
              tall
              rows={one.openSupply}
              rowKey={(s) => `${s.location}:${s.reference}:${s.due}`}
              empty="No open purchase, production or transfer orders."
              columns={[
                { label: "Due", header: true, cell: (s) => date(s.due), sort: (s) => s.due },
                { label: "Location", cell: (s) => s.location },
                { label: "Units", kind: "units", value: (s) => s.units, key: "units" },
                { label: "Type", cell: (s) => s.type },
                { label: "Reference", cell: (s) => s.reference },
              ]}
            />
          </Panel>
        </>
      ),
    };
  },
};
