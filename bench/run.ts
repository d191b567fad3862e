/**
 * `npm run bench -- <name>`: the benchmarks behind BENCHMARKS.md. Each prints a markdown table
 * with the scale and the machine; paste the result into BENCHMARKS.md.
 */
const benches: Record<string, () => Promise<{ main: (args: string[]) => Promise<void> }>> = {
  bot: () => import("./bot.js"),
  import: () => import("./import.js"),
  kpi: () => import("./kpi.js"),
  jobs: () => import("./jobs.js"),
  dashboard: () => import("./dashboard.js"),
};

const [name, ...rest] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("bench/run.ts")) {
  const load = name ? benches[name] : undefined;
  if (!load) {
    console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]`);
    process.exitCode = 2;
  } else {
    const mod = await load();
    await mod.main(rest);
  }
}
