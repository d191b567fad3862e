/**
 * What every builder needs besides its data: number formats, the clock (for "3 h ago" and
 * overdue wording) and the public address the "Open in dashboard" links start with.
 */
import { type DashboardLink, dashboardUrl } from "../../api/domain/links.js";
import type { Formats } from "./format.js";
import type { KnownBlock } from "./kit.js";

export interface Render {
  formats: Formats;
  now: Date;
  /** SOP_PUBLIC_URL: the dashboard's base address. */
  publicUrl: string;
}

/** The absolute dashboard address of a view (api/domain/links.ts is the only source of them). */
export function dashboard(r: Render, link: DashboardLink): string {
  return dashboardUrl(r.publicUrl, link);
}

/** A message: the blocks and the plain-text fallback Slack shows in notifications. */
export interface Message {
  text: string;
  blocks: KnownBlock[];
}
