/**
 * Inventory turns over the trailing 12 months, per family, and its monthly trend: two queries
 * (COGS per month and family; month-end inventory value per month and family).
 */
import type { Db } from "../../db/client.js";
import { type InventoryCell, inventoryCells, type SalesCell, salesCells } from "../../db/repositories/kpi.js";
import type { Scope } from "../../db/repositories/plan.js";
import { addMonths, type Period, periodRange, toPeriod, trailingPeriods } from "../domain/periods.js";
import { inventoryTurns, type Turns } from "../domain/turns.js";

export interface TurnsReport extends Turns {
  from: Period;
  to: Period;
  /** Month-end inventory value of the last month of the window, money; null without a snapshot. */
  inventoryValue: number | null;
  byFamily: ({ family: string; inventoryValue: number | null } & Turns)[];
  /** Per month of the window: month-end inventory value and the trailing-12-month turns then. */
  trend: { period: Period; inventoryValue: number | null; cogs: number; turns: number | null }[];
  /** The same figures for the window ending a month earlier. */
  previous: { to: Period; inventoryValue: number | null } & Turns;
}

interface Cells {
  sales: SalesCell[];
  inventory: InventoryCell[];
}

function turnsAt(cells: Cells, to: Period, family?: string): Turns & { inventoryValue: number | null } {
  const window = trailingPeriods(to, 12);
  const first = window[0]!;
  let cogs = 0;
  for (const c of cells.sales) {
    const p = toPeriod(c.period);
    if (p >= first && p <= to && (family === undefined || c.family === family)) cogs += c.cogs;
  }
  const values = new Map<Period, number>();
  for (const c of cells.inventory) {
    const p = toPeriod(c.period);
    if (p < first || p > to || (family !== undefined && c.family !== family)) continue;
    values.set(p, (values.get(p) ?? 0) + c.value);
  }
  return {
    ...inventoryTurns(
      cogs,
      window.map((p) => values.get(p) ?? null),
    ),
    inventoryValue: values.get(to) ?? null,
  };
}

export async function turnsReport(db: Db, q: { to: Period; scope: Scope }): Promise<TurnsReport> {
  // Twelve months of trend, each needing its own trailing twelve months: 23 months of data.
  const from = addMonths(q.to, -22);
  const [sales, inventory] = await Promise.all([
    salesCells(db, { from: `${from}-01`, to: `${q.to}-01`, scope: q.scope }),
    inventoryCells(db, { from: `${from}-01`, to: `${q.to}-01`, scope: q.scope }),
  ]);
  const cells = { sales, inventory };
  const families = [...new Set([...sales.map((c) => c.family), ...inventory.map((c) => c.family)])].sort();
  const current = turnsAt(cells, q.to);
  const previousTo = addMonths(q.to, -1);
  return {
    from: addMonths(q.to, -11),
    to: q.to,
    ...current,
    byFamily: families.map((family) => ({ family, ...turnsAt(cells, q.to, family) })),
    trend: periodRange(addMonths(q.to, -11), q.to).map((period) => {
      const t = turnsAt(cells, period);
      const monthCogs = sales.filter((c) => toPeriod(c.period) === period).reduce((s, c) => s + c.cogs, 0);
      return { period, inventoryValue: t.inventoryValue, cogs: monthCogs, turns: t.turns };
    }),
    previous: { to: previousTo, ...turnsAt(cells, previousTo) },
  };
}
