/**
 * The sums behind forecast value added by contributor: each person's overrides and each
 * imported sales or marketing input, against the statistical forecast on the same cells.
 */
import type { Db } from "../client.js";

/** Additive sums of one contributor's numbers against the statistical forecast, per target month. */
export interface ContributorCell {
  kind: "person" | "source";
  /** Slack user id, or the forecast source ('sales', 'marketing'). */
  id: string;
  /** 'YYYY-MM-01' */
  period: string;
  rows: number;
  actualUnits: number;
  /** Σ|statistical − A| over the contributor's cells. */
  statisticalAbsError: number;
  /** Σ|contributor − A|. */
  contributorAbsError: number;
  /** Σ(contributor − A). */
  contributorError: number;
  /** Distinct overrides behind the rows (0 for an imported source). */
  overrides: number;
}

/**
 * Per contributor and target month over [from, to] (≤ `last`, P) at one lag: the cells a person
 * overrode (their latest accepted override of each cell in each cycle) and the imported sales
 * and marketing inputs, on the rows DOMAIN's FVA uses (a statistical and a consensus forecast
 * from the same cycle, the naive month in the history); A = 0 where no sale was recorded.
 */
export async function contributorCells(
  db: Db,
  q: { from: string; to: string; last: string; lag: number; scope: { family?: string; location?: string } },
): Promise<ContributorCell[]> {
  const scope = db`
    ${q.scope.family ? db`i.family = ${q.scope.family}` : db`true`}
    and ${q.scope.location ? db`x.location = ${q.scope.location}` : db`true`}`;
  const to = q.to < q.last ? q.to : q.last;
  return db<ContributorCell[]>`
    with mine as (
      select distinct on (o.slack_user_id, o.cycle, c.sku, c.location, o.period)
             'person'::text as kind, o.slack_user_id as id, o.id as override_id, o.cycle, c.sku, c.location,
             o.period, c.units
      from override_cells c join overrides o on o.id = c.override_id
      where o.status = 'accepted' and o.period between ${q.from} and ${to}
        and o.period = (o.cycle + make_interval(months => ${q.lag}))::date
      order by o.slack_user_id, o.cycle, c.sku, c.location, o.period, o.id desc
    ),
    inputs as (
      select 'source'::text as kind, f.source as id, null::bigint as override_id, f.cycle, f.sku, f.location,
             f.period, f.units
      from forecasts f
      where f.source in ('sales', 'marketing') and f.lag = ${q.lag} and f.period between ${q.from} and ${to}
    ),
    x as (select * from mine union all select * from inputs)
    select x.kind, x.id, x.period, count(*)::int as rows,
           sum(coalesce(a.units, 0)) as actual_units,
           sum(abs(st.units - coalesce(a.units, 0))) as statistical_abs_error,
           sum(abs(x.units - coalesce(a.units, 0))) as contributor_abs_error,
           sum(x.units - coalesce(a.units, 0)) as contributor_error,
           count(distinct x.override_id)::int as overrides
    from x
    join items i on i.sku = x.sku
    -- The first month of history (sales has no index by period; the cells are the plan's).
    cross join (select min(period) as period from sales_cells) first
    join forecasts st on st.sku = x.sku and st.location = x.location and st.period = x.period
      and st.cycle = x.cycle and st.source = 'statistical'
    join forecasts cs on cs.sku = x.sku and cs.location = x.location and cs.period = x.period
      and cs.cycle = x.cycle and cs.source = 'consensus'
    left join sales a on a.sku = x.sku and a.location = x.location and a.period = x.period
    where (x.period - make_interval(months => ${q.lag} + 1))::date >= first.period and ${scope}
    group by x.kind, x.id, x.period
    order by x.kind, x.id, x.period`;
}
