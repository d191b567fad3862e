import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CapacityVsDemandInput } from "../../../api/charts/capacity-vs-demand.js";
import type { ForecastVsActualInput } from "../../../api/charts/forecast-vs-actual.js";
import {
  buildChart,
  type ChartName,
  ChartRenderError,
  type ChartRenderer,
  ChartRendererBusyError,
  ChartRenderingUnavailableError,
  ChartRenderTimeoutError,
  chartNames,
  charts,
  closeChartRenderer,
  createChartRenderer,
  pngAvailable,
  renderChartPng,
} from "../../../api/charts/index.js";
import type { ValueAtRiskInput } from "../../../api/charts/value-at-risk.js";
import { canvasLoads, pixelStats, pngSize, savePng } from "./helpers.js";

const canRender = canvasLoads();

// CI installs canvas's libraries, so there the real path must run: a skip would hide a broken
// install. Elsewhere (a laptop without cairo) the rendering tests are skipped, not failed.
it("renders in CI (canvas loads)", () => {
  if (process.env.CI) expect(canRender).toBe(true);
});

/** Inputs at the scale of a real company, to look at in test-results/charts/. */
const larger: { name: string; chart: ChartName; input: unknown }[] = [
  {
    name: "value-at-risk-many-families",
    chart: "value-at-risk",
    input: {
      families: [
        ["DRINKWARE", 48_200],
        ["BOTTLES", 31_950],
        ["ACCESSORIES", 22_400],
        ["CAMPING STOVES", 18_300],
        ["GLOVES", 12_000],
        ["HEADLAMPS", 9_870],
        ["RAIN JACKETS", 7_400],
        ["BACKPACKS", 5_100],
        ["SOCKS", 2_250],
        ["TENTS", 1_900],
        ["MAPS", 400],
        ["STICKERS", 35],
        ["BOOKS", 0],
      ].map(([family, valueAtRisk]) => ({ family: String(family), valueAtRisk: Number(valueAtRisk) })),
      asOf: "2026-01-31",
    } satisfies ValueAtRiskInput,
  },
  {
    name: "capacity-vs-demand-three-families",
    chart: "capacity-vs-demand",
    input: {
      families: [
        { family: "BOTTLES", demand: [2100, 2200, 2400, 2700, 3000, 3300], capacity: 2500 },
        { family: "DRINKWARE", demand: [1800, 1750, 1900, 2050, 2100, 1900], capacity: 2000 },
        { family: "CAPS", demand: [400, 450, 500, 380, 360, 520], capacity: null },
      ].map((f) => ({
        family: f.family,
        months: f.demand.map((demand, i) => ({ period: `2026-0${i + 2}`, demand, capacity: f.capacity })),
      })),
    } satisfies CapacityVsDemandInput,
  },
  {
    name: "forecast-vs-actual-large-numbers",
    chart: "forecast-vs-actual",
    input: {
      scope: "DRINKWARE",
      accuracy: 0.913,
      history: Array.from({ length: 12 }, (_, i) => ({
        period: `2025-${String(i + 1).padStart(2, "0")}`,
        actual: i === 7 ? null : 12_000 + 1_500 * Math.sin(i / 2),
        forecast: 12_300 + 1_200 * Math.sin((i - 1) / 2),
      })),
      plan: Array.from({ length: 6 }, (_, i) => ({ period: `2026-0${i + 1}`, units: 13_000 + 300 * i })),
    } satisfies ForecastVsActualInput,
  },
];

describe.skipIf(!canRender)("PNG rendering on the worker pool", () => {
  let renderer: ChartRenderer;
  beforeAll(() => {
    renderer = createChartRenderer({ workers: 2 });
  });
  afterAll(() => renderer.close());

  it("is available", async () => {
    expect(await renderer.available()).toBe(true);
  });

  it.each(chartNames)("renders %s for Slack at twice 800×400, not blank", async (name) => {
    const png = await renderer.render(buildChart(name, charts[name].example, { target: "slack" }), {
      size: "slack",
    });
    savePng(name, png);
    expect(pngSize(png)).toEqual({ width: 1600, height: 800 });
    const stats = await pixelStats(png);
    // Title, axes, bars and lines: a few percent of the pixels at least, in several colours.
    expect(stats.inked / stats.pixels).toBeGreaterThan(0.02);
    expect(stats.colours).toBeGreaterThanOrEqual(8);
  });

  it.each(chartNames)("renders %s for the dashboard at twice 720×360", async (name) => {
    const config = buildChart(name, charts[name].example, { target: "dashboard" });
    const png = await renderer.render(config, { size: "dashboard" });
    savePng(`${name}-dashboard`, png);
    expect(pngSize(png)).toEqual({ width: 1440, height: 720 });
  });

  it.each(larger)("renders $name", async ({ name, chart, input }) => {
    const png = await renderer.render(buildChart(chart, input));
    savePng(name, png);
    const stats = await pixelStats(png);
    expect(stats.inked / stats.pixels).toBeGreaterThan(0.02);
  });

  it("renders an explicit size at its device pixel ratio", async () => {
    const config = buildChart("value-at-risk", charts["value-at-risk"].example);
    const png = await renderer.render(config, { size: { width: 300, height: 200, devicePixelRatio: 3 } });
    expect(pngSize(png)).toEqual({ width: 900, height: 600 });
  });

  it("keeps the main thread responsive while 10 charts render concurrently", async () => {
    const configs = chartNames.map((name) => buildChart(name, charts[name].example));
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 5);
    const pngs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => renderer.render(configs[i % configs.length])),
    );
    clearInterval(timer);
    expect(pngs.map((png) => pngSize(png).width)).toEqual(Array(10).fill(1600));
    // Hundreds of milliseconds of rendering; the interval kept firing throughout.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it("(for contrast) starves the same interval when rendering on the main thread", async () => {
    const inline = createChartRenderer({ inline: true });
    const config = buildChart("value-at-risk", charts["value-at-risk"].example);
    await inline.render(config);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 5);
    await Promise.all(Array.from({ length: 3 }, () => inline.render(config)));
    clearInterval(timer);
    await inline.close();
    expect(ticks).toBeLessThanOrEqual(1);
  });

  it("refuses a config that is not plain JSON, and keeps serving", async () => {
    const config = buildChart("value-at-risk", charts["value-at-risk"].example);
    const withCallback = { ...config, options: { ...config.options, onClick: () => undefined } };
    await expect(renderer.render(withCallback)).rejects.toThrow(/not plain JSON/);
    await expect(renderer.render(withCallback)).rejects.toBeInstanceOf(ChartRenderError);
    expect(pngSize(await renderer.render(config)).width).toBe(1600);
  });

  it("reports a config Chart.js cannot draw, and keeps serving", async () => {
    const failure = renderer.render({ type: "no-such-chart", data: { datasets: [{ data: [1] }] } });
    await expect(failure).rejects.toBeInstanceOf(ChartRenderError);
    await expect(failure).rejects.toThrow(/rendering the chart failed: .*no-such-chart/);
    const config = buildChart("cycle-timeline", charts["cycle-timeline"].example);
    expect(pngSize(await renderer.render(config)).width).toBe(1600);
  });
});

describe.skipIf(!canRender)("worker pool limits", () => {
  const config = canRender ? buildChart("value-at-risk", charts["value-at-risk"].example) : undefined;

  it("stops a render that exceeds the timeout and replaces its worker", async () => {
    const renderer = createChartRenderer({ workers: 1, timeoutMs: 1 });
    try {
      expect(await renderer.available()).toBe(true);
      const failure = renderer.render(config);
      await expect(failure).rejects.toBeInstanceOf(ChartRenderTimeoutError);
      await expect(failure).rejects.toMatchObject({ status: 503, code: "chart_render_timeout" });
      // A new worker takes the next job (and times out too at 1 ms, but it was started).
      await expect(renderer.render(config)).rejects.toBeInstanceOf(ChartRenderTimeoutError);
    } finally {
      await renderer.close();
    }
  });

  it("refuses renders beyond its queue", async () => {
    const renderer = createChartRenderer({ workers: 1, maxQueue: 1 });
    try {
      await renderer.available();
      // The first goes to the idle worker, the second waits, the third finds the queue full.
      const results = await Promise.allSettled([1, 2, 3].map(() => renderer.render(config)));
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
      expect(results[2]).toMatchObject({ reason: expect.any(ChartRendererBusyError) });
    } finally {
      await renderer.close();
    }
  });

  it("close() fails pending renders and later ones, and may be called twice", async () => {
    const renderer = createChartRenderer({ workers: 1 });
    const pending = Promise.allSettled([1, 2, 3].map(() => renderer.render(config)));
    // Let the renders reach the queue, then shut down before a worker has started.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await renderer.close();
    await renderer.close();
    for (const result of await pending) {
      expect(result).toMatchObject({ status: "rejected", reason: expect.any(ChartRenderError) });
    }
    await expect(renderer.render(config)).rejects.toThrow(/closed/);
    expect(await renderer.available()).toBe(false);
  });
});

describe("without canvas", () => {
  const config = buildChart("value-at-risk", charts["value-at-risk"].example);

  it.each([
    {
      why: "the package is missing",
      error: Object.assign(new Error("Cannot find module 'canvas'"), { code: "MODULE_NOT_FOUND" }),
      inline: false,
    },
    {
      why: "its native library is missing",
      error: new Error("libcairo.so.2: cannot open shared object file: No such file or directory"),
      inline: false,
    },
    { why: "the package is missing (inline)", error: new Error("Cannot find module 'canvas'"), inline: true },
  ])("answers 503 with what to install when $why", async ({ error, inline }) => {
    let loads = 0;
    const renderer = createChartRenderer({
      inline,
      loader: () => {
        loads += 1;
        throw error;
      },
    });
    try {
      expect(await renderer.available()).toBe(false);
      const failure = renderer.render(config);
      await expect(failure).rejects.toBeInstanceOf(ChartRenderingUnavailableError);
      await expect(failure).rejects.toMatchObject({
        status: 503,
        code: "charts_unavailable",
        details: { reason: error.message },
      });
      await expect(failure).rejects.toThrow(/libcairo2-dev/);
      await expect(failure).rejects.toThrow(error.message);
      await expect(renderer.render(config)).rejects.toBeInstanceOf(ChartRenderingUnavailableError);
      // Tried once: a missing package does not appear while the process runs.
      expect(loads).toBe(1);
    } finally {
      await renderer.close();
    }
  });
});

describe.skipIf(!canRender)("the shared renderer", () => {
  afterAll(() => closeChartRenderer());

  it("renders, closes and starts again on demand", async () => {
    expect(await pngAvailable()).toBe(true);
    const config = buildChart("inventory-trend", charts["inventory-trend"].example);
    expect(pngSize(await renderChartPng(config)).width).toBe(1600);
    await closeChartRenderer();
    expect(pngSize(await renderChartPng(config, { size: "dashboard" })).width).toBe(1440);
  });
});

describe.skipIf(!canRender)("process lifetime (npx tsx)", () => {
  const script = fileURLToPath(new URL("./fixtures/render-and-exit.ts", import.meta.url));
  const root = fileURLToPath(new URL("../../../", import.meta.url));

  it.each([{ args: [] }, { args: ["--close"] }])(
    "a script that renders exits by itself, cleanly $args",
    async ({ args }) => {
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script, ...args], {
        cwd: root,
        timeout: 50_000,
        env: { ...process.env, NODE_OPTIONS: "" },
      });
      // execFile rejects on a non-zero exit code, a crash (signal) or the timeout.
      expect(stdout).toMatch(/^rendered \d+ bytes$/m);
    },
  );
});
