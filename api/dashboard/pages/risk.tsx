/**
 * `/risk`: stock-out risk per SKU-location with order-by dates, the projected available balance
 * month by month, and the gaps (#gaps): shortages by value at risk and capacity gaps by family
 * and month.
 */
import { localDate } from "../../domain/calendar.js";
import { dashboardPath } from "../../domain/links.js";
import { addMonths, nextPeriods } from "../../domain/periods.js";
import { chartFor, ok, query } from "../api.js";
import { Chart, FilterBar, Panel, Table, Tile, Tiles } from "../components.js";
import { fmt, month } from "../format.js";
import { PageHead } from "../layout.js";
import type { DashboardPage } from "../page.js";
import { OrderBy, RiskBadge, SkuLink, scopeFields, scopeQuery, scopeText } from "./shared.js";

const RISK_ROWS = 100;
const PROJECTION_ROWS = 25;
const GAP_ROWS = 100;

export const riskPage: DashboardPage = {
  view: "risk",
  paths: ["/risk"],
  async render({ api, filters: f, options, company, now }) {
    const horizon = f.horizon ?? 6;
    const scope = scopeQuery(f);
    const [risk, gaps, varChart, capChart, opts, co] = await Promise.all([
      ok(api.api.kpi.risk.$get({ query: query({ ...scope, horizon, risk: f.risk, limit: RISK_ROWS }) })),
      ok(api.api.kpi.gaps.$get({ query: query({ ...scope, horizon, limit: GAP_ROWS }) })),
      chartFor(api, "value-at-risk", query({ ...scope, horizon })),
      chartFor(api, "capacity-vs-demand", query({ family: f.family, horizon })),
      options(),
      company(),
    ]);
    const today = localDate(now, co.timezone);
    const P = risk.lastPeriod;
    const months = P ? nextPeriods(addMonths(P, 1), horizon) : [];
    const projected = risk.items.slice(0, PROJECTION_ROWS);
    const families = [...new Set(gaps.capacity.map((g) => g.family))].sort();
    const gapAt = (family: string, period: string) =>
      gaps.capacity.find((g) => g.family === family && g.period === period);
    const riskLabel =
      f.risk === "high" ? "high risk" : f.risk === "medium" ? "medium or high risk" : "any risk";

    const orderBy = (d: string | null) => <OrderBy date={d} today={today} />;

    return {
      title: "Risk & gaps",
      meta: risk,
      charts: true,
      body: (
        <>
          <PageHead title="Stock-out risk and gaps" subtitle={`${scopeText(f)} · ${horizon}-month horizon`} />
          <FilterBar
            action="/risk"
            clear="/risk"
            fields={[
              ...scopeFields(f, opts),
              {
                kind: "select",
                name: "horizon",
                label: "Horizon",
                value: horizon,
                options: [3, 6, 9, 12].map((h) => [String(h), `${h} months`] as const),
              },
              {
                kind: "select",
                name: "risk",
                label: "Risk at least",
                value: f.risk,
                options: [
                  ["", "any"],
                  ["medium", "medium"],
                  ["high", "high"],
                ],
              },
            ]}
          />

          <Tiles label="Risk and gaps">
            <Tile
              id="high"
              label="High risk (stock-out within lead time ≥ 50%)"
              value={risk.counts.high}
              kind="count"
              href={dashboardPath({ view: "risk", filters: { ...f, risk: "high" } })}
            />
            <Tile id="medium" label="Medium risk (≥ 20%)" value={risk.counts.medium} kind="count" />
            <Tile
              id="valueAtRisk"
              label="Value at risk"
              value={gaps.totals.valueAtRisk}
              kind="money"
              href="#gaps"
            />
            <Tile
              id="shortageUnits"
              label="Units short"
              value={gaps.totals.shortageUnits}
              kind="units"
              href="#gaps"
            />
            <Tile
              id="capacityGapUnits"
              label="Capacity gap (units)"
              value={gaps.totals.capacityGapUnits}
              kind="units"
              href="#capacity"
            />
          </Tiles>

          <Panel
            id="risks"
            title="Stock-out risk by SKU-location"
            aside={`${fmt(risk.total, "count")} with ${riskLabel}${risk.total > risk.items.length ? `; the ${risk.items.length} most likely shown` : ""}`}
          >
            <Table
              label="SKU-locations by stock-out risk"
              tall
              rows={risk.items}
              rowKey={(r) => `${r.sku}@${r.location}`}
              empty="No SKU-location matches."
              caption="P(stock-out): the chance of running out within the lead time, which ordering now cannot fix. Order by: the last day to order so the supply arrives before the first stock-out."
              columns={[
                {
                  label: "SKU",
                  header: true,
                  cell: (r) => <SkuLink sku={r.sku} location={r.location} name={r.name} />,
                },
                { label: "Location", cell: (r) => r.location },
                { label: "On hand", kind: "units", value: (r) => r.onHand, key: "onHand" },
                { label: "Safety stock", kind: "units", value: (r) => r.safetyStock },
                {
                  label: "Days of supply",
                  kind: "number",
                  value: (r) => r.daysOfSupply,
                  key: "daysOfSupply",
                },
                {
                  label: "P(stock-out)",
                  kind: "percent",
                  value: (r) => r.stockoutProbability,
                  key: "stockoutProbability",
                },
                {
                  label: "Risk",
                  cell: (r) => <RiskBadge risk={r.risk} />,
                  sort: (r) => r.stockoutProbability,
                },
                {
                  label: "First stock-out",
                  cell: (r) => (r.firstStockoutPeriod ? month(r.firstStockoutPeriod) : "—"),
                  sort: (r) => r.firstStockoutPeriod,
                },
                {
                  label: "Order by",
                  cell: (r) => orderBy(r.orderBy),
                  sort: (r) => r.orderBy,
                  key: "orderBy",
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
          </Panel>

          <Panel
            id="projection"
            title="Projected available balance"
            aside={projected.length < risk.items.length ? `The ${projected.length} most at risk` : undefined}
          >
            <Table
              label="Projected available balance by month"
              tall
              rows={projected}
              rowKey={(r) => `${r.sku}@${r.location}`}
              empty="No SKU-location matches."
              caption="On hand + open supply − planned demand, month by month; shortages carry over (negative)."
              columns={[
                { label: "SKU", header: true, cell: (r) => <SkuLink sku={r.sku} location={r.location} /> },
                { label: "Location", cell: (r) => r.location },
                { label: "On hand", kind: "units", value: (r) => r.onHand },
                ...months.map((m, i) => ({
                  label: month(m),
                  kind: "units" as const,
                  key: `balance-${m}`,
                  value: (r: (typeof projected)[number]) => r.projection[i]?.balance,
                  className: (r: (typeof projected)[number]) =>
                    (r.projection[i]?.balance ?? 0) < 0 ? "neg" : undefined,
                })),
              ]}
            />
          </Panel>

          <section id="gaps" class="panel" aria-labelledby="gaps-title">
            <div class="panel-head">
              <h2 id="gaps-title">Gaps</h2>
              <p class="subtitle">
                {fmt(gaps.shortageCount, "count")} SKU-locations run short within {horizon} months:{" "}
                {fmt(gaps.totals.valueAtRisk, "money")} at risk
              </p>
            </div>
            <div class="grid-2">
              <div>
                <Chart chart={varChart} />
              </div>
              <div>
                <Chart chart={capChart} />
              </div>
            </div>
            <h3>Shortages by value at risk</h3>
            <Table
              label="Shortages by value at risk"
              tall
              rows={gaps.shortages}
              rowKey={(r) => `${r.sku}@${r.location}`}
              empty="No SKU-location runs short within the horizon."
              caption={
                gaps.shortageCount > gaps.shortages.length
                  ? `The ${gaps.shortages.length} largest of ${fmt(gaps.shortageCount, "count")}.`
                  : undefined
              }
              columns={[
                {
                  label: "SKU",
                  header: true,
                  cell: (r) => <SkuLink sku={r.sku} location={r.location} name={r.name} />,
                },
                { label: "Location", cell: (r) => r.location },
                { label: "Family", cell: (r) => r.family },
                {
                  label: "First stock-out",
                  cell: (r) => (r.firstStockoutPeriod ? month(r.firstStockoutPeriod) : "—"),
                  sort: (r) => r.firstStockoutPeriod,
                },
                {
                  label: "Order by",
                  cell: (r) => orderBy(r.orderBy),
                  sort: (r) => r.orderBy,
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
            <h3 id="capacity">Capacity gaps by family and month</h3>
            {families.length === 0 ? (
              <p class="muted">Planned demand fits the capacity in every family and month of the horizon.</p>
            ) : (
              <Table
                label="Capacity gaps by family and month, in units"
                rows={families}
                rowKey={(fam) => fam}
                caption="Units of planned demand above the family's capacity; blank: it fits (or no capacity is recorded)."
                columns={[
                  {
                    label: "Family",
                    header: true,
                    cell: (fam) => (
                      <a
                        href={dashboardPath({
                          view: "risk",
                          filters: { family: fam, horizon: f.horizon },
                          section: "gaps",
                        })}
                      >
                        {fam}
                      </a>
                    ),
                  },
                  ...months.map((m) => ({
                    label: month(m),
                    kind: "units" as const,
                    key: `gap-${m}`,
                    value: (fam: string) => gapAt(fam, m)?.gap ?? null,
                    cell: (fam: string) => {
                      const g = gapAt(fam, m);
                      return g ? (
                        <span
                          title={`demand ${fmt(g.demand, "units")}, capacity ${fmt(g.capacity, "units")}`}
                        >
                          {fmt(g.gap, "units")}
                        </span>
                      ) : (
                        ""
                      );
                    },
                    className: (fam: string) => (gapAt(fam, m) ? "neg" : undefined),
                  })),
                  {
                    label: "Total",
                    kind: "units",
                    key: "gap-total",
                    value: (fam) =>
                      gaps.capacity.filter((g) => g.family === fam).reduce((s, g) => s + g.gap, 0),
                  },
                ]}
              />
            )}
          </section>
        </>
      ),
    };
  },
};
