/**
 * The dashboard in real Chromium against a running server with the demo company, on each
 * engine: every page loads cleanly and draws its charts, the numbers on the page are the API's,
 * filters and drill-downs change the data and the address, Slack's deep links (links.ts) open
 * the matching view, and with a secret nobody sees anything without signing in.
 */
import { request as httpRequest } from "node:http";
import { networkInterfaces } from "node:os";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, inProcessClient } from "../../../api/client.js";
import { loadDemoCompany } from "../../../api/demo-company.js";
import { type DashboardLink, dashboardPath, dashboardUrl } from "../../../api/domain/links.js";
import { createLogger } from "../../../api/logger.js";
import { type RunningServer, startHttpServer } from "../../../api/server.js";
import { testApp } from "../../helpers/app.js";
import {
  chartPixels,
  launchChromium,
  lowContrast,
  newContext,
  screenshotPath,
  type ViewportName,
  watch,
} from "../../helpers/browser.js";
import {
  expectCell,
  expectTile,
  type Kind,
  ok,
  readTable,
  readTiles,
  written,
} from "../../helpers/dashboard-page.js";
import { createTestDatabase, engines, type TestDatabase } from "../../helpers/test-db.js";

// 2026-11-20 09:00 in Denver: the demo's cycle has its pre step overdue, exec due today.
const NOW = new Date("2026-11-20T16:00:00Z");
const TOKEN = "api-token-for-the-dashboard-test";
const logger = createLogger("silent");

/** A raw HTTP GET with headers fetch will not let us set (Host, X-Forwarded-For). */
function rawGet(
  url: string,
  headers: Record<string, string>,
  localAddress?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, ...(localAddress ? { localAddress } : {}) }, (res) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.each(engines)("the dashboard in Chromium on %s", (engine) => {
  let db: TestDatabase;
  let api: ApiClient;
  let request: (path: string, init?: RequestInit) => Response | Promise<Response>;
  let open: RunningServer;
  let locked: RunningServer;
  let lockedClock = NOW.getTime();
  let browser: Browser;
  let sku: string;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const { app } = testApp(db, { now: () => NOW });
    await loadDemoCompany(db, app, logger, { anchor: "2026-11", now: NOW });
    api = inProcessClient(app);
    request = (path, init) => app.request(path, init);
    open = await startHttpServer({
      fetch: app.fetch,
      port: 0,
      host: "127.0.0.1",
      logger,
      abort: new AbortController(),
    });
    // The same company behind an API token: the dashboard's secret falls back to it.
    const { app: lockedApp } = testApp(db, {
      env: { SOP_API_TOKEN: TOKEN },
      now: () => new Date(lockedClock),
    });
    locked = await startHttpServer({
      fetch: lockedApp.fetch,
      port: 0,
      host: "127.0.0.1",
      logger,
      abort: new AbortController(),
    });
    browser = await launchChromium();
    const gaps = await ok(api.api.kpi.gaps.$get({ query: { limit: "1" } }));
    sku = gaps.shortages[0]!.sku;
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await open?.close(1000);
    await locked?.close(1000);
    await db?.close();
  });

  const PAGES: [name: string, path: () => string, charts: number][] = [
    ["overview", () => "/", 2],
    ["accuracy", () => "/accuracy", 1],
    ["accuracy-family", () => "/accuracy?family=COOLERS&lag=2", 1],
    ["inventory", () => "/inventory", 1],
    ["risk", () => "/risk", 2],
    ["plan", () => "/plan", 1],
    ["plan-sku", () => `/plan?sku=${sku}`, 1],
    ["scenarios", () => "/scenarios", 0],
    [
      "scenarios-built",
      () => `/scenarios?whatif=${encodeURIComponent("demand +15% BOTTLES from 2027-01")}`,
      1,
    ],
    ["cycle", () => "/cycle", 1],
    ["cycle-october", () => "/cycle/2026-10", 1],
    ["sku", () => `/skus/${sku}`, 1],
    ["imports", () => "/imports", 0],
  ];

  it.each(["laptop", "phone"] as ViewportName[])(
    "every page loads with no console error or failed request and draws its charts (%s)",
    async (viewport) => {
      const context = await newContext(browser, viewport);
      const page = await context.newPage();
      const problems = watch(page);
      try {
        for (const [name, path, charts] of PAGES) {
          const res = await page.goto(`${open.url}${path()}`, { waitUntil: "load" });
          expect(res?.status(), name).toBe(200);
          await page.screenshot({ path: screenshotPath(engine, `${name}-${viewport}.png`), fullPage: true });
          expect(problems.take(), name).toEqual([]);
          expect(await page.locator("h1").count(), name).toBe(1);
          const drawn = await chartPixels(page);
          expect(drawn, name).toHaveLength(charts);
          for (const c of drawn) {
            expect(c.drawn, `${name}: ${c.name} drawn`).toBe(true);
            // A blank canvas has no ink; an axis alone has two or three colours.
            expect(c.inked, `${name}: ${c.name} ink`).toBeGreaterThan(2000);
            expect(c.colours, `${name}: ${c.name} colours`).toBeGreaterThan(4);
          }
          expect(await page.locator("[data-chart-missing]").count(), name).toBe(0);
          // Readable on a phone: nothing pushes the page sideways (wide tables scroll in their box).
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(overflow, `${name} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
        }
      } finally {
        await context.close();
      }
    },
    180_000,
  );

  it("is accessible: labelled controls, named charts and regions, keyboard sorting, contrast", async () => {
    const context = await newContext(browser, "laptop");
    const page = await context.newPage();
    try {
      for (const [name, path] of PAGES) {
        await page.goto(`${open.url}${path()}`);
        const unlabelled = await page.$$eval("select, input:not([type=hidden])", (els) =>
          els.filter((e) => (e as HTMLInputElement).labels?.length === 0).map((e) => e.outerHTML),
        );
        expect(unlabelled, name).toEqual([]);
        const unnamed = await page.$$eval("canvas, section.table-wrap, section.panel", (els) =>
          els
            .filter((e) => !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
            .map((e) => e.outerHTML.slice(0, 80)),
        );
        expect(unnamed, name).toEqual([]);
        expect(await page.getAttribute("html", "lang")).toBe("en");
        // WCAG AA: every piece of text against the background it sits on.
        const low = await lowContrast(page);
        expect(low, name).toEqual([]);
      }
      // Keyboard: the first Tab reaches "Skip to content"; a sort button works with Enter.
      await page.goto(`${open.url}/risk`);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
      const header = page.locator(
        'section[aria-label="SKU-locations by stock-out risk"] th[data-col="valueAtRisk"]',
      );
      await header.locator("button").focus();
      await page.keyboard.press("Enter");
      expect(await header.getAttribute("aria-sort")).toBe("descending");
      const sorted = (await readTable(page, "SKU-locations by stock-out risk")).map((r) =>
        Number(r.cells.valueAtRisk?.sort),
      );
      expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
      await page.keyboard.press("Enter");
      expect(await header.getAttribute("aria-sort")).toBe("ascending");
      const ascending = (await readTable(page, "SKU-locations by stock-out risk")).map((r) =>
        Number(r.cells.valueAtRisk?.sort),
      );
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      expect(await page.textContent("#live")).toMatch(/Sorted by Value at risk, ascending/);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("shows the API's numbers: overview, accuracy, inventory, risk and gaps", async () => {
    const context = await newContext(browser, "laptop");
    const page = await context.newPage();
    try {
      // Overview: every headline figure and its change against last month.
      const summary = await ok(api.api.kpi.summary.$get());
      await page.goto(`${open.url}/`);
      const tiles = await readTiles(page);
      const kinds: Record<string, Kind> = {
        accuracy: "percent",
        bias: "percent",
        inventoryValue: "money",
        turns: "number",
        daysOfInventory: "number",
        highRiskCount: "count",
        valueAtRisk: "money",
        shortageUnits: "units",
        capacityGapUnits: "units",
        excessValue: "money",
      };
      for (const [k, kind] of Object.entries(kinds)) {
        const figure = summary.figures[k as keyof typeof summary.figures];
        expectTile(tiles[k], figure.value, kind);
        expect(tiles[k]!.change, k).toBe(figure.change === null ? "" : String(figure.change));
      }
      expect(summary.figures.accuracy.change).not.toBeNull();
      const topGaps = await ok(api.api.kpi.gaps.$get({ query: { limit: "5" } }));
      const shown = await readTable(page, "Shortages by value at risk");
      expect(shown.map((r) => r.key)).toEqual(topGaps.shortages.map((s) => `${s.sku}@${s.location}`));
      for (const [i, s] of topGaps.shortages.entries())
        expectCell(shown[i]!.cells.valueAtRisk, s.valueAtRisk, "money");
      expect(await page.textContent('[data-kpi="signed"]')).toBe(
        `${summary.cycle!.signed} of ${summary.cycle!.total}`,
      );

      // Accuracy: the window's figures, FVA, each family, the worst SKU-locations with their flags.
      const acc = await ok(api.api.kpi.accuracy.$get({ query: { worst: "100" } }));
      await page.goto(`${open.url}/accuracy`);
      const at = await readTiles(page);
      expectTile(at.accuracy, acc.accuracy, "percent");
      expectTile(at.wape, acc.wape, "percent");
      expectTile(at.bias, acc.bias, "percent");
      expectTile(at.mape, acc.mape, "percent");
      expectTile(at.rows, acc.rows, "count");
      const fva = await readTable(page, "Forecast value added");
      // Value added is signed: "+27.0%" helped, "−…" hurt.
      const added = acc.fva.naiveToStatistical!;
      expect(fva[1]!.cells.added!.sort).toBe(String(added));
      expect(fva[1]!.cells.added!.text).toBe(`${added > 0 ? "+" : ""}${written(added, "percent")}`);
      expectCell(fva[2]!.cells.wape, acc.fva.consensusWape, "percent");
      const families = await readTable(page, "Accuracy by family");
      expect(families.map((r) => r.key)).toEqual(acc.byFamily.map((f) => f.family));
      acc.byFamily.forEach((f, i) => {
        expectCell(families[i]!.cells.accuracy, f.accuracy, "percent");
        expectCell(families[i]!.cells.bias, f.bias, "percent");
        expectCell(families[i]!.cells.fva, f.fva.statisticalToConsensus, "percent");
      });
      const worst = await readTable(page, "SKU-locations by absolute error");
      expect(worst.map((r) => r.key)).toEqual(acc.worst.map((w) => `${w.sku}@${w.location}`));
      acc.worst.forEach((w, i) => {
        expectCell(worst[i]!.cells.trackingSignal, w.trackingSignal, "number");
        expect(worst[i]!.cells.flag!.text !== "", `${w.sku}@${w.location} flag`).toBe(w.biased);
      });
      expect(acc.worst.some((w) => w.biased)).toBe(true);

      // Inventory: turns, excess and slow movers, the ABC/XYZ matrix.
      const [turns, excess, segments] = await Promise.all([
        ok(api.api.kpi.turns.$get({ query: {} })),
        ok(api.api.kpi.excess.$get({ query: { limit: "100" } })),
        ok(api.api.kpi.segments.$get({ query: {} })),
      ]);
      await page.goto(`${open.url}/inventory`);
      const inv = await readTiles(page);
      expectTile(inv.turns, turns.turns, "number");
      expectTile(inv.daysOfInventory, turns.daysOfInventory, "number");
      expectTile(inv.inventoryValue, turns.inventoryValue, "money");
      expectTile(inv.cogs, turns.cogs, "money");
      expectTile(inv.excessValue, excess.totals.excessValue, "money");
      expectTile(inv.slowMovingValue, excess.totals.slowMovingValue, "money");
      const byFamily = await readTable(page, "Turns by family");
      for (const [i, f] of turns.byFamily.entries()) expectCell(byFamily[i]!.cells.turns, f.turns, "number");
      const excessRows = await readTable(page, "Excess and slow-moving stock by value");
      expect(excessRows.map((r) => r.key)).toEqual(excess.items.map((e) => `${e.sku}@${e.location}`));
      excess.items.forEach((e, i) => {
        expectCell(excessRows[i]!.cells.excessValue, e.excessValue, "money");
        expectCell(excessRows[i]!.cells.daysOfSupply, e.daysOfSupply, "number");
      });
      const matrix = await page.$$eval("td[data-cell]", (cells) =>
        Object.fromEntries(
          cells.map((c) => [(c as HTMLElement).dataset.cell, Number((c as HTMLElement).dataset.value)]),
        ),
      );
      expect(matrix).toEqual(segments.matrix);

      // Risk and gaps: counts, the ranked list, the projection, capacity gaps by family and month.
      const [risk, gaps] = await Promise.all([
        ok(api.api.kpi.risk.$get({ query: { limit: "100" } })),
        ok(api.api.kpi.gaps.$get({ query: { limit: "100" } })),
      ]);
      await page.goto(`${open.url}/risk`);
      const rt = await readTiles(page);
      expectTile(rt.high, risk.counts.high, "count");
      expectTile(rt.medium, risk.counts.medium, "count");
      expectTile(rt.valueAtRisk, gaps.totals.valueAtRisk, "money");
      expectTile(rt.capacityGapUnits, gaps.totals.capacityGapUnits, "units");
      const riskRows = await readTable(page, "SKU-locations by stock-out risk");
      expect(riskRows.map((r) => r.key)).toEqual(risk.items.map((r) => `${r.sku}@${r.location}`));
      risk.items.forEach((r, i) => {
        expectCell(riskRows[i]!.cells.stockoutProbability, r.stockoutProbability, "percent");
        expectCell(riskRows[i]!.cells.daysOfSupply, r.daysOfSupply, "number");
        expect(riskRows[i]!.cells.orderBy!.sort).toBe(r.orderBy ?? "");
      });
      const projection = await readTable(page, "Projected available balance by month");
      for (const [i, r] of risk.items.slice(0, projection.length).entries()) {
        for (const p of r.projection)
          expectCell(projection[i]!.cells[`balance-${p.period}`], p.balance, "units");
      }
      const capacity = await readTable(page, "Capacity gaps by family and month, in units");
      expect(gaps.capacity.length).toBeGreaterThan(0);
      for (const g of gaps.capacity) {
        const row = capacity.find((r) => r.key === g.family);
        expectCell(row?.cells[`gap-${g.period}`], g.gap, "units");
      }
    } finally {
      await context.close();
    }
  }, 120_000);

  it("shows the API's numbers: cycle, SKU and imports", async () => {
    const context = await newContext(browser, "laptop");
    const page = await context.newPage();
    try {
      const { cycle } = await ok(api.api.cycles.current.$get());
      const audit = await ok(
        api.api.audit.$get({ query: { entity: "cycle", entityId: cycle.month, limit: "200" } }),
      );
      await page.goto(`${open.url}/cycle`);
      expect(await page.textContent("h1")).toBe("S&OP cycle November 2026");
      const steps = await readTable(page, "Steps of the cycle");
      expect(steps.map((s) => s.key)).toEqual(cycle.steps.map((s) => s.key));
      for (const [i, s] of cycle.steps.entries()) {
        expect(steps[i]!.cells.status!.text).toMatch(
          s.overdue ? /^overdue/ : s.status === "signed" ? /^signed/ : /^open/,
        );
      }
      expect(cycle.steps.find((s) => s.key === "pre")?.overdue).toBe(true);
      const signoffs = await readTable(page, "Sign-off decisions");
      const decisions = cycle.steps.flatMap((s) => s.signoffs);
      expect(signoffs).toHaveLength(decisions.length);
      expect(new Set(signoffs.map((s) => s.cells.who!.text))).toEqual(
        new Set(decisions.map((d) => d.person.name)),
      );
      expect(signoffs.filter((s) => s.cells.decision!.text === "changes requested")).toHaveLength(
        decisions.filter((d) => d.decision === "request_changes").length,
      );
      expect(await page.locator('section[aria-label="Audit trail of the cycle"] tbody tr').count()).toBe(
        audit.entries.length,
      );
      // The calendar marks each due date and today (Nov 20 in Denver).
      for (const s of cycle.steps) {
        expect(await page.textContent(`td[data-date="${s.dueDate}"]`)).toContain(`${s.name} due`);
      }
      expect(await page.getAttribute('td[data-date="2026-11-20"]', "aria-current")).toBe("date");

      const one = await ok(api.api.skus[":sku"].$get({ param: { sku }, query: {} }));
      await page.goto(`${open.url}/skus/${sku}`);
      const st = await readTiles(page);
      expectTile(
        st.onHand,
        one.locations.reduce((s, l) => s + l.onHand, 0),
        "units",
      );
      expectTile(
        st.valueAtRisk,
        one.locations.reduce((s, l) => s + l.valueAtRisk, 0),
        "money",
      );
      const locs = await readTable(page, "Risk by location");
      expect(locs.map((l) => l.key)).toEqual(one.locations.map((l) => l.location));
      one.locations.forEach((l, i) => {
        expectCell(locs[i]!.cells.onHand, l.onHand, "units");
        expectCell(locs[i]!.cells.stockoutProbability, l.stockoutProbability, "percent");
      });
      const history = await readTable(page, "Actuals, forecasts by lag and the plan by month");
      for (const h of one.history) {
        const row = history.find((r) => r.key === h.period);
        expectCell(row?.cells.actual, h.actual, "units");
        expectCell(row?.cells["lag-1"], h.forecasts["1"] ?? null, "units");
        expectCell(row?.cells.plan, h.plan, "units");
      }

      // A refused file: the imports page shows it with each bad row.
      const refused = await request("/api/imports/sales?fileName=bad-sales.csv", {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: "sku,location,period,units\nNOPE-1,MAIN,2026-10,5\nBTL-S05-GLC,MAIN,2026-13,5\n",
      });
      expect(refused.status).toBe(422);
      const imports = await ok(api.api.imports.$get({ query: { limit: "200" } }));
      const bad = imports.runs.find((r) => r.status === "failed")!;
      expect(bad.errors.length).toBe(2);
      await page.goto(`${open.url}/imports`);
      const runs = await readTable(page, "Import history");
      expect(runs.map((r) => r.key)).toEqual(imports.runs.map((r) => String(r.id)));
      for (const [i, r] of imports.runs.entries()) expectCell(runs[i]!.cells.rows, r.rows, "count");
      const row = page.locator(`section[aria-label="Import history"] tr[data-key="${bad.id}"]`);
      expect(await row.locator('[data-col="status"]').textContent()).toBe("refused");
      await row.locator("summary").click();
      const listed = await row.locator("details li").allTextContents();
      expect(listed).toHaveLength(bad.errors.length);
      for (const [i, e] of bad.errors.entries()) {
        expect(listed[i]).toContain(`line ${e.line}`);
        expect(listed[i]).toContain(e.reason);
      }
    } finally {
      await context.close();
    }
  }, 120_000);

  it("filters and drill-down change the data and the address", async () => {
    const context = await newContext(browser, "laptop");
    const page = await context.newPage();
    const problems = watch(page);
    try {
      await page.goto(`${open.url}/accuracy`);
      const total = await readTiles(page);
      // A family chosen with the mouse applies at once.
      await Promise.all([
        page.waitForURL(/family=COOLERS/),
        page.selectOption('select[name="family"]', "COOLERS"),
      ]);
      expect(new URL(page.url()).searchParams.get("family")).toBe("COOLERS");
      const coolers = await ok(api.api.kpi.accuracy.$get({ query: { family: "COOLERS", worst: "100" } }));
      const ct = await readTiles(page);
      expectTile(ct.accuracy, coolers.accuracy, "percent");
      expect(ct.accuracy!.value).not.toBe(total.accuracy!.value);
      expect(await page.locator('section[aria-label="Accuracy by family"] tbody tr').count()).toBe(1);

      // The lag selector keeps the family.
      await Promise.all([page.waitForURL(/lag=2/), page.selectOption('select[name="lag"]', "2")]);
      const url = new URL(page.url());
      expect([url.searchParams.get("family"), url.searchParams.get("lag")]).toEqual(["COOLERS", "2"]);
      const lag2 = await ok(
        api.api.kpi.accuracy.$get({ query: { family: "COOLERS", lag: "2", worst: "100" } }),
      );
      expectTile((await readTiles(page)).accuracy, lag2.accuracy, "percent");
      expect(lag2.accuracy).not.toBe(coolers.accuracy);

      // Drill down from the family to one SKU, keeping the lag.
      const first = page
        .locator('section[aria-label="SKU-locations by absolute error"] tbody tr th a')
        .first();
      const drilled = (await first.textContent())!;
      await Promise.all([page.waitForURL(/sku=/), first.click()]);
      const du = new URL(page.url());
      expect([du.searchParams.get("sku"), du.searchParams.get("lag")]).toEqual([drilled, "2"]);
      const one = await ok(api.api.kpi.accuracy.$get({ query: { sku: drilled, lag: "2", worst: "100" } }));
      expectTile((await readTiles(page)).accuracy, one.accuracy, "percent");
      // …and on to the SKU's own page.
      await Promise.all([page.waitForURL(/\/skus\//), page.click("text=Open the SKU page")]);
      expect(new URL(page.url()).pathname).toBe(`/skus/${encodeURIComponent(drilled)}`);

      // From the keyboard a choice waits for Apply (arrowing through a select must not reload).
      await page.goto(`${open.url}/risk`);
      await page.focus('select[name="horizon"]');
      await page.keyboard.press("ArrowUp");
      await page.waitForTimeout(300);
      expect(new URL(page.url()).search).toBe("");
      await Promise.all([page.waitForURL(/horizon=3/), page.click('form.filters button[type="submit"]')]);
      const h3 = await ok(api.api.kpi.gaps.$get({ query: { horizon: "3", limit: "100" } }));
      expectTile((await readTiles(page)).valueAtRisk, h3.totals.valueAtRisk, "money");
      const months = await page.$$eval(
        'section[aria-label="Projected available balance by month"] thead th[data-col^="balance-"]',
        (ths) => ths.length,
      );
      expect(months).toBe(3);
      // Empty fields stay out of the address.
      expect([...new URL(page.url()).searchParams.keys()]).toEqual(["horizon"]);

      // A SKU typed in and applied.
      await page.fill('input[name="sku"]', sku);
      await Promise.all([page.waitForURL(/sku=/), page.click('form.filters button[type="submit"]')]);
      const skuRisk = await ok(api.api.kpi.risk.$get({ query: { sku, horizon: "3", limit: "100" } }));
      expect((await readTable(page, "SKU-locations by stock-out risk")).map((r) => r.key)).toEqual(
        skuRisk.items.map((r) => `${r.sku}@${r.location}`),
      );
      expect(problems.take()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("answers a bad filter or an unknown family with a page that says what is wrong", async () => {
    const bad = await fetch(`${open.url}/accuracy?lag=99`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/<code>lag<\/code>: must be between 0 and 11/);
    const unknown = await fetch(`${open.url}/risk?family=NOPE`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(/There is no family NOPE/);
    const noSku = await fetch(`${open.url}/skus/NOPE-1`);
    expect(noSku.status).toBe(404);
    expect(await noSku.text()).toMatch(/There is no SKU NOPE-1/);
    // A page that does not exist: HTML for a browser, the API's JSON for everyone else.
    const page = await fetch(`${open.url}/plans`, { headers: { accept: "text/html" } });
    expect([page.status, page.headers.get("content-type")]).toEqual([404, "text/html; charset=UTF-8"]);
    expect(await page.text()).toMatch(/There is no such page/);
    const api404 = await fetch(`${open.url}/api/nope`, { headers: { accept: "text/html" } });
    expect([api404.status, (await api404.json()).error.code]).toEqual([404, "not_found"]);
  });

  it("opens every Slack deep link (links.ts) on the matching view", async () => {
    const context = await newContext(browser, "laptop");
    const page = await context.newPage();
    const problems = watch(page);
    const go = async (link: DashboardLink) => {
      const url = dashboardUrl(`${open.url}/`, link);
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(200);
      expect(page.url()).toBe(url);
    };
    /**
     * Whether the browser jumped to the section: scrolled so that it is at the top, or as far as
     * the page goes when the section is near the end.
     */
    const jumpedTo = (selector: string) =>
      page.$eval(selector, (e) => {
        const target = e.getBoundingClientRect().top + window.scrollY;
        const max = document.documentElement.scrollHeight - window.innerHeight;
        return window.scrollY > 0 && Math.abs(window.scrollY - Math.min(target, max)) < 40;
      });
    try {
      await go({ view: "risk", filters: { family: "BOTTLES", horizon: 6 }, section: "gaps" });
      expect(await page.inputValue('select[name="family"]')).toBe("BOTTLES");
      expect(await jumpedTo("#gaps")).toBe(true);
      const bottles = await ok(api.api.kpi.gaps.$get({ query: { family: "BOTTLES", limit: "100" } }));
      const capacity = await readTable(page, "Capacity gaps by family and month, in units");
      expect(capacity.map((r) => r.key)).toEqual(["BOTTLES"]);
      for (const g of bottles.capacity) expectCell(capacity[0]!.cells[`gap-${g.period}`], g.gap, "units");

      await go({ view: "accuracy", filters: { family: "COOLERS", lag: 2, months: 6 } });
      const acc = await ok(
        api.api.kpi.accuracy.$get({ query: { family: "COOLERS", lag: "2", months: "6" } }),
      );
      expectTile((await readTiles(page)).accuracy, acc.accuracy, "percent");
      expect(await page.textContent(".subtitle")).toContain("at lag 2");
      expect(await page.inputValue('select[name="months"]')).toBe("6");

      await go({ view: "accuracy", section: "fva" });
      expect(await jumpedTo("#fva")).toBe(true);

      await go({ view: "sku", filters: { sku, location: "EAST" } });
      expect(await page.textContent("h1")).toContain(sku);
      expect((await readTable(page, "Risk by location")).map((r) => r.key)).toEqual(["EAST"]);

      await go({ view: "risk", filters: { risk: "high" } });
      const high = await ok(api.api.kpi.risk.$get({ query: { risk: "high", limit: "100" } }));
      const rows = await readTable(page, "SKU-locations by stock-out risk");
      expect(rows).toHaveLength(high.total);
      expect(await page.$$eval(".badge.high", (b) => b.length)).toBeGreaterThanOrEqual(high.total);

      await go({ view: "inventory", filters: { family: "PACKS" }, section: "excess" });
      expect(await jumpedTo("#excess")).toBe(true);
      const packs = await ok(api.api.kpi.excess.$get({ query: { family: "PACKS", limit: "100" } }));
      expect((await readTable(page, "Excess and slow-moving stock by value")).map((r) => r.key)).toEqual(
        packs.items.map((e) => `${e.sku}@${e.location}`),
      );

      await go({ view: "cycle", filters: { month: "2026-10" } });
      expect(await page.textContent("h1")).toBe("S&OP cycle October 2026");
      await go({ view: "cycle" });
      expect(await page.textContent("h1")).toBe("S&OP cycle November 2026");
      await go({ view: "imports" });
      await go({ view: "overview" });
      expect(problems.take()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  describe("with a secret (here SOP_API_TOKEN, which the dashboard falls back to)", () => {
    const paths = () => [
      ...PAGES.map(([, p]) => p()),
      dashboardPath({ view: "risk", filters: { family: "BOTTLES" }, section: "gaps" }),
    ];

    it("refuses every page to an anonymous visitor: a redirect to sign in, and no data", async () => {
      for (const path of paths()) {
        const res = await fetch(`${locked.url}${path}`, { redirect: "manual" });
        expect(res.status, path).toBe(303);
        const next = new URL(res.headers.get("location")!, locked.url);
        expect(next.pathname).toBe("/signin");
        expect(next.searchParams.get("next")).toBe(path.replace(/#.*/, ""));
        expect(await res.text()).toBe("");
      }
      const signin = await (await fetch(`${locked.url}/signin`)).text();
      expect(signin).toMatch(/Dashboard secret/);
      expect(signin).not.toMatch(/Ridgeline|BOTTLES|Data through/);
      // The API behind it wants its bearer token; a dashboard session is not one.
      expect((await fetch(`${locked.url}/api/kpi/summary`)).status).toBe(401);
    });

    it("signs in from a Slack deep link and lands on it, section included; the session is signed and HttpOnly", async () => {
      const context = await newContext(browser, "phone");
      const page = await context.newPage();
      const problems = watch(page);
      try {
        const link = dashboardUrl(locked.url, {
          view: "risk",
          filters: { family: "BOTTLES" },
          section: "gaps",
        });
        await page.goto(link);
        expect(new URL(page.url()).pathname).toBe("/signin");
        await page.screenshot({ path: screenshotPath(engine, "signin-phone.png"), fullPage: true });

        await page.fill("#secret", "not the secret at all");
        await Promise.all([page.waitForLoadState("load"), page.click('button[type="submit"]')]);
        expect(await page.textContent('[role="alert"]')).toMatch(/not the dashboard secret/);
        // The refused sign-in answered 401 (which Chromium also logs); nothing else went wrong.
        const refused = problems.take();
        expect(refused.length).toBeGreaterThan(0);
        for (const p of refused) expect(p).toMatch(/401/);

        await page.fill("#secret", TOKEN);
        await Promise.all([
          page.waitForURL(/\/risk\?family=BOTTLES#gaps$/),
          page.click('button[type="submit"]'),
        ]);
        expect(page.url()).toBe(link);
        expect(await page.inputValue('select[name="family"]')).toBe("BOTTLES");
        expect(
          Math.abs(await page.$eval("#gaps", (e) => Math.round(e.getBoundingClientRect().top))),
        ).toBeLessThan(40);
        expect((await chartPixels(page)).every((c) => c.drawn && c.inked > 2000)).toBe(true);

        const [cookie] = await context.cookies();
        expect(cookie).toMatchObject({ name: "sop_session", httpOnly: true, sameSite: "Lax", path: "/" });
        expect(cookie!.value).not.toContain(TOKEN);
        expect(await page.evaluate(() => document.cookie)).toBe("");

        // Signed in, every page works (the pages read the API with the token, in process).
        for (const path of paths()) {
          const res = await page.goto(`${locked.url}${path}`);
          expect(res?.status(), path).toBe(200);
        }
        expect(problems.take()).toEqual([]);

        // A tampered cookie is no session.
        await context.addCookies([
          { ...cookie!, value: cookie!.value.replace(/^\d/, (d) => String((Number(d) + 1) % 10)) },
        ]);
        await page.goto(`${locked.url}/risk`);
        expect(new URL(page.url()).pathname).toBe("/signin");
        await context.addCookies([cookie!]);
        await page.goto(`${locked.url}/risk`);
        expect(new URL(page.url()).pathname).toBe("/risk");

        // Sessions end: after a week, and on signing out.
        lockedClock = NOW.getTime() + 8 * 24 * 3600 * 1000;
        await page.goto(`${locked.url}/risk`);
        expect(new URL(page.url()).pathname).toBe("/signin");
        lockedClock = NOW.getTime();
        await page.goto(`${locked.url}/risk`);
        expect(new URL(page.url()).pathname).toBe("/risk");
        await Promise.all([page.waitForURL(/\/signin/), page.click("text=Sign out")]);
        await page.goto(`${locked.url}/`);
        expect(new URL(page.url()).pathname).toBe("/signin");
      } finally {
        lockedClock = NOW.getTime();
        await context.close();
      }
    }, 120_000);

    it("slows down guessing: after 10 wrong secrets, sign-in answers 429", async () => {
      const attempt = (secret: string) =>
        fetch(`${locked.url}/signin`, {
          method: "POST",
          body: new URLSearchParams({ secret, next: "/" }),
          redirect: "manual",
        });
      for (let i = 0; i < 10; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401);
      const blocked = await attempt(TOKEN);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      // …and a cross-site form post is refused outright.
      const cross = await fetch(`${locked.url}/signin`, {
        method: "POST",
        headers: { origin: "https://evil.example" },
        body: new URLSearchParams({ secret: TOKEN }),
        redirect: "manual",
      });
      expect(cross.status).toBe(403);
    });
  });

  describe("without a secret", () => {
    it("is open to the local user, but not through a proxy or under another host name", async () => {
      const local = await rawGet(`${open.url}/risk`, {});
      expect(local.status).toBe(200);
      for (const headers of [
        { host: "dashboard.example.com" },
        { host: "evil.example:80" },
        { "x-forwarded-for": "203.0.113.9" },
        { forwarded: "for=203.0.113.9" },
      ] as Record<string, string>[]) {
        const res = await rawGet(`${open.url}/risk`, headers);
        expect(res.status, JSON.stringify(headers)).toBe(403);
        expect(res.body).toMatch(/SOP_DASHBOARD_SECRET/);
        expect(res.body).not.toMatch(/BOTTLES|Ridgeline|Data through/);
      }
    });

    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

    // Needs a non-loopback interface to connect from; CI machines and containers have one.
    it.runIf(external !== undefined)("refuses a visitor from another address", async () => {
      const { app } = testApp(db, { env: { HOST: "0.0.0.0" }, now: () => NOW });
      const server = await startHttpServer({
        fetch: app.fetch,
        port: 0,
        host: "0.0.0.0",
        logger,
        abort: new AbortController(),
      });
      try {
        const viaLoopback = await rawGet(`http://127.0.0.1:${server.port}/`, {});
        expect(viaLoopback.status).toBe(200);
        const remote = await rawGet(
          `http://${external}:${server.port}/`,
          { host: `localhost:${server.port}` },
          external,
        );
        expect(remote.status).toBe(403);
        expect(remote.body).not.toMatch(/Ridgeline|Data through/);
      } finally {
        await server.close(1000);
      }
    });
  });
});
