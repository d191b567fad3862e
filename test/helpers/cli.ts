/** Runs the real `sop` command (cli.ts through tsx) as a child process, as a user would. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve) => {
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return collect(spawnCli(args, env));
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<CliResult>;
}

/** Starts `sop serve` on a free port and waits until /healthz answers 200. */
export async function startServe(
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<ServeProcess> {
  const child = spawnCli(["serve"], { PORT: "0", ...env });
  const done = collect(child);
  let out = "";
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sop serve did not start in time:\n${out}`)), timeoutMs);
    const onData = () => {
      const m = /sop is running at (http:\/\/[^"\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stderr?.off("data", onData);
        resolve(m[1]!);
      }
    };
    child.stderr?.on("data", onData);
    child.once("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`sop serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return done;
    },
  };
}
