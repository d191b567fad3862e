/**
 * Chart rendering benchmark: `npx tsx bench/charts.ts [N]` (default N = 20).
 *
 * 1. Render time per chart (Slack size, 1600×800 PNG): N renders each, p50/p95, on the main
 *    thread (the pure cost of a render) and through the worker pool (what a caller waits,
 *    sequentially, including the hop to the worker and back).
 * 2. The main thread's event-loop delay (p99, perf_hooks.monitorEventLoopDelay) while 20 renders
 *    run concurrently: worker pool of 1 and of 2 workers vs rendering on the main thread. This
 *    is how long an API request arriving meanwhile could wait.
 *
 * Prints markdown tables; nothing is asserted (DESIGN.md: speed is measured, not tested).
 */
import { availableParallelism, loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { buildChart, type ChartName, chartNames, charts, createChartRenderer } from "../api/charts/index.js";

const n = Number(process.argv[2] ?? 20);
if (!Number.isInteger(n) || n < 1) throw new Error("usage: npx tsx bench/charts.ts [renders per chart]");
const CONCURRENT = 20;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}
const ms = (x: number) => x.toFixed(x < 10 ? 1 : 0);

const configs = Object.fromEntries(
  chartNames.map((name) => [name, buildChart(name, charts[name].example, { target: "slack" })]),
) as Record<ChartName, unknown>;

const inline = createChartRenderer({ inline: true });
const pool = createChartRenderer({ workers: 1 });
if (!(await inline.available()) || !(await pool.available())) {
  console.error("canvas/chartjs-node-canvas are not available here: nothing to measure");
  process.exit(1);
}

async function timings(render: (config: unknown) => Promise<Buffer>, config: unknown): Promise<number[]> {
  await render(config); // warm: Chart.js instance, fonts, JIT
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await render(config);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

console.log(
  `Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}; ${n} renders per chart, Slack size (800×400 at 2× = 1600×800 PNG)\n`,
);
console.log("| chart | main thread p50 | main thread p95 | worker pool p50 | worker pool p95 | PNG size |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const name of chartNames) {
  const config = configs[name];
  const onMain = await timings((c) => inline.render(c), config);
  const onPool = await timings((c) => pool.render(c), config);
  const bytes = (await pool.render(config)).length;
  console.log(
    `| ${name} | ${ms(percentile(onMain, 50))} ms | ${ms(percentile(onMain, 95))} ms | ${ms(
      percentile(onPool, 50),
    )} ms | ${ms(percentile(onPool, 95))} ms | ${Math.round(bytes / 1024)} KiB |`,
  );
}
await pool.close();

/** Event-loop delay of this thread while `CONCURRENT` renders (all charts in turn) are in flight. */
async function loopDelayUnderLoad(render: (config: unknown) => Promise<Buffer>) {
  const all = chartNames.map((name) => configs[name]);
  await Promise.all(all.map((c) => render(c))); // warm every worker on every chart
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  // The monitor measures between its own timer's callbacks: let it take a first sample.
  await new Promise((resolve) => setTimeout(resolve, 20));
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
  }, 5);
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => render(all[i % all.length])));
  const wall = performance.now() - started;
  clearInterval(timer);
  // A blocked loop is sampled once it runs again: give the monitor's timer that chance.
  await new Promise((resolve) => setTimeout(resolve, 50));
  histogram.disable();
  return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, wall, ticks };
}

const setups: { label: string; renderer: ReturnType<typeof createChartRenderer> }[] = [
  { label: "worker pool, 1 worker", renderer: createChartRenderer({ workers: 1 }) },
  { label: "worker pool, 2 workers", renderer: createChartRenderer({ workers: 2 }) },
  { label: "main thread (inline)", renderer: inline },
];
console.log(`\n${CONCURRENT} concurrent renders, main thread's event loop meanwhile:\n`);
console.log("| renderer | event-loop delay p99 | max | wall time for all | 5 ms interval ticks |");
console.log("|---|---:|---:|---:|---:|");
for (const { label, renderer } of setups) {
  const r = await loopDelayUnderLoad((c) => renderer.render(c));
  console.log(`| ${label} | ${ms(r.p99)} ms | ${ms(r.max)} ms | ${ms(r.wall)} ms | ${r.ticks} |`);
  await renderer.close();
}
