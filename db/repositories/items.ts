/** The item master. */
import type { Db } from "../client.js";

export interface Item {
  sku: string;
  name: string;
  family: string;
  /** Money per unit. */
  unitCost: number;
  /** Money per unit. */
  unitPrice: number;
  leadTimeDays: number;
  /** Fraction, 0.5 ≤ x < 1. */
  serviceLevel: number;
}

export async function listItems(
  db: Db,
  options: { family?: string | undefined; search?: string | undefined; limit: number; offset: number },
): Promise<{ items: Item[]; total: number }> {
  const where = db`
    where ${options.family ? db`family = ${options.family}` : db`true`}
      and ${options.search ? db`(sku ilike ${`%${options.search}%`} or name ilike ${`%${options.search}%`})` : db`true`}`;
  const [items, [count]] = await Promise.all([
    db<Item[]>`
      select sku, name, family, unit_cost, unit_price, lead_time_days, service_level
      from items ${where} order by sku limit ${options.limit} offset ${options.offset}`,
    db<{ total: number }[]>`select count(*) as total from items ${where}`,
  ]);
  return { items, total: count?.total ?? 0 };
}

export async function getItem(db: Db, sku: string): Promise<Item | undefined> {
  const [item] = await db<Item[]>`
    select sku, name, family, unit_cost, unit_price, lead_time_days, service_level from items where sku = ${sku}`;
  return item;
}

export async function listFamilies(db: Db): Promise<{ code: string; items: number }[]> {
  return db<{ code: string; items: number }[]>`
    select f.code, count(i.sku) as items from families f left join items i on i.family = f.code
    group by f.code order by f.code`;
}

/** Locations that hold at least one SKU's plan (sales, inventory or forecasts), by code. */
export async function listActiveLocations(db: Db): Promise<{ code: string; name: string }[]> {
  return db<{ code: string; name: string }[]>`
    select l.code, l.name from locations l
    where exists (select 1 from plan_lines p where p.location = l.code)
    order by l.code`;
}
