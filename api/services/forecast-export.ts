/**
 * Forecasts as CSV in the import format (`sku,location,period,units,source,cycle`), so an
 * export is read back by `sop import forecasts` unchanged. Rows come in pages by key, so a
 * cycle of hundreds of thousands of rows streams without holding the database.
 */
import type { Db } from "../../db/client.js";
import { forecastRowsAfter } from "../../db/repositories/forecast-runs.js";
import { firstDayOfPeriod, type Period, toPeriod } from "../domain/periods.js";

export const FORECAST_CSV_HEADER = "sku,location,period,units,source,cycle";

const PAGE = 20_000;
const SPECIAL = /[",\r\n]/;
const cell = (s: string) => (SPECIAL.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * The CSV text in chunks: the header line, then one chunk per page of rows. Units are written
 * with JavaScript's shortest round-trip form, so the numbers read back are the same numbers.
 */
export async function* forecastsCsv(db: Db, q: { source: string; cycle: Period }): AsyncGenerator<string> {
  yield `${FORECAST_CSV_HEADER}\n`;
  const cycle = firstDayOfPeriod(q.cycle);
  let after: { sku: string; location: string; period: string } | null = null;
  for (;;) {
    const rows = await forecastRowsAfter(db, { source: q.source, cycle, after, limit: PAGE });
    if (rows.length === 0) return;
    let out = "";
    for (const r of rows) {
      out += `${cell(r.sku)},${cell(r.location)},${toPeriod(r.period)},${String(r.units)},${r.source},${q.cycle}\n`;
    }
    yield out;
    const last = rows.at(-1)!;
    after = { sku: last.sku, location: last.location, period: last.period };
    if (rows.length < PAGE) return;
  }
}
