import { describe, expect, it } from "vitest";
import { forecastVsActualExample as example } from "../../../api/charts/examples.js";
import { build, type ForecastVsActualInput, schema } from "../../../api/charts/forecast-vs-actual.js";
import { ROLE_COLORS } from "../../../api/charts/theme.js";
import { nonJsonPaths } from "./helpers.js";

const months = (from: number, n: number, year = 2025) =>
  Array.from({ length: n }, (_, i) => `${year}-${String(from + i).padStart(2, "0")}`);

/** Three months of history and two of plan, small enough to check every value. */
const small: ForecastVsActualInput = {
  accuracy: 0.9,
  history: [
    { period: "2025-10", actual: 100, forecast: 110 },
    { period: "2025-11", actual: null, forecast: 90 },
    { period: "2025-12", actual: 120, forecast: null },
  ],
  plan: [
    { period: "2026-01", units: 130 },
    { period: "2026-02", units: null },
  ],
};

describe("forecast-vs-actual", () => {
  it.each([
    { accuracy: 0.8827, lag: 1, locale: "en-US", title: "Forecast vs actual — accuracy 88.3% (lag 1)" },
    { accuracy: 0.88349, lag: 1, locale: "en-US", title: "Forecast vs actual — accuracy 88.3% (lag 1)" },
    { accuracy: 0.9, lag: 1, locale: "en-US", title: "Forecast vs actual — accuracy 90.0% (lag 1)" },
    { accuracy: 1, lag: 2, locale: "en-US", title: "Forecast vs actual — accuracy 100.0% (lag 2)" },
    { accuracy: 0, lag: 1, locale: "en-US", title: "Forecast vs actual — accuracy 0.0% (lag 1)" },
    { accuracy: null, lag: 1, locale: "en-US", title: "Forecast vs actual — accuracy n/a (lag 1)" },
    { accuracy: 0.8827, lag: 1, locale: "de-DE", title: "Forecast vs actual — accuracy 88,3\u00a0% (lag 1)" },
  ])("titles accuracy $accuracy at lag $lag ($locale) as “$title”", ({ accuracy, lag, locale, title }) => {
    const config = build({ ...small, accuracy, lag }, { locale });
    expect(config.options?.plugins?.title?.text).toBe(title);
  });

  it("lays out actuals and forecasts over the history and the dashed plan after it, keeping gaps", () => {
    const config = build(small);
    expect(config.type).toBe("line");
    expect(config.data.labels).toEqual(["Oct 25", "Nov 25", "Dec 25", "Jan 26", "Feb 26"]);
    const [actual, forecast, plan] = config.data.datasets;
    expect(config.data.datasets).toHaveLength(3);
    expect(actual).toMatchObject({ label: "Actual", data: [100, null, 120, null, null], spanGaps: false });
    expect(forecast).toMatchObject({ label: "Forecast (lag 1)", data: [110, 90, null, null, null] });
    expect(plan).toMatchObject({ label: "Plan", data: [null, null, null, 130, null] });
    expect(plan?.borderDash).toEqual([8, 5]);
    expect(actual?.borderDash).toBeUndefined();
    expect([actual?.borderColor, forecast?.borderColor, plan?.borderColor]).toEqual([
      ROLE_COLORS.actual,
      ROLE_COLORS.forecast,
      ROLE_COLORS.plan,
    ]);
  });

  it("builds the worked example: 12 months of history, 6 of plan, January without a forecast", () => {
    const config = build(example);
    expect(config.data.labels).toHaveLength(18);
    expect(config.data.labels?.[0]).toBe("Jan 25");
    expect(config.data.labels?.[17]).toBe("Jun 26");
    const [actual, forecast, plan] = config.data.datasets;
    expect(actual?.data.slice(0, 12)).toEqual([290, 265, 300, 325, 320, 420, 415, 385, 355, 355, 350, 345]);
    expect(forecast?.data[0]).toBeNull();
    expect(plan?.data.filter((v) => v !== null)).toEqual([315, 325, 350, 385, 420, 450]);
    expect(config.options?.plugins?.title?.text).toBe("Forecast vs actual — accuracy 88.3% (lag 1)");
    expect(config.options?.plugins?.subtitle?.text).toBe(
      "All items · actuals January 2025 – December 2025 · plan to June 2026",
    );
  });

  it("formats the value axis with Intl options, not a callback", () => {
    const config = build(small);
    expect(config.options?.scales?.y?.ticks).toMatchObject({ format: { notation: "compact" } });
    expect(config.options?.scales?.y?.title).toMatchObject({ display: true, text: "units" });
  });

  it("is plain JSON", () => {
    const config = build(example);
    expect(nonJsonPaths(config)).toEqual([]);
    expect(JSON.parse(JSON.stringify(config))).toStrictEqual(config);
  });

  it("defaults lag to 1 and plan to none", () => {
    const parsed = schema.parse({ accuracy: 0.5, history: [{ period: "2025-01", actual: 1, forecast: 1 }] });
    expect(parsed.lag).toBe(1);
    expect(parsed.plan).toEqual([]);
    expect(build(parsed).data.labels).toEqual(["Jan 25"]);
  });

  it.each([
    {
      why: "a month missing in the history",
      input: {
        ...small,
        history: months(1, 3).map((p, i) => ({ period: i === 2 ? "2025-04" : p, actual: 1, forecast: 1 })),
      },
      path: ["history", 2, "period"],
    },
    {
      why: "months out of order",
      input: {
        ...small,
        history: [
          { period: "2025-02", actual: 1, forecast: 1 },
          { period: "2025-01", actual: 1, forecast: 1 },
        ],
        plan: [],
      },
      path: ["history", 1, "period"],
    },
    {
      why: "a plan not starting the month after the history",
      input: { ...small, plan: [{ period: "2026-02", units: 1 }] },
      path: ["plan", 0, "period"],
    },
    {
      why: "a month 13",
      input: { ...small, plan: [{ period: "2025-13", units: 1 }] },
      path: ["plan", 0, "period"],
    },
    { why: "accuracy as a percentage", input: { ...small, accuracy: 88.3 }, path: ["accuracy"] },
    {
      why: "negative units",
      input: { ...small, history: [{ period: "2025-12", actual: -1, forecast: 1 }] },
      path: ["history", 0, "actual"],
    },
    { why: "no history", input: { ...small, history: [], plan: [] }, path: ["history"] },
    { why: "accuracy missing", input: { history: small.history }, path: ["accuracy"] },
  ])("rejects $why", ({ input, path }) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
    expect(() => build(input as ForecastVsActualInput)).toThrow();
  });
});
