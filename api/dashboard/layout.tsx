/**
 * The page shell: head, header with the navigation, main, footer. The navigation is the list
 * below: a new page (the plan, scenarios) is one entry here and one module in pages/.
 */
import type { Child } from "hono/jsx";
import { type DashboardView, dashboardPath } from "../domain/links.js";
import { assetUrl } from "./assets.js";
import { monthLong, when } from "./format.js";

export interface NavEntry {
  view: DashboardView;
  label: string;
}

/** The navigation, in order. */
export const NAV: NavEntry[] = [
  { view: "overview", label: "Overview" },
  { view: "accuracy", label: "Accuracy" },
  { view: "inventory", label: "Inventory" },
  { view: "risk", label: "Risk & gaps" },
  { view: "plan", label: "Plan" },
  { view: "scenarios", label: "Scenarios" },
  { view: "cycle", label: "Cycle" },
  { view: "imports", label: "Imports" },
];

export interface DataMeta {
  lastPeriod: string | null;
  lastImportedAt: string | null;
}

export interface LayoutProps {
  title: string;
  /** The navigation entry to mark current; none on the sign-in and error pages. */
  current?: DashboardView | undefined;
  company?: { name: string; timezone: string } | undefined;
  meta?: DataMeta | undefined;
  /** Show "Sign out" (a session exists). */
  signedIn?: boolean;
  /** Load Chart.js (the page has charts). */
  charts?: boolean;
  /** Hide the navigation (sign-in, refused). */
  bare?: boolean;
  /** Reload the page after this many seconds (while the demo company loads). */
  refresh?: number | undefined;
  children?: Child;
}

export function Layout(props: LayoutProps) {
  const tz = props.company?.timezone ?? "UTC";
  const fresh = props.meta?.lastPeriod
    ? `Data through ${monthLong(props.meta.lastPeriod)}${
        props.meta.lastImportedAt ? ` · imported ${when(props.meta.lastImportedAt, tz)}` : ""
      }`
    : undefined;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        {props.refresh ? <meta http-equiv="refresh" content={String(props.refresh)} /> : null}
        <title>{`${props.title} · sop${props.company ? ` · ${props.company.name}` : ""}`}</title>
        <link rel="icon" href={assetUrl("icon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={assetUrl("dashboard.css")} />
        {props.charts ? <script src={assetUrl("chart.js")} defer></script> : null}
        <script src={assetUrl("dashboard.js")} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <div class="top-inner">
            <a class="brand" href="/">
              <img src={assetUrl("icon.svg")} alt="" width="24" height="24" />
              <span>sop</span>
              {props.company ? <span class="company">{props.company.name}</span> : null}
            </a>
            {props.bare ? null : (
              <nav class="nav" aria-label="Dashboard">
                {NAV.map((n) => (
                  <a
                    href={dashboardPath({ view: n.view })}
                    aria-current={n.view === props.current ? "page" : undefined}
                  >
                    {n.label}
                  </a>
                ))}
              </nav>
            )}
            <div class="session">
              {fresh ? <span class="fresh">{fresh}</span> : null}
              {props.signedIn ? (
                <form method="post" action="/signout">
                  <button type="submit" class="link-button">
                    Sign out
                  </button>
                </form>
              ) : null}
            </div>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        {fresh ? <footer class="foot">{fresh}</footer> : null}
        <div id="live" class="visually-hidden" aria-live="polite"></div>
      </body>
    </html>
  );
}

/** The heading of a page, with a line under it (scope, window). */
export function PageHead(props: { title: string; subtitle?: Child; aside?: Child }) {
  return (
    <div class="page-head">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle ? <p class="subtitle">{props.subtitle}</p> : null}
      </div>
      {props.aside ?? null}
    </div>
  );
}
