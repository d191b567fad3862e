/**
 * The derived tables the KPI answers aggregate (migration 0003): rebuilt from the fact base
 * with the plan, in the refresh transaction. Each is additive, so any window, family or
 * location is a sum over a few thousand rows.
 */
import type { Db } from "../client.js";

/** Rebuilds accuracy, FVA, sales, inventory and family-demand cells for P = `last`. */
export async function rebuildKpiCells(tx: Db, last: string | null): Promise<void> {
  await tx`delete from accuracy_cells`;
  await tx`delete from fva_cells`;
  await tx`delete from accuracy_lines`;
  await tx`delete from sales_cells`;
  await tx`delete from inventory_cells`;
  await tx`delete from family_demand`;
  if (last === null) return;

  await tx`
    insert into accuracy_cells (family, location, period, source, lag, rows, actual_units, forecast_units,
                                abs_error_units, ape_sum, ape_rows)
    select i.family, f.location, f.period, f.source, f.lag, count(*),
           sum(coalesce(s.units, 0)), sum(f.units), sum(abs(f.units - coalesce(s.units, 0))),
           coalesce(sum(abs(f.units - s.units) / s.units) filter (where s.units > 0), 0),
           count(*) filter (where s.units > 0)
    from forecasts f
    join items i on i.sku = f.sku
    left join sales s on s.sku = f.sku and s.location = f.location and s.period = f.period
    where f.period <= ${last} and f.lag >= 0
    group by i.family, f.location, f.period, f.source, f.lag`;

  // A naive month must lie in the sales history (no earlier than its first month).
  await tx`
    insert into fva_cells (family, location, period, lag, rows, actual_units, naive_abs_error,
                           statistical_abs_error, consensus_abs_error)
    select i.family, c.location, c.period, c.lag, count(*),
           sum(coalesce(a.units, 0)),
           sum(abs(coalesce(n.units, 0) - coalesce(a.units, 0))),
           sum(abs(st.units - coalesce(a.units, 0))),
           sum(abs(c.units - coalesce(a.units, 0)))
    from forecasts c
    cross join (select min(period) as period from sales) first
    join items i on i.sku = c.sku
    join forecasts st on st.sku = c.sku and st.location = c.location and st.period = c.period
      and st.cycle = c.cycle and st.source = 'statistical'
    left join sales a on a.sku = c.sku and a.location = c.location and a.period = c.period
    left join sales n on n.sku = c.sku and n.location = c.location
      and n.period = (c.period - make_interval(months => c.lag + 1))::date
    where c.source = 'consensus' and c.lag >= 0 and c.period <= ${last}
      and (c.period - make_interval(months => c.lag + 1))::date >= first.period
    group by i.family, c.location, c.period, c.lag`;

  await tx`
    insert into accuracy_lines (sku, location, family, source, rows, actual_units, forecast_units,
                                abs_error_units, ape_sum, ape_rows)
    select f.sku, f.location, i.family, f.source, count(*),
           sum(coalesce(s.units, 0)), sum(f.units), sum(abs(f.units - coalesce(s.units, 0))),
           coalesce(sum(abs(f.units - s.units) / s.units) filter (where s.units > 0), 0),
           count(*) filter (where s.units > 0)
    from forecasts f
    join items i on i.sku = f.sku
    left join sales s on s.sku = f.sku and s.location = f.location and s.period = f.period
    where f.lag = 1 and f.period between (${last}::date - interval '11 months')::date and ${last}
    group by f.sku, f.location, i.family, f.source`;

  await tx`
    insert into sales_cells (family, location, period, units, cogs, revenue)
    select i.family, s.location, s.period, sum(s.units), sum(s.units * i.unit_cost), sum(s.revenue)
    from sales s join items i on i.sku = s.sku
    group by i.family, s.location, s.period`;

  await tx`
    insert into inventory_cells (family, location, period, units, value)
    select i.family, l.location, l.period, sum(l.on_hand), sum(l.on_hand * i.unit_cost)
    from (
      select distinct on (sku, location, date_trunc('month', as_of))
             sku, location, date_trunc('month', as_of)::date as period, on_hand
      from inventory
      order by sku, location, date_trunc('month', as_of), as_of desc
    ) l
    join items i on i.sku = l.sku
    group by i.family, l.location, l.period`;

  // The plan's full months by calendar month: element k of a line's demand is its start + k.
  await tx`
    insert into family_demand (family, period, units)
    select i.family, m.period, sum(pl.demand[
             ((extract(year from m.period) - extract(year from pl.start_period)) * 12
              + extract(month from m.period) - extract(month from pl.start_period))::int + 1])
    from plan_lines pl
    join items i on i.sku = pl.sku
    cross join lateral (
      select (${last}::date + make_interval(months => k))::date as period from generate_series(1, 12) k
    ) m
    where m.period >= pl.start_period
    group by i.family, m.period`;
}

export interface LineRisk {
  sku: string;
  location: string;
  stockoutProbability: number;
  risk: string;
  firstStockout: string | null;
  orderBy: string | null;
  shortageUnits: number;
  valueAtRisk: number;
  daysOfSupply: number | null;
  safetyStock: number;
  forwardDemand: number;
  excessUnits: number;
  excessValue: number;
  slowMoving: boolean;
  trackingSignal: number;
}

/** Stores the default-horizon risk figures computed for each plan line. */
export async function saveLineRisk(tx: Db, rows: readonly LineRisk[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const c = rows.slice(i, i + 5000);
    const col = <K extends keyof LineRisk>(k: K) => c.map((r) => r[k]) as unknown as string[];
    await tx`
      update plan_lines pl set
        stockout_probability = u.p, risk = u.risk, first_stockout = u.fs, order_by = u.ob,
        shortage_units = u.su, value_at_risk = u.var, days_of_supply = u.dos, safety_stock = u.ss,
        forward_demand = u.fd, excess_units = u.eu, excess_value = u.ev, slow_moving = u.slow,
        tracking_signal = u.ts
      from unnest(${col("sku")}::text[], ${col("location")}::text[], ${col("stockoutProbability")}::float8[],
                  ${col("risk")}::text[], ${col("firstStockout")}::date[], ${col("orderBy")}::date[],
                  ${col("shortageUnits")}::float8[], ${col("valueAtRisk")}::float8[], ${col("daysOfSupply")}::float8[],
                  ${col("safetyStock")}::float8[], ${col("forwardDemand")}::float8[], ${col("excessUnits")}::float8[],
                  ${col("excessValue")}::float8[], ${c.map((r) => (r.slowMoving ? "t" : "f"))}::text[]::boolean[], ${col("trackingSignal")}::float8[])
        as u(sku, location, p, risk, fs, ob, su, var, dos, ss, fd, eu, ev, slow, ts)
      where pl.sku = u.sku and pl.location = u.location`;
  }
}
