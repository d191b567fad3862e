/** Sales against the plan a month started with, per SKU (all locations). */
import type { Db } from "../client.js";

export interface SkuVarianceRow {
  sku: string;
  name: string;
  family: string;
  /** ABC class (C when the SKU has no segment yet). */
  abc: "A" | "B" | "C";
  /** Units sold on SKU-locations that had a plan for the month. */
  actualUnits: number;
  planUnits: number;
  /** Units sold on SKU-locations without any plan for the month. */
  unplannedUnits: number;
}

/**
 * Per SKU for `month` ('YYYY-MM-01'): the plan is, per SKU-location, the consensus forecast from
 * the latest cycle before the month (the smallest lag ≥ 1), else the statistical one; actuals
 * are the recorded sales (0 when none). One hash aggregate over the month's forecasts, as in
 * plan.ts: max(array[−lag, units]) carries the latest cycle's units along.
 */
export async function skuVariance(db: Db, month: string): Promise<SkuVarianceRow[]> {
  return db<SkuVarianceRow[]>`
    with planned as (
      select sku, location,
             coalesce((max(array[-lag, units]) filter (where source = 'consensus'))[2],
                      (max(array[-lag, units]) filter (where source = 'statistical'))[2]) as units
      from forecasts
      where period = ${month} and lag >= 1 and source in ('consensus', 'statistical')
      group by sku, location
    ),
    lines as (
      select coalesce(p.sku, s.sku) as sku, p.units as plan, coalesce(s.units, 0) as actual
      from planned p full join (select sku, location, units from sales where period = ${month}) s
        on s.sku = p.sku and s.location = p.location
    )
    select l.sku, i.name, i.family, coalesce(g.abc, 'C') as abc,
           coalesce(sum(l.actual) filter (where l.plan is not null), 0)::float8 as actual_units,
           coalesce(sum(l.plan), 0)::float8 as plan_units,
           coalesce(sum(l.actual) filter (where l.plan is null), 0)::float8 as unplanned_units
    from lines l join items i on i.sku = l.sku left join sku_segments g on g.sku = l.sku
    group by l.sku, i.name, i.family, g.abc
    order by l.sku`;
}

/** Whether any sales are recorded for `month` ('YYYY-MM-01'). */
export async function hasSales(db: Db, month: string): Promise<boolean> {
  const [row] = await db<
    { ok: boolean }[]
  >`select exists (select 1 from sales where period = ${month}) as ok`;
  return row?.ok ?? false;
}
