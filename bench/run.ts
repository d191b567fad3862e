/**
 * `npm run bench -- <name>`: the benchmarks behind BENCHMARKS.md. Each prints a markdown table
 * with the scale and the machine; paste the result into BENCHMARKS.md.
 */
import os from "node:os";

const benches: Record<string, () => Promise<{ main: (args: string[]) => Promise<void> }>> = {
  import: () => import("./import.js"),
};

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

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
