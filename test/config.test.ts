import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.js";

describe("configuration", () => {
  it("has working defaults: embedded database with the demo, port 3000 on loopback", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      database: { url: undefined, dataDir: "./.sop", poolMax: 4 },
      server: { port: 3000, host: "127.0.0.1", publicUrl: "http://127.0.0.1:3000" },
      log: { level: "info" },
      company: { timezone: undefined },
      demo: true,
      api: { token: undefined },
    });
  });

  it("turns the demo off by default for a server, and on when asked", () => {
    const url = "postgres://u:p@db.example.com:5433/sop";
    expect(loadConfig({ DATABASE_URL: url }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: url, SOP_DEMO: "yes" }).demo).toBe(true);
    expect(loadConfig({ SOP_DEMO: "0" }).demo).toBe(false);
  });

  it("reads every variable", () => {
    const c = loadConfig({
      DATABASE_URL: "postgresql://localhost/sop",
      SOP_DATA_DIR: "/var/lib/sop",
      PORT: "8080",
      HOST: "0.0.0.0",
      LOG_LEVEL: "DEBUG",
      SOP_TIMEZONE: "Europe/Berlin",
      SOP_API_TOKEN: "0123456789abcdef0123",
      SOP_PUBLIC_URL: "https://sop.example.com/",
    });
    expect(c).toMatchObject({
      database: { url: "postgresql://localhost/sop", dataDir: "/var/lib/sop", poolMax: 10 },
      server: { port: 8080, host: "0.0.0.0", publicUrl: "https://sop.example.com" },
      log: { level: "debug" },
      company: { timezone: "Europe/Berlin" },
      api: { token: "0123456789abcdef0123" },
    });
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "", SOP_TIMEZONE: "" })).toMatchObject({
      server: { port: 3000 },
      database: { url: undefined },
      company: { timezone: undefined },
    });
  });

  it("names every bad variable and why, in one error, without echoing secrets", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "eighty",
        SOP_TIMEZONE: "Mars/Olympus",
        LOG_LEVEL: "loud",
        DATABASE_URL: "mysql://secret@host/db",
        SOP_DEMO: "maybe",
        SOP_API_TOKEN: "short",
        SOP_PUBLIC_URL: "not a url",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.problems.map((p) => p.variable).sort()).toEqual(
      [
        "DATABASE_URL",
        "LOG_LEVEL",
        "PORT",
        "SOP_API_TOKEN",
        "SOP_DEMO",
        "SOP_PUBLIC_URL",
        "SOP_TIMEZONE",
      ].sort(),
    );
    expect(e.message).toContain('PORT="eighty": must be a number');
    expect(e.message).toContain('SOP_TIMEZONE="Mars/Olympus": must be an IANA time zone');
    expect(e.message).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
    expect(e.message).toContain("SOP_API_TOKEN: must be at least 16 characters");
    expect(e.message).not.toContain("secret");
    expect(e.message).not.toContain("short");
  });

  it("reads the jobs' variables: channels, the switch, the variance threshold as a fraction or a percentage", () => {
    expect(loadConfig({}).jobs).toEqual({
      enabled: true,
      channel: undefined,
      channels: {},
      varianceThreshold: 0.2,
    });
    expect(
      loadConfig({
        SOP_JOBS: "off",
        SOP_CHANNEL: "#sop",
        SOP_JOB_CHANNELS: "monthly-pack=#sop-exec,variance-alerts=C0123ABCD",
        SOP_VARIANCE_THRESHOLD: "25%",
      }).jobs,
    ).toEqual({
      enabled: false,
      channel: "#sop",
      channels: { "monthly-pack": "#sop-exec", "variance-alerts": "C0123ABCD" },
      varianceThreshold: 0.25,
    });
    expect(loadConfig({ SOP_VARIANCE_THRESHOLD: "0.15" }).jobs.varianceThreshold).toBe(0.15);
    expect(() => loadConfig({ SOP_VARIANCE_THRESHOLD: "0" })).toThrow(
      /SOP_VARIANCE_THRESHOLD="0": must be above 0 and at most 10/,
    );
    expect(() => loadConfig({ SOP_VARIANCE_THRESHOLD: "twenty" })).toThrow(
      /SOP_VARIANCE_THRESHOLD="twenty": must be a fraction \(0\.2\) or a percentage \(20%\)/,
    );
  });

  it("rejects out-of-range ports", () => {
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT="70000": must be between 0 and 65535/);
  });
});
