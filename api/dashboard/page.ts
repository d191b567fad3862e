/** What a dashboard page is: a view of links.ts, its route paths, and a render from the API's answers. */
import type { Child } from "hono/jsx";
import type { ApiClient } from "../client.js";
import type { DashboardView } from "../domain/links.js";
import type { ScopeOptions } from "../services/scope-options.js";
import type { Filters } from "./filters.js";
import type { DataMeta } from "./layout.js";

export interface Company {
  name: string;
  timezone: string;
}

/** The part of the settings pages use. */
export interface CompanySettings {
  company: Company;
  holidays: { date: string; name: string }[];
}

export interface PageContext {
  /** The API, in process, as this page's reader may see it. */
  api: ApiClient;
  /** The address's filters, validated. */
  filters: Filters;
  /** The route's path parameters (`:sku`, `:month`). */
  params: Record<string, string>;
  url: URL;
  /** The app's clock. */
  now: Date;
  /** The company's name and time zone (from the settings). */
  company: () => Promise<Company>;
  /** The settings: company, holidays. */
  settings: () => Promise<CompanySettings>;
  /** Families and locations to choose from. */
  options: () => Promise<ScopeOptions>;
}

export interface PageResult {
  /** The <title> and, usually, the <h1>. */
  title: string;
  body: Child;
  /** How fresh the data is (any KPI answer carries it). */
  meta?: DataMeta;
  /** The page draws charts: load Chart.js. */
  charts?: boolean;
}

export interface DashboardPage {
  view: DashboardView;
  /** Hono route paths, e.g. ["/cycle", "/cycle/:month"]. */
  paths: string[];
  render(ctx: PageContext): Promise<PageResult>;
}
