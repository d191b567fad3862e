/**
 * The one palette, font and size table shared by the dashboard (Chart.js in the browser) and the
 * PNG renderer (chartjs-node-canvas for Slack). Everything here is plain data so that a chart
 * config stays JSON.
 */

/** Where a chart is shown. Slack images are shrunk into the message column, so they get larger type. */
export type ChartTarget = "slack" | "dashboard";

export interface ChartSize {
  /** Logical (CSS) pixels. */
  width: number;
  /** Logical (CSS) pixels. */
  height: number;
  /** Device pixels per logical pixel used when rendering to PNG. */
  devicePixelRatio: number;
}

/**
 * Logical sizes. PNGs are `width × devicePixelRatio` device pixels wide: 1600×800 for Slack,
 * which Slack shows crisp on high-density screens.
 */
export const CHART_SIZES: Readonly<Record<ChartTarget, Readonly<ChartSize>>> = {
  slack: { width: 800, height: 400, devicePixelRatio: 2 },
  dashboard: { width: 720, height: 360, devicePixelRatio: 2 },
};

/**
 * Okabe–Ito: eight colours that stay distinguishable under the common colour-vision
 * deficiencies. Named by hue so the roles below read clearly.
 */
export const PALETTE = {
  blue: "#0072B2",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  green: "#009E73",
  yellow: "#F0E442",
  vermillion: "#D55E00",
  purple: "#CC79A7",
  black: "#000000",
} as const;

/** Colours for series that have no meaning of their own, in the order they are handed out. */
export const SERIES_COLORS = [
  PALETTE.blue,
  PALETTE.orange,
  PALETTE.green,
  PALETTE.purple,
  PALETTE.skyBlue,
  PALETTE.vermillion,
] as const;

/** Colours with a meaning, used the same way by every chart. */
export const ROLE_COLORS = {
  actual: PALETTE.blue,
  forecast: PALETTE.orange,
  plan: PALETTE.purple,
  inventory: PALETTE.skyBlue,
  turns: PALETTE.blue,
  demand: PALETTE.blue,
  capacity: "#3A3A3A",
  /** Shortfalls, value at risk, overdue: the one "bad" colour. */
  risk: PALETTE.vermillion,
  signed: PALETTE.green,
  open: PALETTE.skyBlue,
  overdue: PALETTE.vermillion,
  today: "#3A3A3A",
} as const;

export const TEXT_COLOR = "#1F2328";
export const MUTED_TEXT_COLOR = "#57606A";
export const GRID_COLOR = "#E4E7EB";
export const AXIS_COLOR = "#8C959F";
export const BACKGROUND_COLOR = "#FFFFFF";

/**
 * System fonts first for the browser; on a Linux server canvas (Pango + fontconfig) lands on
 * Arial's metric twin Liberation Sans, else DejaVu Sans. No `-apple-system`: canvas rejects a
 * font string containing it and silently keeps drawing in 10px sans-serif.
 */
export const FONT_FAMILY =
  'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif';

export interface TypeScale {
  /** Ticks, legend, tooltips (px). */
  base: number;
  /** Axis titles and subtitle (px). */
  small: number;
  /** Chart title (px). */
  title: number;
}

export const TYPE_SCALE: Readonly<Record<ChartTarget, Readonly<TypeScale>>> = {
  slack: { base: 14, small: 13, title: 18 },
  dashboard: { base: 12, small: 12, title: 15 },
};

/** `#RRGGBB` + opacity → `rgba(...)`, for fills that must let grid lines through. */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #RRGGBB colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => Number.parseInt(h ?? "0", 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export function font(target: ChartTarget, size: keyof TypeScale, weight: "normal" | "bold" = "normal") {
  return { family: FONT_FAMILY, size: TYPE_SCALE[target][size], weight };
}

/**
 * Options every chart starts from: title, legend, tooltip, fonts and colours. Responsive in the
 * browser with the target's aspect ratio; the PNG renderer turns responsiveness off and sizes the
 * canvas itself.
 */
export function baseOptions(
  target: ChartTarget,
  text: { title: string; subtitle?: string | undefined; locale: string },
) {
  const size = CHART_SIZES[target];
  return {
    responsive: true,
    maintainAspectRatio: true,
    aspectRatio: size.width / size.height,
    locale: text.locale,
    color: TEXT_COLOR,
    font: font(target, "base"),
    layout: { padding: { top: 4, right: 12, bottom: 4, left: 4 } },
    plugins: {
      title: {
        display: true,
        text: text.title,
        align: "start" as const,
        color: TEXT_COLOR,
        font: font(target, "title", "bold"),
        padding: { top: 4, bottom: text.subtitle ? 2 : 10 },
      },
      subtitle: {
        display: text.subtitle !== undefined,
        text: text.subtitle ?? "",
        align: "start" as const,
        color: MUTED_TEXT_COLOR,
        font: font(target, "small"),
        padding: { bottom: 10 },
      },
      legend: {
        display: true,
        position: "top" as const,
        align: "end" as const,
        labels: {
          color: TEXT_COLOR,
          font: font(target, "base"),
          boxWidth: TYPE_SCALE[target].base,
          boxHeight: TYPE_SCALE[target].base,
          padding: 12,
        },
      },
      tooltip: {
        titleFont: font(target, "base", "bold"),
        bodyFont: font(target, "base"),
        footerFont: font(target, "small"),
      },
    },
  };
}

/** Axis styling shared by every scale. */
export function axisStyle(target: ChartTarget, title?: string) {
  return {
    grid: { color: GRID_COLOR },
    border: { color: AXIS_COLOR },
    ticks: { color: TEXT_COLOR, font: font(target, "base") },
    title: {
      display: title !== undefined,
      text: title ?? "",
      color: MUTED_TEXT_COLOR,
      font: font(target, "small"),
    },
  };
}
