/**
 * The dashboard's building blocks: KPI tiles, charts, sortable tables, filter bars, badges,
 * panels. Pure functions of their props (server-rendered with hono/jsx).
 */
import { raw } from "hono/html";
import type { Child, PropsWithChildren } from "hono/jsx";
import type { ChartAnswer } from "./api.js";
import { type Better, fmt, fmtChange, judge, type Kind } from "./format.js";

// ------------------------------------------------------------------ panels and banners

export function Panel(
  props: PropsWithChildren<{ id?: string; title: string; aside?: Child; hideTitle?: boolean }>,
) {
  const headingId = `${props.id ?? slug(props.title)}-title`;
  return (
    <section class="panel" id={props.id} aria-labelledby={headingId}>
      <div class="panel-head">
        <h2 id={headingId} class={props.hideTitle ? "visually-hidden" : undefined}>
          {props.title}
        </h2>
        {props.aside ? <p class="subtitle">{props.aside}</p> : null}
      </div>
      {props.children}
    </section>
  );
}

export function Banner(props: PropsWithChildren<{ kind?: "info" | "warn" | "error"; title?: string }>) {
  const kind = props.kind ?? "info";
  return (
    <div class={`banner ${kind === "info" ? "" : kind}`} role={kind === "error" ? "alert" : "status"}>
      {props.title ? (
        <p>
          <strong>{props.title}</strong>
        </p>
      ) : null}
      {props.children}
    </div>
  );
}

export function Badge(props: { kind: string; children: Child; title?: string }) {
  return (
    <span class={`badge ${props.kind}`} title={props.title}>
      {props.children}
    </span>
  );
}

// ------------------------------------------------------------------ KPI tiles

export interface TileProps {
  /** A stable name for the figure (data-kpi), e.g. "accuracy". */
  id: string;
  label: string;
  value: number | null;
  kind: Kind;
  /** The same figure for the comparison period, to show the change. */
  previous?: number | null;
  change?: number | null;
  /** What the change is against: "vs last month". */
  versus?: string;
  better?: Better;
  /** Where the figure leads (a page with its detail). */
  href?: string;
  /** A line under the value instead of the change. */
  note?: Child;
}

export function Tile(props: TileProps) {
  const text = fmt(props.value, props.kind);
  const hasChange = props.previous !== undefined || props.change !== undefined;
  const change =
    props.change ??
    (props.value !== null && props.previous !== null && props.previous !== undefined
      ? props.value - props.previous
      : null);
  const verdict = judge(props.value, props.previous ?? null, props.better ?? "none");
  const arrow =
    change === null || fmtChange(change, props.kind) === "no change" ? "" : change > 0 ? "▲ " : "▼ ";
  return (
    <li class="tile" data-kpi={props.id} data-value={props.value === null ? "" : String(props.value)}>
      <p class="label">{props.label}</p>
      {props.href ? (
        <a class="value" href={props.href}>
          {text}
        </a>
      ) : (
        <p class="value">{text}</p>
      )}
      {hasChange && change === null ? (
        <p class="change" data-change="">
          no earlier figure to compare
        </p>
      ) : hasChange ? (
        <p class="change" data-change={change === null ? "" : String(change)}>
          <span class={verdict === "neutral" ? "" : verdict}>
            {arrow}
            {fmtChange(change, props.kind)}
          </span>{" "}
          {props.versus ?? "vs last month"}
          {verdict !== "neutral" ? (
            <span class="visually-hidden"> ({verdict === "good" ? "better" : "worse"})</span>
          ) : null}
        </p>
      ) : props.note ? (
        <p class="change">{props.note}</p>
      ) : null}
    </li>
  );
}

export function Tiles(props: PropsWithChildren<{ label: string }>) {
  return (
    <ul class="tiles" aria-label={props.label}>
      {props.children}
    </ul>
  );
}

// ------------------------------------------------------------------ charts

/** JSON safe inside <script>: no "</script>", no HTML comment openers. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The chart's own title, for screen readers (the canvas is an image to them). */
function chartLabel(config: unknown, fallback: string): string {
  const text = (config as { options?: { plugins?: { title?: { text?: unknown } } } })?.options?.plugins?.title
    ?.text;
  return typeof text === "string" ? text : Array.isArray(text) ? text.join(" ") : fallback;
}

/** A chart drawn in the browser from the API's config; the reason instead when there is none. */
export function Chart(props: { chart: ChartAnswer | { name: string; error: string }; caption?: Child }) {
  const chart = props.chart;
  if ("error" in chart) {
    return (
      <figure class="chart" data-chart-missing={chart.name}>
        <p class="muted">{chart.error}</p>
      </figure>
    );
  }
  const label = chartLabel(chart.config, chart.title);
  return (
    <figure class="chart" data-chart={chart.name}>
      <canvas role="img" aria-label={label}>
        {label}
      </canvas>
      <script type="application/json">{raw(scriptJson(chart.config))}</script>
      {props.caption ? <figcaption>{props.caption}</figcaption> : null}
      <noscript>
        <p class="muted">Charts need JavaScript; the tables on this page hold the same numbers.</p>
      </noscript>
    </figure>
  );
}

// ------------------------------------------------------------------ tables

export interface Column<R> {
  label: Child;
  /**
   * A number column: `value` formatted by `kind` (units, money, percent…), right-aligned and
   * sorted by the raw value, largest first. Otherwise give `cell`.
   */
  kind?: Kind;
  value?: (row: R) => number | null | undefined;
  /** Decimals of a "number" kind (default 1). */
  digits?: number;
  /** The cell's content (default: the formatted `value`). */
  cell?: (row: R) => Child;
  /** Right-aligned and sorted numerically (implied by `kind`). */
  type?: "text" | "number";
  /** The sort key; null sorts last. Default: the raw `value`, else the cell's text. */
  sort?: (row: R) => number | string | null;
  /** The row's header cell (<th scope="row">). */
  header?: boolean;
  /** Extra class of a cell (e.g. "neg" for a shortfall). */
  className?: (row: R) => string | undefined;
  /** A name for the column (data-col), so tests and styles can find it. */
  key?: string;
}

/** A horizontally scrollable box for a wide table: a named region keyboard users can scroll. */
export function ScrollBox(props: PropsWithChildren<{ label: string; tall?: boolean | undefined }>) {
  return (
    <section class={props.tall ? "table-wrap tall" : "table-wrap"} aria-label={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}

export interface TableProps<R> {
  caption?: Child;
  /** Accessible name when there is no caption. */
  label: string;
  columns: Column<R>[];
  rows: readonly R[];
  /** A stable key per row (data-key). */
  rowKey?: (row: R) => string;
  sortable?: boolean;
  empty?: Child;
  foot?: Child;
  className?: string;
  id?: string;
  /** Many rows: scroll inside a box of limited height, headers sticky. */
  tall?: boolean;
}

export function Table<R>(props: TableProps<R>) {
  const sortable = props.sortable ?? true;
  if (props.rows.length === 0) {
    return <p class="muted">{props.empty ?? "Nothing to show."}</p>;
  }
  return (
    <ScrollBox label={props.label} tall={props.tall && props.rows.length > 15}>
      <table
        class={[sortable ? "sortable" : "", props.className ?? ""].join(" ").trim() || undefined}
        id={props.id}
      >
        {props.caption ? <caption>{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.columns.map((col) => (
              <th
                scope="col"
                class={isNumber(col) ? "num" : undefined}
                data-type={isNumber(col) ? "number" : "text"}
                data-col={col.key}
              >
                {sortable ? (
                  <button type="button" class="sort">
                    {col.label}
                  </button>
                ) : (
                  col.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr data-key={props.rowKey?.(row)}>
              {props.columns.map((col) => {
                const value = col.value?.(row);
                const key = col.sort ? col.sort(row) : col.value ? (value ?? null) : undefined;
                const content = col.cell
                  ? col.cell(row)
                  : col.kind
                    ? fmt(value ?? null, col.kind, col.digits)
                    : "";
                const attrs = {
                  class:
                    [isNumber(col) ? "num" : "", col.className?.(row) ?? ""].join(" ").trim() || undefined,
                  "data-sort": key === undefined ? undefined : key === null ? "" : String(key),
                  "data-col": col.key,
                };
                return col.header ? (
                  <th scope="row" {...attrs}>
                    {content}
                  </th>
                ) : (
                  <td {...attrs}>{content}</td>
                );
              })}
            </tr>
          ))}
        </tbody>
        {props.foot ? <tfoot>{props.foot}</tfoot> : null}
      </table>
    </ScrollBox>
  );
}

const isNumber = <R,>(col: Column<R>) => col.type === "number" || col.kind !== undefined;

// ------------------------------------------------------------------ filters

export interface SelectField {
  kind: "select";
  name: string;
  label: string;
  value: string | number | undefined;
  /** [value, label]; "" is "All". */
  options: (readonly [string, string])[];
}

export interface TextField {
  kind: "text";
  name: string;
  label: string;
  value: string | undefined;
  placeholder?: string;
  pattern?: string;
}

/**
 * A filter form: a plain GET form, so the filters are the address (shareable, and what a Slack
 * link opens). The browser script applies a mouse choice at once and drops empty fields.
 */
export function FilterBar(props: { action: string; fields: (SelectField | TextField)[]; clear?: string }) {
  return (
    <form class="filters" method="get" action={props.action} aria-label="Filters">
      {props.fields.map((f) =>
        f.kind === "select" ? (
          <label>
            {f.label}
            <select name={f.name}>
              {f.options.map(([value, text]) => (
                <option value={value} selected={String(f.value ?? "") === value}>
                  {text}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            {f.label}
            <input
              type="text"
              name={f.name}
              value={f.value ?? ""}
              placeholder={f.placeholder}
              pattern={f.pattern}
              autocomplete="off"
              spellcheck={false}
            />
          </label>
        ),
      )}
      <div class="actions">
        <button type="submit" class="button">
          Apply
        </button>
        {props.clear ? (
          <a class="button secondary" href={props.clear}>
            Clear
          </a>
        ) : null}
      </div>
    </form>
  );
}

/** Options for a list of codes, with "All" first. */
export function allOr(values: readonly string[], all = "All"): (readonly [string, string])[] {
  return [["", all], ...values.map((v) => [v, v] as const)];
}

// ------------------------------------------------------------------ forms that write

/** The hidden form token every form that writes carries (see access.ts). */
export function FormToken(props: { token: string }) {
  return <input type="hidden" name="_token" value={props.token} />;
}

export interface FieldProps {
  /** The form the field belongs to (ids are `${form}-${name}`). */
  form: string;
  name: string;
  label: string;
  /** The value to show: what was posted, else this default. */
  value?: string | number | undefined;
  /** What is wrong with the posted value, shown next to the field. */
  error?: string | undefined;
  /** A line under the field saying what to enter. */
  hint?: Child;
  type?: "text" | "number" | "month" | "textarea" | "select";
  /** [value, label] for a select. */
  options?: (readonly [string, string])[];
  required?: boolean;
  placeholder?: string;
  min?: string;
  max?: string;
  step?: string;
  pattern?: string;
  inputmode?: "numeric" | "decimal" | "text";
  maxlength?: number;
}

/**
 * A labelled form control with its hint and its error next to it: the error is announced with
 * the field (aria-describedby) and the field is marked invalid.
 */
export function Field(p: FieldProps) {
  const id = `${p.form}-${p.name}`;
  const described = [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : ""].join(" ").trim() || undefined;
  const common = {
    id,
    name: p.name,
    required: p.required,
    "aria-invalid": p.error ? "true" : undefined,
    "aria-describedby": described,
  };
  const value = p.value === undefined ? "" : String(p.value);
  const control =
    p.type === "select" ? (
      <select {...common}>
        {(p.options ?? []).map(([v, text]) => (
          <option value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    ) : p.type === "textarea" ? (
      <textarea {...common} rows={3} maxlength={p.maxlength} placeholder={p.placeholder}>
        {value}
      </textarea>
    ) : (
      <input
        {...common}
        type={p.type ?? "text"}
        value={value}
        placeholder={p.placeholder}
        min={p.min}
        max={p.max}
        step={p.step}
        pattern={p.pattern}
        inputmode={p.inputmode}
        maxlength={p.maxlength}
        autocomplete="off"
        spellcheck={false}
      />
    );
  return (
    <div class={p.error ? "field invalid" : "field"} data-field={p.name}>
      <label for={id}>{p.label}</label>
      {control}
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.error ? (
        <p class="field-error" id={`${id}-error`}>
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

// ------------------------------------------------------------------ helpers

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
