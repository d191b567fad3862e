/** `/`: the headline figures with their change against last month, the two trend charts, the top gaps and risks, and where the cycle stands. */
import { localDate } from "../../domain/calendar.js";
import { dashboardPath } from "../../domain/links.js";
import { chartFor, ok } from "../api.js";
import { Badge, Chart, Panel, Table, Tile, Tiles } from "../components.js";
import { day, month, monthLong } from "../format.js";
import { PageHead } from "../layout.js";
import type { DashboardPage } from "../page.js";
import { OrderBy, SkuLink } from "./shared.js";

export const overviewPage: DashboardPage = {
  view: "overview",
  paths: ["/"],
  async render({ api, company, now }) {
    const [summary, fva, trend, gaps, risk, co] = await Promise.all([
      ok(api.api.kpi.summary.$get()),
      chartFor(api, "forecast-vs-actual", {}),
      chartFor(api, "inventory-trend", {}),
      ok(api.api.kpi.gaps.$get({ query: { limit: "5" } })),
      ok(api.api.kpi.risk.$get({ query: { risk: "high", limit: "5" } })),
      company(),
    ]);
    const today = localDate(now, co.timezone);
    const f = summary.figures;
    const cycle = summary.cycle;
    const capacity = [...gaps.capacity].sort((a, b) => b.gap - a.gap).slice(0, 5);
    const P = summary.lastPeriod;

    return {
      title: "Overview",
      meta: summary,
      charts: true,
      body: (
        <>
          <PageHead
            title="Overview"
            subtitle={P ? `All items, all locations · the month closed last: ${monthLong(P)}` : "All items"}
          />
          <Tiles label="Forecast and inventory">
            <Tile
              id="accuracy"
              label="Forecast accuracy (lag 1, 12 months)"
              value={f.accuracy.value}
              previous={f.accuracy.previous}
              change={f.accuracy.change}
              kind="percent"
              better="up"
              href={dashboardPath({ view: "accuracy" })}
            />
            <Tile
              id="bias"
              label="Bias (+ = over-forecast)"
              value={f.bias.value}
              previous={f.bias.previous}
              change={f.bias.change}
              kind="percent"
              better="zero"
              href={dashboardPath({ view: "accuracy", section: "fva" })}
            />
            <Tile
              id="inventoryValue"
              label="Inventory value"
              value={f.inventoryValue.value}
              previous={f.inventoryValue.previous}
              change={f.inventoryValue.change}
              kind="money"
              href={dashboardPath({ view: "inventory" })}
            />
            <Tile
              id="turns"
              label="Inventory turns (12 months)"
              value={f.turns.value}
              previous={f.turns.previous}
              change={f.turns.change}
              kind="number"
              better="up"
              href={dashboardPath({ view: "inventory" })}
            />
            <Tile
              id="daysOfInventory"
              label="Days of inventory"
              value={f.daysOfInventory.value}
              previous={f.daysOfInventory.previous}
              change={f.daysOfInventory.change}
              kind="number"
              better="down"
            />
          </Tiles>
          <Tiles label="Risks and gaps">
            <Tile
              id="highRiskCount"
              label="SKU-locations at high stock-out risk"
              value={f.highRiskCount.value}
              previous={f.highRiskCount.previous}
              change={f.highRiskCount.change}
              kind="count"
              better="down"
              href={dashboardPath({ view: "risk", filters: { risk: "high" } })}
            />
            <Tile
              id="valueAtRisk"
              label="Value at risk (6 months)"
              value={f.valueAtRisk.value}
              previous={f.valueAtRisk.previous}
              change={f.valueAtRisk.change}
              kind="money"
              better="down"
              href={dashboardPath({ view: "risk", section: "gaps" })}
            />
            <Tile
              id="shortageUnits"
              label="Units short"
              value={f.shortageUnits.value}
              previous={f.shortageUnits.previous}
              change={f.shortageUnits.change}
              kind="units"
              better="down"
            />
            <Tile
              id="capacityGapUnits"
              label="Capacity gap (units)"
              value={f.capacityGapUnits.value}
              previous={f.capacityGapUnits.previous}
              change={f.capacityGapUnits.change}
              kind="units"
              better="down"
              href={dashboardPath({ view: "risk", section: "gaps" })}
            />
            <Tile
              id="excessValue"
              label="Excess stock value"
              value={f.excessValue.value}
              previous={f.excessValue.previous}
              change={f.excessValue.change}
              kind="money"
              better="down"
              href={dashboardPath({ view: "inventory", section: "excess" })}
            />
          </Tiles>

          <div class="grid-2">
            <Panel id="forecast" title="Forecast vs actual" hideTitle>
              <Chart chart={fva} />
            </Panel>
            <Panel id="inventory" title="Inventory value and turns" hideTitle>
              <Chart chart={trend} />
            </Panel>
          </div>

          <div class="grid-2">
            <Panel
              id="gaps"
              title="Top gaps"
              aside={<a href={dashboardPath({ view: "risk", section: "gaps" })}>All gaps</a>}
            >
              <h3>Shortages by value at risk</h3>
              <Table
                label="Shortages by value at risk"
                rows={gaps.shortages}
                rowKey={(r) => `${r.sku}@${r.location}`}
                empty="No SKU-location runs short within the horizon."
                columns={[
                  {
                    label: "SKU",
                    header: true,
                    cell: (r) => <SkuLink sku={r.sku} location={r.location} name={r.name} />,
                  },
                  { label: "Location", cell: (r) => r.location },
                  {
                    label: "Stock-out",
                    cell: (r) => (r.firstStockoutPeriod ? month(r.firstStockoutPeriod) : "—"),
                    sort: (r) => r.firstStockoutPeriod,
                  },
                  {
                    label: "Short (units)",
                    kind: "units",
                    value: (r) => r.shortageUnits,
                    key: "shortageUnits",
                  },
                  { label: "Value at risk", kind: "money", value: (r) => r.valueAtRisk, key: "valueAtRisk" },
                ]}
              />
              <h3>Capacity gaps</h3>
              <Table
                label="Largest capacity gaps"
                rows={capacity}
                rowKey={(r) => `${r.family}@${r.period}`}
                empty="Planned demand fits the capacity in every family and month."
                columns={[
                  {
                    label: "Family",
                    header: true,
                    cell: (r) => (
                      <a
                        href={dashboardPath({ view: "risk", filters: { family: r.family }, section: "gaps" })}
                      >
                        {r.family}
                      </a>
                    ),
                  },
                  { label: "Month", cell: (r) => month(r.period), sort: (r) => r.period },
                  { label: "Demand", kind: "units", value: (r) => r.demand },
                  { label: "Capacity", kind: "units", value: (r) => r.capacity },
                  { label: "Gap", kind: "units", value: (r) => r.gap, key: "gap" },
                ]}
              />
            </Panel>
            <div>
              <Panel
                id="risks"
                title="Top stock-out risks"
                aside={
                  <a href={dashboardPath({ view: "risk", filters: { risk: "high" } })}>All high risks</a>
                }
              >
                <Table
                  label="SKU-locations at high stock-out risk"
                  rows={risk.items}
                  rowKey={(r) => `${r.sku}@${r.location}`}
                  empty="No SKU-location is at high risk of a stock-out within its lead time."
                  columns={[
                    {
                      label: "SKU",
                      header: true,
                      // The location rides under the SKU: half a laptop screen has room for four columns.
                      cell: (r) => (
                        <SkuLink sku={r.sku} location={r.location} name={`${r.location} · ${r.name}`} />
                      ),
                    },
                    {
                      label: "P(stock-out)",
                      kind: "percent",
                      value: (r) => r.stockoutProbability,
                      key: "stockoutProbability",
                    },
                    { label: "Days of supply", kind: "number", value: (r) => r.daysOfSupply },
                    {
                      label: "Order by",
                      key: "orderBy",
                      cell: (r) => <OrderBy date={r.orderBy} today={today} />,
                      sort: (r) => r.orderBy,
                    },
                  ]}
                />
                <p class="note">
                  {risk.total} SKU-location{risk.total === 1 ? "" : "s"} at high risk ({risk.counts.medium}{" "}
                  medium).
                </p>
              </Panel>
              <Panel
                id="cycle"
                title="S&OP cycle"
                aside={<a href={dashboardPath({ view: "cycle" })}>Calendar and sign-offs</a>}
              >
                {cycle ? (
                  <dl class="facts" data-cycle={cycle.month}>
                    <dt>Cycle</dt>
                    <dd>
                      <a href={dashboardPath({ view: "cycle", filters: { month: cycle.month } })}>
                        {monthLong(cycle.month)}
                      </a>{" "}
                      <Badge kind={cycle.status}>{cycle.status}</Badge>
                    </dd>
                    <dt>Steps signed</dt>
                    <dd data-kpi="signed">
                      {cycle.signed} of {cycle.total}
                    </dd>
                    <dt>Overdue</dt>
                    <dd data-kpi="overdue">
                      {cycle.overdue > 0 ? <Badge kind="overdue">{cycle.overdue} overdue</Badge> : "none"}
                    </dd>
                    <dt>Next</dt>
                    <dd>
                      {cycle.nextStep
                        ? `${cycle.nextStep.name}, due ${day(cycle.nextStep.dueDate)}${cycle.nextStep.overdue ? " (overdue)" : ""}`
                        : "every step is signed"}
                    </dd>
                    <dt>Plan</dt>
                    <dd>{cycle.planLocked ? "locked by the executive approval" : "open for changes"}</dd>
                  </dl>
                ) : (
                  <p class="muted">No cycle is open.</p>
                )}
              </Panel>
            </div>
          </div>
        </>
      ),
    };
  },
};
