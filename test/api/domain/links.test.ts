import { describe, expect, it } from "vitest";
import { dashboardPath, dashboardUrl } from "../../../api/domain/links.js";

describe("dashboard links", () => {
  it.each([
    [{ view: "overview" as const }, "/"],
    [
      { view: "risk" as const, filters: { family: "BOTTLES", horizon: 6 }, section: "gaps" },
      "/risk?family=BOTTLES&horizon=6#gaps",
    ],
    [
      { view: "accuracy" as const, filters: { lag: 2, family: "CAPS", months: 6 } },
      "/accuracy?family=CAPS&lag=2&months=6",
    ],
    [
      { view: "sku" as const, filters: { sku: "BLT 100/x", location: "EAST" } },
      "/skus/BLT%20100%2Fx?location=EAST",
    ],
    [{ view: "cycle" as const, filters: { month: "2026-11" } }, "/cycle/2026-11"],
    [{ view: "cycle" as const }, "/cycle"],
    [{ view: "inventory" as const, filters: { family: "" }, section: "excess" }, "/inventory#excess"],
    [
      { view: "plan" as const, filters: { family: "BOTTLES", location: "EAST" } },
      "/plan?family=BOTTLES&location=EAST",
    ],
    [{ view: "scenarios" as const }, "/scenarios"],
    [{ view: "scenarios" as const, filters: { scenario: 12 } }, "/scenarios/12"],
  ])("%j → %s", (link, expected) => {
    expect(dashboardPath(link)).toBe(expected);
  });

  it("joins the base URL without doubling the slash", () => {
    expect(dashboardUrl("https://sop.example.com/", { view: "imports" })).toBe(
      "https://sop.example.com/imports",
    );
  });

  it("refuses a SKU view without a SKU", () => {
    expect(() => dashboardPath({ view: "sku" })).toThrow(/filters.sku/);
  });
});
