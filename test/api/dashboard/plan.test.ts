/**
 * The Plan and Scenarios pages in real Chromium against a running server with the demo company,
 * on each engine: the numbers are the API's; an override typed in the form changes the consensus
 * (read back through the API) and is refused once the executive sign-off locks the plan; a
 * scenario built on the page shows what POST /api/scenarios answers and leaves the plan alone;
 * saving, attaching and deleting work; and no write gets through without the access rule, the
 * same origin and the page's form token.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, inProcessClient } from "../../../api/client.js";
import { loadDemoCompany } from "../../../api/demo-company.js";
import { createLogger } from "../../../api/logger.js";
import { type RunningServer, startHttpServer } from "../../../api/server.js";
import { testApp } from "../../helpers/app.js";
import { launchChromium, newContext, screenshotPath, watch } from "../../helpers/browser.js";
import { expectCell, expectTile, ok, readTable, readTiles, written } from "../../helpers/dashboard-page.js";
import { createTestDatabase, engines, type TestDatabase } from "../../helpers/test-db.js";

// 2026-11-20 09:00 in Denver: the demo's November cycle is open, its executive step due today.
const NOW = new Date("2026-11-20T16:00:00Z");
const TOKEN = "api-token-for-the-plan-page-test";
const SALES = "U03NRF6P2ZC"; // Rachel Kim, VP Sales
const CEO = "U01GX5NB3QD"; // Erik Haugen, executive
const logger = createLogger("silent");

/** The problems a refused form post leaves (its HTTP status, which Chromium also logs), and nothing else. */
function expectOnly(problems: string[], status: number) {
  expect(problems.length, problems.join("\n")).toBeGreaterThan(0);
  for (const p of problems) expect(p).toMatch(new RegExp(`\\b${status}\\b`));
}

/** Submits a form the server refuses with `status`, waiting for Chromium's console line about it too. */
const refused = (page: Page, form: string, status: number) =>
  Promise.all([
    page.waitForEvent("console", (m) => m.type() === "error" && m.text().includes(`status of ${status}`)),
    submit(page, form),
  ]);

const submit = (page: Page, form: string) =>
  Promise.all([page.waitForLoadState("load"), page.click(`${form} button[type="submit"]`)]);

describe.each(engines)("the plan and scenarios pages in Chromium on %s", (engine) => {
  let db: TestDatabase;
  let api: ApiClient;
  let open: RunningServer;
  let locked: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const { app } = testApp(db, { now: () => NOW });
    await loadDemoCompany(db, app, logger, { anchor: "2026-11", now: NOW });
    api = inProcessClient(app);
    open = await startHttpServer({
      fetch: app.fetch,
      port: 0,
      host: "127.0.0.1",
      logger,
      abort: new AbortController(),
    });
    const { app: lockedApp } = testApp(db, { env: { SOP_API_TOKEN: TOKEN }, now: () => NOW });
    locked = await startHttpServer({
      fetch: lockedApp.fetch,
      port: 0,
      host: "127.0.0.1",
      logger,
      abort: new AbortController(),
    });
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await open?.close(1000);
    await locked?.close(1000);
    await db?.close();
  });

  const summary = (query: { family?: string; sku?: string; by?: "family" | "sku" | "location" } = {}) =>
    ok(api.api.consensus.summary.$get({ query }));

  it("shows the API's plan: by family, drilling down to SKUs and locations, overrides and FVA by contributor", async () => {
    const context = await newContext(browser, "laptop");
    const page = await context.newPage();
    const problems = watch(page);
    try {
      const plan = await summary();
      expect(plan.cycle).toBe("2026-11");
      await page.goto(`${open.url}/plan`);
      expect(await page.textContent("h1")).toBe("Consensus plan");
      expect(await page.getAttribute("[data-lock]", "data-lock")).toBe("open");
      const rows = await readTable(page, "Consensus plan by family and month");
      expect(rows.map((r) => r.key)).toEqual(plan.groups.map((g) => g.key));
      expect(plan.groups.length).toBe(8);
      for (const [i, g] of plan.groups.entries()) {
        for (const m of g.months) {
          const cell = rows[i]!.cells[`consensus-${m.period}`];
          expect(cell?.sort, `${g.key} ${m.period}`).toBe(String(m.consensus));
          expect(cell?.text).toContain(written(m.consensus, "units"));
          expect(cell?.text).toContain(`stat ${written(m.statistical, "units")}`);
        }
      }
      const tiles = await readTiles(page);
      const total = (k: "statistical" | "consensus") =>
        plan.groups.reduce((s, g) => s + g.months.reduce((t, m) => t + (m[k] ?? 0), 0), 0);
      expectTile(tiles.statistical, total("statistical"), "units");
      expectTile(tiles.consensus, total("consensus"), "units");

      // FVA by contributor: the three steps, then each contributor, as GET /api/kpi/fva says.
      const fva = await ok(api.api.kpi.fva.$get({ query: {} }));
      const fvaRows = await readTable(page, "Forecast value added by contributor");
      expect(fvaRows.map((r) => r.key)).toEqual([
        "naive",
        "statistical",
        "consensus",
        ...fva.contributors.map((c) => `${c.kind}:${c.id}`),
      ]);
      expectCell(fvaRows[0]!.cells.wape, fva.total.naiveWape, "percent");
      expectCell(fvaRows[1]!.cells.wape, fva.total.statisticalWape, "percent");
      expectCell(fvaRows[2]!.cells.wape, fva.total.consensusWape, "percent");
      expect(fvaRows[2]!.cells.added!.sort).toBe(String(fva.total.statisticalToConsensus));
      for (const [i, c] of fva.contributors.entries()) {
        expectCell(fvaRows[3 + i]!.cells.wape, c.contributorWape, "percent");
        expectCell(fvaRows[3 + i]!.cells.statisticalWape, c.statisticalWape, "percent");
        expect(fvaRows[3 + i]!.cells.added!.sort).toBe(c.fva === null ? "" : String(c.fva));
      }
      const chart = page.locator('figure.chart[data-chart="fva-by-contributor"] canvas');
      expect(await chart.getAttribute("data-drawn")).toBe("true");

      // Drill down: a family (the address changes), then one of its SKUs, by its locations.
      await Promise.all([
        page.waitForURL(/family=BOTTLES/),
        page.selectOption('select[name="family"]', "BOTTLES"),
      ]);
      expect(new URL(page.url()).searchParams.get("family")).toBe("BOTTLES");
      const bySku = await summary({ family: "BOTTLES", by: "sku" });
      const skuRows = await readTable(page, "Consensus plan by sku and month");
      expect(skuRows.map((r) => r.key)).toEqual(bySku.groups.map((g) => g.key));
      const first = bySku.groups[0]!;
      await Promise.all([
        page.waitForURL(/sku=/),
        page.click(`section[aria-label="Consensus plan by sku and month"] tr[data-key="${first.key}"] th a`),
      ]);
      const url = new URL(page.url());
      expect([url.searchParams.get("family"), url.searchParams.get("sku")]).toEqual(["BOTTLES", first.key]);
      const byLocation = await summary({ sku: first.key, by: "location" });
      const locRows = await readTable(page, "Consensus plan by location and month");
      expect(locRows.map((r) => r.key)).toEqual(byLocation.groups.map((g) => g.key));
      for (const m of byLocation.groups[0]!.months) {
        expect(locRows[0]!.cells[`consensus-${m.period}`]?.sort).toBe(String(m.consensus));
      }
      // The form starts on the SKU being looked at.
      expect(await page.inputValue("#override-target")).toBe(first.key);
      expect(problems.take()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it("builds a scenario that shows what POST /api/scenarios answers, leaves the plan alone, and saves, attaches and deletes it", async () => {
    const context = await newContext(browser, "laptop");
    const page = await context.newPage();
    const problems = watch(page);
    try {
      const gapsBefore = await ok(api.api.kpi.gaps.$get({ query: { limit: "100" } }));
      const planBefore = await summary();
      await page.goto(`${open.url}/scenarios`);
      expect(await page.textContent("h1")).toBe("What-if scenarios");
      await page.selectOption("#row-0-type", "demand");
      await page.fill("#row-0-target", "BOTTLES");
      await page.fill("#row-0-amount", "+15");
      await page.fill("#row-0-from", "2027-01");
      await page.selectOption("#row-1-type", "capacity");
      await page.fill("#row-1-target", "BOTTLES");
      await page.fill("#row-1-amount", "-10");
      await submit(page, 'form[action="/scenarios"]');
      const built = new URL(page.url());
      expect(built.searchParams.getAll("type").slice(0, 2)).toEqual(["demand", "capacity"]);
      await page.screenshot({ path: screenshotPath(engine, "scenarios-built-laptop.png"), fullPage: true });

      const changes = [
        { type: "demand" as const, target: "BOTTLES", change: 0.15, from: "2027-01" },
        { type: "capacity" as const, family: "BOTTLES", change: -0.1 },
      ];
      const answer = await ok(api.api.scenarios.$post({ json: { changes, horizon: 6 } }));
      const c = answer.comparison;
      const side = await readTable(page, "Base plan and scenario side by side");
      const figures: [string, number, number, "money" | "units" | "count"][] = [
        ["valueAtRisk", c.base.valueAtRisk, c.scenario.valueAtRisk, "money"],
        ["shortageUnits", c.base.shortageUnits, c.scenario.shortageUnits, "units"],
        ["shortageCount", c.base.shortageCount, c.scenario.shortageCount, "count"],
        ["highRisk", c.base.risk.high, c.scenario.risk.high, "count"],
        ["capacityGapUnits", c.base.capacityGapUnits, c.scenario.capacityGapUnits, "units"],
        ["inventoryEndValue", c.base.inventoryEndValue, c.scenario.inventoryEndValue, "money"],
        ["excessValue", c.base.excessValue, c.scenario.excessValue, "money"],
      ];
      for (const [key, base, scenario, kind] of figures) {
        const row = side.find((r) => r.key === key);
        expectCell(row?.cells.base, base, kind);
        expectCell(row?.cells.scenario, scenario, kind);
      }
      // The base column is what the KPI answers say, and the scenario does change something.
      expect(c.base.valueAtRisk).toBe(gapsBefore.totals.valueAtRisk);
      expect(c.base.capacityGapUnits).toBe(gapsBefore.totals.capacityGapUnits);
      expect(c.scenario.capacityGapUnits).toBeGreaterThan(c.base.capacityGapUnits);
      const lines = await readTable(page, "SKU-locations the scenario changes");
      expect(lines.map((l) => l.key)).toEqual(c.lines.map((l) => `${l.sku}@${l.location}`));
      for (const [i, l] of c.lines.entries())
        expectCell(lines[i]!.cells.valueAtRisk, l.scenario.valueAtRisk, "money");
      expect(await page.locator("[data-changes] li").allTextContents()).toEqual(
        c.changes.map((x) => x.description),
      );
      expect(
        await page.getAttribute('figure.chart[data-chart="scenario-inventory"] canvas', "data-drawn"),
      ).toBe("true");

      // Nothing of the plan changed.
      expect(await ok(api.api.kpi.gaps.$get({ query: { limit: "100" } }))).toEqual(gapsBefore);
      expect(await summary()).toEqual(planBefore);

      // The Slack grammar in the text box gives the same figures; a mistake is shown next to it.
      await page.goto(`${open.url}/scenarios`);
      await page.fill("#build-whatif", "demand +15% BOTTLES from 2027-01; capacity BOTTLES -10%");
      await submit(page, 'form[action="/scenarios"]');
      const typed = await readTable(page, "Base plan and scenario side by side");
      expect(typed).toEqual(side);
      await page.fill("#build-whatif", "demand 15% BOTTLES");
      await submit(page, 'form[action="/scenarios"]');
      expect(await page.textContent("#build-whatif-error")).toMatch(/say \+15% or -15%/);
      expect(await page.getAttribute("#build-whatif", "aria-invalid")).toBe("true");
      expect(await page.getAttribute("#build-whatif", "aria-describedby")).toContain("build-whatif-error");

      // Save it: it opens, listed, up to date.
      await page.goBack();
      await page.fill("#save-name", "Summer push, less capacity");
      await Promise.all([
        page.waitForURL(/\/scenarios\/\d+\?saved=1$/),
        page.click('form[action="/scenarios/save"] button'),
      ]);
      const id = Number(new URL(page.url()).pathname.split("/").pop());
      const saved = await ok(api.api.scenarios[":id"].$get({ param: { id: String(id) }, query: {} }));
      expect(saved.scenario).toMatchObject({
        name: "Summer push, less capacity",
        source: "dashboard",
        stale: false,
      });
      expect(saved.scenario.changes).toEqual(changes);
      expect(saved.comparison.delta).toEqual(c.delta);
      expect(await page.textContent("[data-whatif]")).toBe(
        "demand +15% BOTTLES from 2027-01; capacity BOTTLES -10%",
      );

      // Attach it to the pre-S&OP step: the API has it there, the cycle page links to it.
      await Promise.all([page.waitForURL(/attached=pre/), page.click('form[action$="/attach"] button')]);
      const pre = await ok(
        api.api.cycles[":month"].steps[":step"].scenarios.$get({ param: { month: "2026-11", step: "pre" } }),
      );
      expect(pre.scenarios.map((s) => s.id)).toEqual([id]);
      expect(await page.textContent("[data-attachments]")).toContain("pre");
      await page.goto(`${open.url}/cycle`);
      const steps = await readTable(page, "Steps of the cycle");
      expect(steps.find((s) => s.key === "pre")?.cells.scenarios?.text).toBe("Summer push, less capacity");
      await Promise.all([
        page.waitForURL(new RegExp(`/scenarios/${id}$`)),
        page.click(`a[data-scenario="${id}"]`),
      ]);

      // An attached scenario cannot be deleted: the API's 409, said on the page.
      await refused(page, 'form[action$="/delete"]', 409);
      expect(await page.textContent("[data-refusal]")).toMatch(/attached/i);
      expectOnly(problems.take(), 409);

      // After a change to the plan the saved figures are stale.
      const override = await api.api.overrides.$post({
        json: { family: "PACKS", period: "2027-02", units: 2000, reason: "retail launch", person: SALES },
      });
      expect(override.status).toBe(201);
      await page.goto(`${open.url}/scenarios`);
      const list = await readTable(page, "Saved scenarios");
      expect(list.find((r) => r.key === String(id))?.cells.stale?.text).toBe("stale");

      // A second one, saved and deleted from its page.
      await page.goto(`${open.url}/scenarios?whatif=${encodeURIComponent("demand -20% PACKS")}`);
      await Promise.all([page.waitForURL(/saved=1/), page.click('form[action="/scenarios/save"] button')]);
      const second = new URL(page.url()).pathname.split("/").pop()!;
      await Promise.all([page.waitForURL(/deleted=/), page.click('form[action$="/delete"] button')]);
      expect((await api.api.scenarios[":id"].$get({ param: { id: second }, query: {} })).status).toBe(404);
      expect((await readTable(page, "Saved scenarios")).map((r) => r.key)).toEqual([String(id)]);
      expect(problems.take()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it("overrides through the form: errors beside the fields, the consensus changes, and the executive sign-off refuses the next", async () => {
    const context = await newContext(browser, "phone");
    const page = await context.newPage();
    const problems = watch(page);
    try {
      await page.goto(`${open.url}/plan?family=BOTTLES`);
      // Refused before the API: each problem beside its field, what was typed kept.
      await page.fill("#override-units", "lots");
      await refused(page, "form[action='/plan/overrides']", 400);
      expectOnly(problems.take(), 400);
      expect(await page.textContent("#override-units-error")).toMatch(/“lots” is not a number of units/);
      expect(await page.textContent("#override-reason-error")).toMatch(/reason is required/);
      expect(await page.textContent("#override-person-error")).toMatch(/Choose who/);
      expect(await page.getAttribute("#override-units", "aria-invalid")).toBe("true");
      expect(await page.inputValue("#override-units")).toBe("lots");
      expect(await page.inputValue("#override-target")).toBe("BOTTLES");

      // Refused by the API (someone without the sales or marketing role): said at the person.
      await page.fill("#override-units", "14,000");
      await page.fill("#override-reason", "summer campaign pulled forward");
      await page.selectOption("#override-period", "2026-12");
      await page.selectOption("#override-person", SALES);
      await page.evaluate(() => {
        const select = document.querySelector("#override-person") as HTMLSelectElement;
        select.add(new Option("Erik", "U01GX5NB3QD"));
        select.value = "U01GX5NB3QD";
      });
      await refused(page, "form[action='/plan/overrides']", 403);
      expectOnly(problems.take(), 403);
      expect(await page.textContent("#override-person-error")).toMatch(
        /neither the sales nor the marketing role/,
      );

      // Accepted: back on the plan, the consensus is the API's new number.
      await page.selectOption("#override-person", SALES);
      await Promise.all([
        page.waitForURL(/override=\d+#plan$/),
        page.click("form[action='/plan/overrides'] button"),
      ]);
      await page.screenshot({ path: screenshotPath(engine, "plan-override-phone.png"), fullPage: true });
      const id = new URL(page.url()).searchParams.get("override")!;
      const { override } = await ok(api.api.overrides[":id"].$get({ param: { id } }));
      expect(override).toMatchObject({
        family: "BOTTLES",
        period: "2026-12",
        units: 14000,
        reason: "summer campaign pulled forward",
        person: { slackUserId: SALES, name: "Rachel Kim" },
        source: "dashboard",
        status: "accepted",
      });
      const after = await summary({ family: "BOTTLES", by: "family" });
      const december = after.groups[0]!.months.find((m) => m.period === "2026-12")!;
      expect(december.consensus).toBe(14000);
      expect(december.overridden).toBeGreaterThan(0);
      const shown = await readTable(page, "Overrides of the consensus plan");
      expect(shown[0]).toMatchObject({ key: id });
      expect(shown[0]!.cells.who!.text).toBe("Rachel Kim (sales)");
      expect(shown[0]!.cells.reason!.text).toBe("summer campaign pulled forward");
      expect(shown[0]!.cells.status!.text).toBe("accepted");
      const bySku = await summary({ family: "BOTTLES", by: "sku" });
      await page.goto(`${open.url}/plan?family=BOTTLES`);
      const skuRows = await readTable(page, "Consensus plan by sku and month");
      for (const [i, g] of bySku.groups.entries()) {
        expect(skuRows[i]!.cells["consensus-2026-12"]?.sort).toBe(
          String(g.months.find((m) => m.period === "2026-12")?.consensus),
        );
      }

      // The executive signs while the form is open: the next override is refused, and says why.
      const signed = await api.api.cycles[":month"].steps[":step"].signoffs.$post({
        param: { month: "2026-11", step: "exec" },
        json: { person: CEO, decision: "approve", idempotencyKey: "plan-test-exec" },
      });
      expect(signed.status).toBe(201);
      await page.fill("#override-units", "15000");
      await page.fill("#override-reason", "one more change");
      await page.selectOption("#override-period", "2026-12");
      await page.selectOption("#override-person", SALES);
      await refused(page, "form[action='/plan/overrides']", 409);
      expectOnly(problems.take(), 409);
      expect(await page.textContent("[data-refusal]")).toMatch(
        /locked by the executive sign-off of Erik Haugen/,
      );
      expect(await page.getAttribute("[data-lock]", "data-lock")).toBe("locked");
      expect(await page.textContent("[data-lock]")).toMatch(/Erik Haugen/);
      const still = await summary({ family: "BOTTLES", by: "family" });
      expect(still).toEqual(after);
      expect(problems.take()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it("refuses writes without the access rule, from another site, or without the page's form token", async () => {
    const count = async () => (await ok(api.api.overrides.$get({ query: {} }))).overrides.length;
    const before = await count();
    const body = new URLSearchParams({
      target: "BOTTLES",
      period: "2027-03",
      units: "1",
      reason: "x",
      person: SALES,
      back: "/plan",
    });
    // With a secret: anonymous is refused outright.
    const anonymous = await fetch(`${locked.url}/plan/overrides`, {
      method: "POST",
      body,
      redirect: "manual",
    });
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).not.toMatch(/BOTTLES|Ridgeline/);
    // Signed in, but without the form token, or from another site with it.
    const signin = await fetch(`${locked.url}/signin`, {
      method: "POST",
      body: new URLSearchParams({ secret: TOKEN, next: "/plan" }),
      redirect: "manual",
    });
    expect(signin.status).toBe(303);
    const cookie = signin.headers.get("set-cookie")!.split(";")[0]!;
    const html = await (await fetch(`${locked.url}/plan`, { headers: { cookie } })).text();
    const token = /name="_token" value="([^"]+)"/.exec(html)?.[1];
    expect(token).toBeTruthy();
    const post = (headers: Record<string, string>, fields: URLSearchParams) =>
      fetch(`${locked.url}/plan/overrides`, { method: "POST", body: fields, headers, redirect: "manual" });
    expect((await post({ cookie }, body)).status).toBe(403);
    const withToken = new URLSearchParams(body);
    withToken.set("_token", token!);
    expect((await post({ cookie, origin: "https://evil.example" }, withToken)).status).toBe(403);
    expect((await post({ cookie, "sec-fetch-site": "cross-site" }, withToken)).status).toBe(403);
    // Another session's token is not this one's.
    const other = new URLSearchParams(withToken);
    other.set("_token", `${token!.slice(0, -2)}xx`);
    expect((await post({ cookie }, other)).status).toBe(403);
    // Without a secret: only the local user, by the same rule as the pages.
    const local = new URLSearchParams(body);
    const openHtml = await (await fetch(`${open.url}/plan`)).text();
    local.set("_token", /name="_token" value="([^"]+)"/.exec(openHtml)![1]!);
    expect(
      (
        await fetch(`${open.url}/plan/overrides`, {
          method: "POST",
          body: local,
          headers: { "x-forwarded-for": "203.0.113.9" },
          redirect: "manual",
        })
      ).status,
    ).toBe(403);
    expect(await count()).toBe(before);
    // The plan is locked (the previous test's sign-off): the real write reaches the API and is refused there.
    const real = await post({ cookie, origin: locked.url }, withToken);
    expect(real.status).toBe(409);
    expect(await real.text()).toMatch(/locked by the executive sign-off/);
    expect(await count()).toBe(before);
  });
});
