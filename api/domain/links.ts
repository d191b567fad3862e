/**
 * The dashboard's addresses: the one contract between the pages that serve them and every
 * "Open in dashboard" link (Slack answers, digests, the console). Pure: the base URL is a
 * parameter (`SOP_PUBLIC_URL`).
 *
 * Filters live in the query string with the same names as the API's (`family`, `sku`,
 * `location`, `lag`, `months`, `from`, `to`, `horizon`, `risk`, `source`); a section of a page
 * is the fragment (`/risk#gaps`, `/inventory#excess`).
 */

export type DashboardView =
  | "overview"
  | "accuracy"
  | "inventory"
  | "risk"
  | "cycle"
  | "sku"
  | "imports"
  | "plan"
  | "scenarios";

export interface DashboardFilters {
  family?: string | undefined;
  sku?: string | undefined;
  location?: string | undefined;
  /** Forecast lag in months. */
  lag?: number | undefined;
  /** Window length in months (accuracy). */
  months?: number | undefined;
  /** First and last period of a window, `YYYY-MM`. */
  from?: string | undefined;
  to?: string | undefined;
  /** Projection horizon in months. */
  horizon?: number | undefined;
  risk?: "high" | "medium" | "low" | undefined;
  source?: string | undefined;
  /** A cycle month (`YYYY-MM`) for the cycle and plan views. */
  month?: string | undefined;
  /** A saved scenario's id: the scenarios view opens it (`/scenarios/12`). */
  scenario?: number | undefined;
}

export interface DashboardLink {
  view: DashboardView;
  filters?: DashboardFilters;
  /** A section of the page, without `#` ("gaps", "excess", "fva"). */
  section?: string;
}

const PATHS: Record<Exclude<DashboardView, "sku" | "cycle">, string> = {
  overview: "/",
  accuracy: "/accuracy",
  inventory: "/inventory",
  risk: "/risk",
  imports: "/imports",
  plan: "/plan",
  scenarios: "/scenarios",
};

/** Query parameters in a fixed order, so the same view always has the same address. */
const ORDER: (keyof DashboardFilters)[] = [
  "family",
  "sku",
  "location",
  "lag",
  "months",
  "from",
  "to",
  "horizon",
  "risk",
  "source",
];

/** The path and query of a view: `/risk?family=BOTTLES&horizon=6#gaps`. */
export function dashboardPath(link: DashboardLink): string {
  const f = link.filters ?? {};
  let path: string;
  if (link.view === "sku") {
    if (!f.sku) throw new Error("the sku view needs filters.sku");
    path = `/skus/${encodeURIComponent(f.sku)}`;
  } else if (link.view === "cycle") {
    path = f.month ? `/cycle/${f.month}` : "/cycle";
  } else if (link.view === "scenarios" && f.scenario !== undefined) {
    path = `/scenarios/${f.scenario}`;
  } else {
    path = PATHS[link.view];
  }
  const query = new URLSearchParams();
  for (const key of ORDER) {
    if (link.view === "sku" && key === "sku") continue;
    const value = f[key];
    if (value !== undefined && value !== "") query.set(key, String(value));
  }
  const qs = query.toString();
  return `${path}${qs ? `?${qs}` : ""}${link.section ? `#${link.section}` : ""}`;
}

/** The absolute address of a view under `baseUrl` (no trailing slash needed). */
export function dashboardUrl(baseUrl: string, link: DashboardLink): string {
  return `${baseUrl.replace(/\/+$/, "")}${dashboardPath(link)}`;
}
