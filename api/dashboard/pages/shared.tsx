/** Pieces several pages share: links to a SKU, risk badges, the scope line, the filter choices. */
import { dashboardPath } from "../../domain/links.js";
import type { ScopeOptions } from "../../services/scope-options.js";
import { allOr, Badge, type SelectField, type TextField } from "../components.js";
import type { Filters } from "../filters.js";
import { date } from "../format.js";

export function SkuLink(props: { sku: string; location?: string | undefined; name?: string | undefined }) {
  return (
    <>
      <a href={dashboardPath({ view: "sku", filters: { sku: props.sku, location: props.location } })}>
        {props.sku}
      </a>
      {props.name ? <span class="cell-sub">{props.name}</span> : null}
    </>
  );
}

/** An order-by date, flagged "late" when it is before today (the company's date). */
export function OrderBy(props: { date: string | null; today: string }) {
  if (props.date === null) return <>—</>;
  return (
    <span class="nowrap">
      {date(props.date)} {props.date < props.today ? <Badge kind="late">late</Badge> : null}
    </span>
  );
}

export function RiskBadge(props: { risk: "high" | "medium" | "low" }) {
  return <Badge kind={props.risk}>{props.risk}</Badge>;
}

/** "BOTTLES · EAST" or "All items": what the figures on the page cover. */
export function scopeText(f: Pick<Filters, "sku" | "family" | "location">): string {
  const what = f.sku ? `SKU ${f.sku}` : f.family ? `Family ${f.family}` : "All items";
  return f.location ? `${what} · location ${f.location}` : `${what} · all locations`;
}

/** The family, location and SKU filter fields. */
export function scopeFields(
  f: Filters,
  options: ScopeOptions,
  include = { sku: true },
): (SelectField | TextField)[] {
  const fields: (SelectField | TextField)[] = [
    { kind: "select", name: "family", label: "Family", value: f.family, options: allOr(options.families) },
    {
      kind: "select",
      name: "location",
      label: "Location",
      value: f.location,
      options: allOr(options.locations),
    },
  ];
  if (include.sku) {
    fields.push({ kind: "text", name: "sku", label: "SKU", value: f.sku, placeholder: "any SKU" });
  }
  return fields;
}

/** The family, SKU and location of the filters, as strings for an API query. */
export function scopeQuery(f: Filters): { family?: string; sku?: string; location?: string } {
  return {
    ...(f.family ? { family: f.family } : {}),
    ...(f.sku ? { sku: f.sku } : {}),
    ...(f.location ? { location: f.location } : {}),
  };
}
