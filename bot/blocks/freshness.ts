/**
 * The freshness line every answer ends with: how recent the data is and a link to the same
 * view in the dashboard. Reused by the jobs' messages.
 */
import type { DashboardLink } from "../../api/domain/links.js";
import type { DataMeta } from "../api.js";
import { ago, monthLong, when } from "./format.js";
import { context, type KnownBlock, link } from "./kit.js";
import { dashboard, type Render } from "./render.js";

/** "Data through October 2026 · imported 3 h ago"; "No data imported yet" without history. */
export function freshnessText(r: Render, meta: DataMeta): string {
  if (!meta.lastPeriod && !meta.lastImportedAt) return "No data imported yet";
  const parts: string[] = [];
  if (meta.lastPeriod) parts.push(`Data through ${monthLong(r.formats, meta.lastPeriod)}`);
  else parts.push("No sales history yet");
  if (meta.lastImportedAt) parts.push(`imported ${ago(meta.lastImportedAt, r.now)}`);
  return parts.join(" · ");
}

/** "Live as of Nov 20, 9:00 AM": for answers read straight from the cycle, not the fact base. */
export function liveText(r: Render): string {
  return `Live as of ${when(r.formats, r.now.toISOString())}`;
}

/** The "Open in dashboard" link to a view, as mrkdwn. */
export function dashboardLink(r: Render, view: DashboardLink, label = "Open in dashboard"): string {
  return link(dashboard(r, view), label);
}

/** The closing context line: freshness (or "live") and the dashboard link. */
export function footer(r: Render, meta: DataMeta | "live", view: DashboardLink): KnownBlock {
  const fresh = meta === "live" ? liveText(r) : freshnessText(r, meta);
  return context(`${fresh} · ${dashboardLink(r, view)}`);
}
