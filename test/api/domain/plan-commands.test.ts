import { describe, expect, it } from "vitest";
import {
  formatWhatIf,
  overrideRequest,
  parseOverride,
  parseWhatIf,
} from "../../../api/domain/plan-commands.js";
import type { ScenarioChange } from "../../../api/domain/scenario.js";

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`expected success: ${JSON.stringify(r.error)}`);
  return r.value;
};
const err = (r: { ok: boolean; error?: { message: string; column: number } }) => {
  expect(r.ok).toBe(false);
  return r.error!;
};

describe("parseWhatIf", () => {
  it("parses the three kinds of change", () => {
    expect(ok(parseWhatIf("demand +15% BOTTLES from 2026-03"))).toEqual([
      { type: "demand", target: "BOTTLES", change: 0.15, from: "2026-03" },
    ]);
    expect(ok(parseWhatIf("delay PO-7781 30d"))).toEqual([{ type: "delay", reference: "PO-7781", days: 30 }]);
    expect(ok(parseWhatIf("capacity BOTTLES -20%"))).toEqual([
      { type: "capacity", family: "BOTTLES", change: -0.2 },
    ]);
  });

  it("reads a percentage as the decimal it is written as", () => {
    // 33.3 / 100 in floating point is 0.33299999999999996.
    expect(ok(parseWhatIf("demand +33.3% BOTTLES"))[0]).toMatchObject({ change: 0.333 });
    expect(ok(parseWhatIf("capacity BOTTLES −7.1%"))[0]).toMatchObject({ change: -0.071 });
  });

  it("accepts a leading whatif, other orders, units of time, prefixes and several changes", () => {
    expect(
      ok(
        parseWhatIf(
          "whatif demand sku:BLT-100 −10%; delay PO-7781 by 2 weeks; capacity family:BOTTLES -5% from 2026-04;",
        ),
      ),
    ).toEqual([
      { type: "demand", sku: "BLT-100", change: -0.1 },
      { type: "delay", reference: "PO-7781", days: 14 },
      { type: "capacity", family: "BOTTLES", change: -0.05, from: "2026-04" },
    ]);
    expect(ok(parseWhatIf("delay PO-1 -10d"))).toEqual([{ type: "delay", reference: "PO-1", days: -10 }]);
    expect(ok(parseWhatIf("delay PO-1 12 days"))).toEqual([{ type: "delay", reference: "PO-1", days: 12 }]);
    expect(ok(parseWhatIf("demand family:BOTTLES +2.5%"))).toEqual([
      { type: "demand", family: "BOTTLES", change: 0.025 },
    ]);
  });

  it("says what is wrong and where", () => {
    expect(err(parseWhatIf("demand 15% BOTTLES"))).toMatchObject({
      message: "say +15% or -15%: is 15% an increase or a decrease?",
      column: 8,
    });
    expect(err(parseWhatIf("demand +15% BOTTLES from 2026-3"))).toMatchObject({
      message: "'2026-3' is not a month: write YYYY-MM, e.g. 2026-03",
      column: 26,
    });
    expect(err(parseWhatIf("demand +15%")).message).toMatch(/^demand needs a family or a SKU/);
    expect(err(parseWhatIf("demand BOTTLES")).message).toMatch(/^demand needs a change such as \+15%/);
    expect(err(parseWhatIf("demand +15% BOTTLES CUPS"))).toMatchObject({ column: 21 });
    expect(err(parseWhatIf("demand +15% BOTTLES 2026-03")).message).toBe(
      "write 'from 2026-03' for the month the change starts",
    );
    expect(err(parseWhatIf("sales +15% BOTTLES")).message).toBe(
      "'sales' is not a change I know: start with demand, delay or capacity",
    );
    expect(err(parseWhatIf("delay PO-7781")).message).toBe(
      "how long? e.g. delay PO-7781 30d (days) or 4w (weeks)",
    );
    expect(err(parseWhatIf("delay PO-7781 soon"))).toMatchObject({
      message: "'soon' is not a number of days: write e.g. 30d, -10d or 4w",
      column: 15,
    });
    expect(err(parseWhatIf("delay PO-7781 0d")).message).toBe(
      "delay: days must not be 0: a delay of 0 days changes nothing",
    );
    expect(err(parseWhatIf("capacity sku:BLT-100 -20%")).message).toBe(
      "capacity is planned per family, not per SKU",
    );
    expect(err(parseWhatIf("demand +2000% BOTTLES"))).toMatchObject({
      message: "demand: change must be at most +1,000 % (10)",
      column: 8,
    });
    expect(err(parseWhatIf("demand -150% BOTTLES")).message).toBe(
      "demand: change cannot remove more than 100 % (-1)",
    );
    expect(err(parseWhatIf("demand +15% BOTTLES; ; delay PO-1 3d")).message).toBe(
      "an empty change between two ;",
    );
    expect(err(parseWhatIf("  ")).message).toBe("what should change?");
  });
});

describe("formatWhatIf", () => {
  it("writes changes in the command grammar, and parseWhatIf reads them back unchanged", () => {
    const changes: ScenarioChange[] = [
      { type: "demand", target: "BOTTLES", change: 0.15, from: "2026-03" },
      { type: "demand", sku: "BLT-100", change: -0.075 },
      { type: "demand", family: "COOLERS", change: 2.5, from: "2027-01" },
      { type: "delay", reference: "PO-7781", days: 30 },
      { type: "delay", reference: "PO-1", days: -10 },
      { type: "capacity", family: "BOTTLES", change: -0.2 },
      { type: "capacity", family: "PACKS", change: 0.25, from: "2026-05" },
    ];
    const text = formatWhatIf(changes);
    expect(text).toBe(
      "demand +15% BOTTLES from 2026-03; demand -7.5% sku:BLT-100; demand +250% family:COOLERS from 2027-01; " +
        "delay PO-7781 30d; delay PO-1 -10d; capacity BOTTLES -20%; capacity PACKS +25% from 2026-05",
    );
    const back = parseWhatIf(text);
    expect(back.ok && back.value).toEqual(changes);
    expect(formatWhatIf([])).toBe("");
  });
});

describe("parseOverride", () => {
  it("parses a SKU or family override with its reason", () => {
    expect(ok(parseOverride("override BLT-100 2026-03 1200 trade show order from REI"))).toEqual({
      target: "BLT-100",
      period: "2026-03",
      units: 1200,
      reason: "trade show order from REI",
    });
    expect(ok(parseOverride("family:BOTTLES 2026-04 5,000   summer  campaign "))).toEqual({
      target: "BOTTLES",
      targetKind: "family",
      period: "2026-04",
      units: 5000,
      reason: "summer  campaign",
    });
    expect(ok(parseOverride("override BLT-100@WEST 2026-03 300.5 new store"))).toEqual({
      target: "BLT-100",
      targetKind: "sku",
      location: "WEST",
      period: "2026-03",
      units: 300.5,
      reason: "new store",
    });
  });

  it("says what is wrong and where", () => {
    expect(err(parseOverride("override BLT-100 2026-03 1200"))).toMatchObject({
      message: "say why: a reason is required (e.g. override BLT-100 2026-03 1200 trade show order)",
      column: 30,
    });
    expect(err(parseOverride("override BLT-100 March 1200 promo"))).toMatchObject({
      message: "'March' is not a month: write YYYY-MM, e.g. 2026-03",
      column: 18,
    });
    expect(err(parseOverride("override BLT-100 2026-03 12x promo"))).toMatchObject({
      message: "'12x' is not a number of units: write e.g. 1200 or 1,200",
      column: 26,
    });
    expect(err(parseOverride("override BLT-100 2026-03 -5 promo")).message).toBe(
      "units must not be negative",
    );
    expect(err(parseOverride("override 2026-03 BLT-100 5 promo")).message).toBe(
      "put the SKU or family first: override BLT-100 2026-03 …",
    );
    expect(err(parseOverride("override")).message).toBe(
      "override needs a SKU or family, a month, the units and a reason",
    );
    expect(err(parseOverride("override family:BOTTLES@WEST 2026-03 5 x")).message).toMatch(
      /covers every location/,
    );
    expect(err(parseOverride(`override BLT-100 2026-03 5 ${"x".repeat(1001)}`)).message).toBe(
      "override: reason must be at most 1,000 characters",
    );
  });

  it("becomes the body of POST /api/overrides", () => {
    const by = { person: "U0SALES01", source: "slack", idempotencyKey: "T1:abc" };
    expect(overrideRequest(ok(parseOverride("BLT-100@WEST 2026-03 300 store opening")), by)).toEqual({
      sku: "BLT-100",
      location: "WEST",
      period: "2026-03",
      units: 300,
      reason: "store opening",
      ...by,
    });
    expect(overrideRequest(ok(parseOverride("BOTTLES 2026-03 300 x")), by)).toMatchObject({
      target: "BOTTLES",
    });
    expect(overrideRequest(ok(parseOverride("family:BOTTLES 2026-03 300 x")), by)).toMatchObject({
      family: "BOTTLES",
    });
  });
});
