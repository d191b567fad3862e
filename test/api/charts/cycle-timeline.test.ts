import { describe, expect, it } from "vitest";
import { build, type CycleTimelineInput, schema, stepSpans } from "../../../api/charts/cycle-timeline.js";
import { cycleTimelineExample as example } from "../../../api/charts/examples.js";
import { nonJsonPaths } from "./helpers.js";

describe("cycle-timeline", () => {
  it("runs each step from the day after the previous due date to its own", () => {
    expect(stepSpans(example.steps).map((s) => [s.key, s.startDay, s.dueDay])).toEqual([
      ["data", 1, 5],
      ["demand", 6, 8],
      ["supply", 9, 13],
      ["pre", 14, 16],
      ["exec", 17, 21],
      ["execution", 22, 31],
    ]);
  });

  it.each([
    {
      why: "an explicit start wins",
      steps: [
        { key: "a", label: "A", due: "2026-01-05", status: "open" as const },
        { key: "b", label: "B", start: "2026-01-02", due: "2026-01-08", status: "open" as const },
      ],
      spans: [
        [1, 5],
        [2, 8],
      ],
    },
    {
      why: "a step due before the previous one starts on its due day",
      steps: [
        { key: "a", label: "A", due: "2026-01-10", status: "open" as const },
        { key: "b", label: "B", due: "2026-01-07", status: "open" as const },
      ],
      spans: [
        [1, 10],
        [7, 7],
      ],
    },
  ])("spans: $why", ({ steps, spans }) => {
    expect(stepSpans(steps).map((s) => [s.startDay, s.dueDay])).toEqual(spans);
  });

  it("draws one floating bar per step, coloured by status, over the month's days, with a today marker", () => {
    const config = build(example);
    expect(config.type).toBe("bar");
    expect(config.options?.indexAxis).toBe("y");
    expect(config.data.labels).toEqual([
      "Data gathering · due Jan 5",
      "Demand review · due Jan 8",
      "Supply review · due Jan 13",
      "Pre-S&OP · due Jan 16",
      "Executive S&OP · due Jan 21",
      "Execution & monitoring · due Jan 31",
    ]);
    const [today, signed, open, overdue] = config.data.datasets;
    expect(config.data.datasets.map((d) => d.label)).toEqual(["Today (Jan 14)", "Signed", "Open", "Overdue"]);
    expect(signed?.data).toEqual([[0.5, 5.5], [5.5, 8.5], null, null, null, null]);
    expect(overdue?.data).toEqual([null, null, [8.5, 13.5], null, null, null]);
    expect(open?.data).toEqual([null, null, null, [13.5, 16.5], [16.5, 21.5], [21.5, 31.5]]);
    // A status shares its row with the others instead of splitting it.
    expect(config.data.datasets.every((d) => d.grouped === false)).toBe(true);
    // The marker: a thin bar at day 14 in every row, full row height, drawn on top.
    expect(today?.data).toHaveLength(6);
    for (const bar of today?.data ?? []) {
      const [from, to] = bar as [number, number];
      expect((from + to) / 2).toBeCloseTo(14, 10);
      expect(to - from).toBeLessThan(0.2);
    }
    expect(today).toMatchObject({ barPercentage: 1, categoryPercentage: 1, order: 0 });
    expect(config.options?.scales?.x).toMatchObject({ type: "linear", min: 0.5, max: 31.5 });
    expect(config.options?.plugins?.title?.text).toBe(
      "S&OP cycle January 2026 — 2 of 5 steps signed, 1 overdue",
    );
  });

  it.each([
    { cycle: "2026-02", today: "2026-02-10", max: 28.5, marker: true },
    { cycle: "2028-02", today: "2028-02-29", max: 29.5, marker: true },
    { cycle: "2026-02", today: "2026-03-02", max: 28.5, marker: false },
    { cycle: "2026-02", today: null, max: 28.5, marker: false },
    { cycle: "2026-02", today: undefined, max: 28.5, marker: false },
  ])("$cycle seen on $today: x axis to $max, marker $marker", ({ cycle, today, max, marker }) => {
    const input: CycleTimelineInput = {
      cycle,
      ...(today === undefined ? {} : { today }),
      steps: [{ key: "data", label: "Data", due: `${cycle}-03`, status: "open" }],
    };
    const config = build(input);
    expect(config.options?.scales?.x).toMatchObject({ min: 0.5, max });
    expect(config.data.datasets.some((d) => d.label?.startsWith("Today"))).toBe(marker);
  });

  it.each([
    { statuses: ["signed", "signed"] as const, title: "S&OP cycle January 2026 — 2 of 2 steps signed" },
    {
      statuses: ["open", "overdue"] as const,
      title: "S&OP cycle January 2026 — 0 of 2 steps signed, 1 overdue",
    },
  ])("titles “$title”", ({ statuses, title }) => {
    const config = build({
      cycle: "2026-01",
      steps: statuses.map((status, i) => ({
        key: `s${i}`,
        label: `S${i}`,
        due: `2026-01-0${i + 3}`,
        status,
      })),
    });
    expect(config.options?.plugins?.title?.text).toBe(title);
  });

  it("counts only the steps that take a sign-off: 4 of DOMAIN.md's 5 signed, not “4 of 6”", () => {
    // DOMAIN.md's default steps: five with sign-off roles, then execution & monitoring with none.
    const statuses = ["signed", "signed", "signed", "signed", "open"] as const;
    const config = build({
      ...example,
      steps: example.steps.map((s, i) => ({ ...s, status: statuses[i] ?? "open" })),
    });
    expect(example.steps.map((s) => s.signs ?? true)).toEqual([true, true, true, true, true, false]);
    expect(config.options?.plugins?.title?.text).toBe("S&OP cycle January 2026 — 4 of 5 steps signed");
    // The step without a sign-off is still drawn, in its own row.
    expect(config.data.labels).toHaveLength(6);
    // Once all five are signed the cycle reads complete.
    const all = build({ ...example, steps: example.steps.map((s) => ({ ...s, status: "signed" as const })) });
    expect(all.options?.plugins?.title?.text).toBe("S&OP cycle January 2026 — 5 of 5 steps signed");
    // An overdue count ignores a step that signs nothing (the API never marks one overdue, but
    // the chart must not count it either way).
    const odd = build({
      ...example,
      steps: example.steps.map((s) => ({
        ...s,
        status: s.signs === false ? ("overdue" as const) : s.status,
      })),
    });
    expect(odd.options?.plugins?.title?.text).toBe(
      "S&OP cycle January 2026 — 2 of 5 steps signed, 1 overdue",
    );
  });

  it("is plain JSON", () => {
    const config = build(example);
    expect(nonJsonPaths(config)).toEqual([]);
    expect(JSON.parse(JSON.stringify(config))).toStrictEqual(config);
  });

  const step = { key: "data", label: "Data", due: "2026-01-05", status: "open" };
  it.each([
    {
      why: "a due date outside the month",
      input: { cycle: "2026-01", steps: [{ ...step, due: "2026-02-01" }] },
      path: ["steps", 0, "due"],
    },
    {
      why: "a start after the due date",
      input: { cycle: "2026-01", steps: [{ ...step, start: "2026-01-06" }] },
      path: ["steps", 0, "start"],
    },
    {
      why: "an unknown status",
      input: { cycle: "2026-01", steps: [{ ...step, status: "done" }] },
      path: ["steps", 0, "status"],
    },
    {
      why: "an impossible date",
      input: { cycle: "2026-02", steps: [{ ...step, due: "2026-02-30" }] },
      path: ["steps", 0, "due"],
    },
    { why: "no steps", input: { cycle: "2026-01", steps: [] }, path: ["steps"] },
    { why: "a bad cycle", input: { cycle: "2026-1", steps: [step] }, path: ["cycle"] },
  ])("rejects $why", ({ input, path }) => {
    expect(schema.safeParse(input).error?.issues.map((i) => i.path)).toContainEqual(path);
  });
});
