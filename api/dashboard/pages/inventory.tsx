/**
 * `/inventory`: turns and days of inventory (total, by family, the trend), excess and slow
 * movers with their days of supply (#excess), and the ABC/XYZ matrix (#segments).
 */
import { dashboardPath } from "../../domain/links.js";
import { chartFor, ok, query } from "../api.js";
import { Badge, Chart, FilterBar, Panel, ScrollBox, Table, Tile, Tiles } from "../components.js";
import { fmt, month, monthLong } from "../format.js";
import { PageHead } from "../layout.js";
import type { DashboardPage } from "../page.js";
import { SkuLink, scopeFields, scopeQuery, scopeText } from "./shared.js";

const EXCESS_ROWS = 100;
const SEGMENT_ROWS = 50;
const ABC = ["A", "B", "C"] as const;
const XYZ = ["X", "Y", "Z"] as const;

export const inventoryPage: DashboardPage = {
  view: "inventory",
  paths: ["/inventory"],
  async render({ api, filters: f, options }) {
    const scope = scopeQuery(f);
    const [turns, excess, segments, chart, opts] = await Promise.all([
      ok(api.api.kpi.turns.$get({ query: scope })),
      ok(api.api.kpi.excess.$get({ query: query({ ...scope, limit: EXCESS_ROWS }) })),
      // Segments are per SKU over all locations.
      ok(api.api.kpi.segments.$get({ query: query({ family: f.family, sku: f.sku }) })),
      chartFor(api, "inventory-trend", scope),
      options(),
    ]);
    const versus = `vs ${month(turns.previous.to)}`;
    const share = (abc: string, xyz: string) =>
      segments.items.filter((i) => i.abc === abc && i.xyz === xyz).reduce((s, i) => s + i.revenueShare, 0);
    const topItems = segments.items.slice(0, SEGMENT_ROWS);

    return {
      title: "Inventory",
      meta: turns,
      charts: true,
      body: (
        <>
          <PageHead
            title="Inventory"
            subtitle={`${scopeText(f)} · 12 months ${monthLong(turns.from)} – ${monthLong(turns.to)}`}
          />
          <FilterBar action="/inventory" clear="/inventory" fields={scopeFields(f, opts)} />

          <Tiles label="Inventory figures">
            <Tile
              id="inventoryValue"
              label={`Inventory value, end of ${month(turns.to)}`}
              value={turns.inventoryValue}
              previous={turns.previous.inventoryValue}
              kind="money"
              versus={versus}
            />
            <Tile
              id="turns"
              label="Turns (12 months)"
              value={turns.turns}
              previous={turns.previous.turns}
              kind="number"
              better="up"
              versus={versus}
            />
            <Tile
              id="daysOfInventory"
              label="Days of inventory"
              value={turns.daysOfInventory}
              previous={turns.previous.daysOfInventory}
              kind="number"
              better="down"
              versus={versus}
            />
            <Tile id="cogs" label="Cost of goods sold (12 months)" value={turns.cogs} kind="money" />
            <Tile
              id="excessValue"
              label="Excess stock value"
              value={excess.totals.excessValue}
              kind="money"
              href="#excess"
              note={`${fmt(excess.totals.excessUnits, "units")} units over 6 months' demand`}
            />
            <Tile
              id="slowMovingValue"
              label="Slow movers (no sales in 6 months)"
              value={excess.totals.slowMovingValue}
              kind="money"
              href="#excess"
              note={`${fmt(excess.totals.slowMovingCount, "count")} SKU-locations on hand`}
            />
          </Tiles>

          <div class="grid-2">
            <Panel id="trend" title="Inventory value and turns" hideTitle>
              <Chart chart={chart} />
            </Panel>
            <Panel id="families" title="Turns by family">
              <Table
                label="Turns by family"
                rows={turns.byFamily}
                rowKey={(r) => r.family}
                empty="No inventory in this scope."
                columns={[
                  {
                    label: "Family",
                    header: true,
                    cell: (r) => (
                      <a
                        href={dashboardPath({
                          view: "inventory",
                          filters: { family: r.family, location: f.location },
                        })}
                      >
                        {r.family}
                      </a>
                    ),
                  },
                  { label: "COGS", kind: "money", value: (r) => r.cogs },
                  { label: "Avg. inventory", kind: "money", value: (r) => r.avgInventoryValue },
                  { label: "Turns", kind: "number", value: (r) => r.turns, key: "turns" },
                  { label: "Days", kind: "number", value: (r) => r.daysOfInventory, key: "daysOfInventory" },
                ]}
              />
            </Panel>
          </div>

          <Panel
            id="excess"
            title="Excess and slow movers"
            aside={`${fmt(excess.total, "count")} SKU-locations with excess or slow-moving stock`}
          >
            <Table
              label="Excess and slow-moving stock by value"
              tall
              rows={excess.items}
              rowKey={(r) => `${r.sku}@${r.location}`}
              empty="No excess or slow-moving stock in this scope."
              caption={
                excess.total > excess.items.length
                  ? `The ${excess.items.length} largest by excess value, of ${fmt(excess.total, "count")}.`
                  : "Excess: on hand beyond the next 6 months' planned demand, at unit cost. Days of supply: on hand ÷ daily demand of the next 3 months."
              }
              columns={[
                {
                  label: "SKU",
                  header: true,
                  cell: (r) => <SkuLink sku={r.sku} location={r.location} name={r.name} />,
                },
                { label: "Location", cell: (r) => r.location },
                { label: "Family", cell: (r) => r.family },
                { label: "On hand", kind: "units", value: (r) => r.onHand, key: "onHand" },
                { label: "On-hand value", kind: "money", value: (r) => r.onHandValue },
                { label: "Demand, 6 months", kind: "units", value: (r) => r.forwardDemand },
                {
                  label: "Days of supply",
                  kind: "number",
                  value: (r) => r.daysOfSupply,
                  key: "daysOfSupply",
                },
                { label: "Excess units", kind: "units", value: (r) => r.excessUnits, key: "excessUnits" },
                { label: "Excess value", kind: "money", value: (r) => r.excessValue, key: "excessValue" },
                {
                  label: "Slow mover",
                  cell: (r) => (r.slowMoving ? <Badge kind="warn">no sales in 6 months</Badge> : ""),
                  sort: (r) => (r.slowMoving ? 1 : null),
                  key: "slowMoving",
                },
              ]}
            />
          </Panel>

          <div class="grid-2" id="segments">
            <Panel id="matrix" title="ABC / XYZ">
              <p class="note">
                ABC by revenue over 12 months (A: the first 80%, B: to 95%); XYZ by the variability of monthly
                units (X: CV ≤ 0.5, Y: ≤ 1). Each cell: SKUs and their share of revenue.
              </p>
              <ScrollBox label="ABC/XYZ matrix">
                <table class="matrix">
                  <thead>
                    <tr>
                      <td></td>
                      {XYZ.map((x) => (
                        <th scope="col">{x}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {ABC.map((a) => (
                      <tr>
                        <th scope="row">{a}</th>
                        {XYZ.map((x) => (
                          <td data-cell={`${a}${x}`} data-value={String(segments.matrix[`${a}${x}`] ?? 0)}>
                            {fmt(segments.matrix[`${a}${x}`] ?? 0, "count")}
                            <span class="cell-sub">{fmt(share(a, x), "percent")}</span>
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollBox>
            </Panel>
            <Panel id="top" title="Top SKUs by revenue">
              <Table
                label="SKUs by revenue with their segment"
                tall
                rows={topItems}
                rowKey={(r) => r.sku}
                empty="No sales in this scope."
                caption={
                  segments.items.length > topItems.length
                    ? `The ${topItems.length} SKUs with the most revenue, of ${fmt(segments.items.length, "count")}.`
                    : undefined
                }
                columns={[
                  { label: "SKU", header: true, cell: (r) => <SkuLink sku={r.sku} name={r.name} /> },
                  { label: "Revenue", kind: "money", value: (r) => r.revenue, key: "revenue" },
                  { label: "Share", kind: "percent", value: (r) => r.revenueShare },
                  { label: "ABC", cell: (r) => r.abc },
                  { label: "CV", kind: "number", digits: 2, value: (r) => r.cv },
                  { label: "XYZ", cell: (r) => r.xyz },
                ]}
              />
            </Panel>
          </div>
        </>
      ),
    };
  },
};
