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
  /** The form token every form that writes must carry (field `_token`). */
  formToken: string;
  /** A form that was posted and refused: what was typed and what is wrong, to show again. */
  form?: FormState | undefined;
}

/** A posted form shown again: its values, a problem per field, and a message for the whole form. */
export interface FormState {
  /** Which form (several on one page). */
  name: string;
  values: Record<string, string>;
  /** Field name → what is wrong with it. */
  errors: Record<string, string>;
  /** A problem that is no one field's (e.g. "the plan is locked"). */
  message?: string | undefined;
}

/** What a form post leads to: another address (it worked), or its page again with the problems. */
export type ActionResult =
  | { redirect: string }
  | {
      status: 400 | 403 | 404 | 409 | 422;
      form: FormState;
      /** The address to render again (path and query of the page the form was on). */
      url: string;
      /** That page's path parameters. */
      params?: Record<string, string>;
    };

export interface ActionContext {
  api: ApiClient;
  /** The posted fields (strings only; files are not accepted). */
  fields: Record<string, string>;
  /** The route's path parameters (`:id`). */
  params: Record<string, string>;
  now: Date;
}

/** A form post a page handles (POST, same origin, form token and access checked first). */
export interface PageAction {
  /** Hono route path, e.g. "/plan/overrides". */
  path: string;
  handle(ctx: ActionContext): Promise<ActionResult>;
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
  /** The form posts the page takes (writes through the API). */
  actions?: PageAction[];
}
