/**
 * The six canonical CSV kinds: their columns, the zod schema of a row, the natural key used to
 * find duplicates inside a file, and the staging columns the rows are written to.
 */
import { z } from "zod";
import * as f from "./fields.js";
import { salesRevenue } from "./revenue.js";

export const IMPORT_KINDS = ["items", "sales", "forecasts", "inventory", "supply", "capacity"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const FORECAST_SOURCES = ["statistical", "sales", "marketing", "consensus"] as const;
export const SUPPLY_TYPES = ["purchase", "production", "transfer"] as const;

export interface Column {
  name: string;
  required: boolean;
  description: string;
}

/** A staging column: its name and PostgreSQL type. */
export type StageColumn = readonly [name: string, type: string];

export interface KindSpec<R = Record<string, unknown>> {
  kind: ImportKind;
  /** One line for help texts. */
  summary: string;
  columns: readonly Column[];
  schema: z.ZodType<R>;
  /** Columns that make the natural key (re-import updates); empty for a snapshot kind. */
  keyColumns: readonly string[];
  /** Rows must name a known SKU (`sku`) or family (`family`). */
  references: "sku" | "family" | null;
  stageColumns: readonly StageColumn[];
  /** The staging values of a row, in stageColumns order (after the line number). */
  stageValues(row: R): unknown[];
  /**
   * A first load into the empty fact table (a kind only the import writes) skips staging and
   * merging: rows are copied straight into `table`'s `columns`, with the values the merge would
   * have written. `import_id` follows them.
   */
  load?: {
    table: string;
    columns: readonly string[];
    /** `unitPrice` is the row's item's (for a sales row's missing revenue). */
    values(row: R, unitPrice: number): unknown[];
  };
}

const col = (name: string, required: boolean, description: string): Column => ({
  name,
  required,
  description,
});

const items: KindSpec<{
  sku: string;
  name: string;
  family: string;
  unit_cost: number;
  unit_price: number;
  lead_time_days: number;
  service_level: number;
}> = {
  kind: "items",
  summary: "the item master: one row per SKU",
  columns: [
    col("sku", true, "the item's code, up to 64 characters"),
    col("name", true, "the item's name"),
    col("family", true, "the product family (capacity is planned per family)"),
    col("unit_cost", true, "cost of one unit, ≥ 0 (values inventory and COGS)"),
    col("unit_price", true, "price of one unit, ≥ 0 (values revenue and value at risk)"),
    col("lead_time_days", true, "replenishment lead time in days, a whole number ≥ 0"),
    col("service_level", false, "target service level, 0.5 ≤ x < 1, default 0.95"),
  ],
  schema: z.object({
    sku: f.code("an item code"),
    name: f.text("an item name", 200),
    family: f.code("a family code"),
    unit_cost: f.money,
    unit_price: f.money,
    lead_time_days: f.days,
    service_level: f.serviceLevel,
  }),
  keyColumns: ["sku"],
  references: null,
  stageColumns: [
    ["sku", "text"],
    ["name", "text"],
    ["family", "text"],
    ["unit_cost", "numeric"],
    ["unit_price", "numeric"],
    ["lead_time_days", "integer"],
    ["service_level", "numeric"],
  ],
  stageValues: (r) => [r.sku, r.name, r.family, r.unit_cost, r.unit_price, r.lead_time_days, r.service_level],
};

const sales: KindSpec<{
  sku: string;
  location: string;
  period: string;
  units: number;
  revenue: number | null;
}> = {
  kind: "sales",
  summary: "monthly actual sales per SKU and location",
  columns: [
    col("sku", true, "a known SKU"),
    col("location", false, "location code, default MAIN"),
    col("period", true, "the month, YYYY-MM"),
    col("units", true, "units sold, ≥ 0"),
    col("revenue", false, "revenue, ≥ 0; when empty: units × unit_price"),
  ],
  schema: z.object({
    sku: f.code("a SKU"),
    location: f.location,
    period: f.period,
    units: f.quantity,
    revenue: f.optionalMoney,
  }),
  keyColumns: ["sku", "location", "period"],
  references: "sku",
  stageColumns: [
    ["sku", "text"],
    ["location", "text"],
    ["period", "date"],
    ["units", "double precision"],
    ["revenue", "numeric"],
  ],
  stageValues: (r) => [r.sku, r.location, r.period, r.units, r.revenue],
  load: {
    table: "sales",
    columns: ["sku", "location", "period", "units", "revenue"],
    // The merge's coalesce(revenue, round((units * unit_price)::numeric, 2)).
    values: (r, unitPrice) => [
      r.sku,
      r.location,
      r.period,
      r.units,
      r.revenue ?? salesRevenue(r.units, unitPrice),
    ],
  },
};

const forecasts: KindSpec<{
  sku: string;
  location: string;
  period: string;
  units: number;
  source: (typeof FORECAST_SOURCES)[number];
  cycle: string;
}> = {
  kind: "forecasts",
  summary: "forecasts per SKU, location and month, by source and by the cycle that made them",
  columns: [
    col("sku", true, "a known SKU"),
    col("location", false, "location code, default MAIN"),
    col("period", true, "the month forecast, YYYY-MM"),
    col("units", true, "forecast units, ≥ 0"),
    col("source", true, FORECAST_SOURCES.join(", ")),
    col("cycle", true, "the month the forecast was made, YYYY-MM"),
  ],
  schema: z.object({
    sku: f.code("a SKU"),
    location: f.location,
    period: f.period,
    units: f.quantity,
    source: f.oneOf(FORECAST_SOURCES),
    cycle: f.period,
  }),
  keyColumns: ["sku", "location", "period", "source", "cycle"],
  references: "sku",
  stageColumns: [
    ["sku", "text"],
    ["location", "text"],
    ["period", "date"],
    ["units", "double precision"],
    ["source", "text"],
    ["cycle", "date"],
  ],
  stageValues: (r) => [r.sku, r.location, r.period, r.units, r.source, r.cycle],
};

const inventory: KindSpec<{ sku: string; location: string; as_of: string; on_hand: number }> = {
  kind: "inventory",
  summary: "inventory snapshots: units on hand per SKU and location at a date",
  columns: [
    col("sku", true, "a known SKU"),
    col("location", false, "location code, default MAIN"),
    col("as_of", true, "the date of the snapshot, YYYY-MM-DD"),
    col("on_hand", true, "units on hand, ≥ 0"),
  ],
  schema: z.object({ sku: f.code("a SKU"), location: f.location, as_of: f.date, on_hand: f.quantity }),
  keyColumns: ["sku", "location", "as_of"],
  references: "sku",
  stageColumns: [
    ["sku", "text"],
    ["location", "text"],
    ["as_of", "date"],
    ["on_hand", "double precision"],
  ],
  stageValues: (r) => [r.sku, r.location, r.as_of, r.on_hand],
  load: {
    table: "inventory",
    columns: ["sku", "location", "as_of", "on_hand"],
    values: (r) => [r.sku, r.location, r.as_of, r.on_hand],
  },
};

const supply: KindSpec<{
  sku: string;
  location: string;
  due: string;
  units: number;
  type: (typeof SUPPLY_TYPES)[number];
  reference: string;
}> = {
  kind: "supply",
  summary: "open supply (purchase, production and transfer orders): a snapshot that replaces all open supply",
  columns: [
    col("sku", true, "a known SKU"),
    col("location", false, "location code, default MAIN"),
    col("due", true, "the date the units arrive, YYYY-MM-DD"),
    col("units", true, "units, > 0"),
    col("type", true, SUPPLY_TYPES.join(", ")),
    col("reference", false, "the order's reference, e.g. PO-7781"),
  ],
  schema: z.object({
    sku: f.code("a SKU"),
    location: f.location,
    due: f.date,
    units: f.positiveQuantity,
    type: f.oneOf(SUPPLY_TYPES),
    reference: f.optionalText(100),
  }),
  keyColumns: [],
  references: "sku",
  stageColumns: [
    ["sku", "text"],
    ["location", "text"],
    ["due", "date"],
    ["units", "double precision"],
    ["type", "text"],
    ["reference", "text"],
  ],
  stageValues: (r) => [r.sku, r.location, r.due, r.units, r.type, r.reference],
};

const capacity: KindSpec<{ family: string; period: string; units: number }> = {
  kind: "capacity",
  summary: "monthly capacity per family, in units",
  columns: [
    col("family", true, "a known family (from items.csv)"),
    col("period", true, "the month, YYYY-MM"),
    col("units", true, "units that can be made or bought that month, ≥ 0"),
  ],
  schema: z.object({ family: f.code("a family code"), period: f.period, units: f.quantity }),
  keyColumns: ["family", "period"],
  references: "family",
  stageColumns: [
    ["family", "text"],
    ["period", "date"],
    ["units", "double precision"],
  ],
  stageValues: (r) => [r.family, r.period, r.units],
};

export const KINDS: Record<ImportKind, KindSpec<Record<string, unknown>>> = {
  items,
  sales,
  forecasts,
  inventory,
  supply,
  capacity,
} as unknown as Record<ImportKind, KindSpec<Record<string, unknown>>>;

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}
