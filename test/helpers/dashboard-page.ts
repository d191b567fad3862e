/**
 * Reading the dashboard's pages in Chromium the way its tests compare them with the API: tables
 * by their accessible name (rows by data-key, cells by data-col with the raw data-sort value and
 * the text), KPI tiles by data-kpi, numbers as api/domain/format.ts writes them.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { formatMoney, formatNumber, formatPercent, formatUnits } from "../../api/domain/format.js";

export type Kind = "percent" | "money" | "units" | "number" | "count";

/** How the dashboard must write a number (api/domain/format.ts, en-US, USD). */
export function written(value: number | null | undefined, kind: Kind): string {
  if (value === null || value === undefined) return "—";
  switch (kind) {
    case "percent":
      return formatPercent(value, "en-US");
    case "money":
      return formatMoney(value, "en-US", "USD");
    case "units":
    case "count":
      return formatUnits(value, "en-US");
    case "number":
      return formatNumber(value, "en-US", 1);
  }
}

export interface Cell {
  sort: string | null;
  text: string;
}

/** The rows of the table named `label`: data-key and, per data-col, the raw sort value and text. */
export function readTable(
  page: Page,
  label: string,
): Promise<{ key: string | null; cells: Record<string, Cell> }[]> {
  return page.$$eval(`section.table-wrap[aria-label="${label}"] tbody tr`, (rows) =>
    rows.map((r) => ({
      key: r.getAttribute("data-key"),
      cells: Object.fromEntries(
        [...r.children]
          .filter((c) => c.getAttribute("data-col"))
          .map((c) => [
            c.getAttribute("data-col"),
            { sort: c.getAttribute("data-sort"), text: c.textContent?.trim() ?? "" },
          ]),
      ),
    })),
  );
}

/** The KPI tiles: data-kpi → raw value, text and change. */
export async function readTiles(
  page: Page,
): Promise<Record<string, { value: string; text: string; change: string | null }>> {
  const tiles = await page.$$eval("li.tile", (els) =>
    els.map((e) => ({
      id: (e as HTMLElement).dataset.kpi ?? "",
      value: (e as HTMLElement).dataset.value ?? "",
      text: e.querySelector(".value")?.textContent?.trim() ?? "",
      change: (e.querySelector(".change") as HTMLElement | null)?.dataset.change ?? null,
    })),
  );
  return Object.fromEntries(tiles.map((t) => [t.id, t]));
}

export function expectTile(
  tile: { value: string; text: string } | undefined,
  value: number | null,
  kind: Kind,
) {
  expect(tile, "tile missing").toBeDefined();
  expect(tile!.value).toBe(value === null ? "" : String(value));
  expect(tile!.text).toBe(written(value, kind));
}

export function expectCell(cell: Cell | undefined, value: number | null, kind: Kind) {
  expect(cell, "cell missing").toBeDefined();
  expect(cell!.sort).toBe(value === null ? "" : String(value));
  expect(cell!.text).toBe(written(value, kind));
}

/** The 200 body of a typed client answer. */
export async function ok<R extends { status: number; json(): Promise<unknown> }>(
  res: R | Promise<R>,
): Promise<Awaited<ReturnType<Extract<R, { status: 200 }>["json"]>>> {
  const r = await res;
  const body = await r.json();
  expect(r.status, JSON.stringify(body).slice(0, 300)).toBe(200);
  return body as Awaited<ReturnType<Extract<R, { status: 200 }>["json"]>>;
}
