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
  "forecast-run": () => import("./forecast-run.js"),
  m3: async () => {
    const m = await import("./m3.js");
    const { machine } = await import("./machine.js");
    return {
      main: async (args: string[]) => {
        console.log(`${m.formatReport(m.main(args[0] ?? m.DEFAULT_M3_PATH))}\n\nMachine: ${machine()}`);
      },
    };
  },
  "forecast-speed": async () => {
    const m = await import("./forecast-speed.js");
    const { machine } = await import("./machine.js");
    return {
      main: async (args: string[]) => {
        const report = m.main(Number(args[0] ?? 30_000), Number(args[1] ?? 36));
        console.log(`${m.formatReport(report)}\n\nMachine: ${machine()}`);
      },
    };
  },
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
