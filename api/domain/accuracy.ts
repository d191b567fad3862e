/**
 * Forecast accuracy, bias, tracking signal and forecast value added (DOMAIN.md, "Forecast
 * accuracy"). Units in, fractions out. e = F − A everywhere: positive means over-forecast.
 *
 * Each measure comes in two forms: from rows (one per forecast), and from sums, so that a
 * service can let SQL aggregate millions of rows per scope and only hand over the totals.
 */

import { addMonths, type Period } from "./periods.js";

/** One forecast of the scope and its actual (0 when no sale was recorded). Units. */
export interface AccuracyRow {
  actual: number;
  forecast: number;
}

/** What every accuracy measure needs; all additive, so scopes can be summed in SQL. */
export interface AccuracySums {
  /** Number of forecasts. */
  rows: number;
  /** ΣA, units. */
  actualUnits: number;
  /** ΣF, units. */
  forecastUnits: number;
  /** Σ|F − A|, units. */
  absErrorUnits: number;
  /** Σ |F − A| / A over rows with A > 0 (a sum of fractions). */
  apeSum: number;
  /** Number of rows with A > 0. */
  apeRows: number;
}

export interface Accuracy {
  rows: number;
  /** ΣA, units. */
  actualUnits: number;
  /** ΣF, units. */
  forecastUnits: number;
  /** Σ|e| / ΣA, a fraction; null when ΣA = 0. */
  wape: number | null;
  /** max(0, 1 − WAPE), a fraction; null when WAPE is. */
  accuracy: number | null;
  /** Σe / ΣA, a fraction (positive = over-forecast); null when ΣA = 0. */
  bias: number | null;
  /** Mean of |e| / A over rows with A > 0, a fraction; null when there are none. */
  mape: number | null;
}

/** Adds the rows up for {@link accuracyFromSums}. */
export function accuracySums(rows: Iterable<AccuracyRow>): AccuracySums {
  let n = 0;
  let actualUnits = 0;
  let forecastUnits = 0;
  let absErrorUnits = 0;
  let apeSum = 0;
  let apeRows = 0;
  for (const { actual, forecast } of rows) {
    n++;
    actualUnits += actual;
    forecastUnits += forecast;
    const abs = Math.abs(forecast - actual);
    absErrorUnits += abs;
    if (actual > 0) {
      apeSum += abs / actual;
      apeRows++;
    }
  }
  return { rows: n, actualUnits, forecastUnits, absErrorUnits, apeSum, apeRows };
}

/** WAPE, accuracy, bias and MAPE from pre-aggregated sums (see {@link AccuracySums}). */
export function accuracyFromSums(s: AccuracySums): Accuracy {
  const wape = s.actualUnits > 0 ? s.absErrorUnits / s.actualUnits : null;
  return {
    rows: s.rows,
    actualUnits: s.actualUnits,
    forecastUnits: s.forecastUnits,
    wape,
    accuracy: wape === null ? null : Math.max(0, 1 - wape),
    bias: s.actualUnits > 0 ? (s.forecastUnits - s.actualUnits) / s.actualUnits : null,
    mape: s.apeRows > 0 ? s.apeSum / s.apeRows : null,
  };
}

/** WAPE, accuracy, bias and MAPE of a scope's forecasts (fractions; see {@link Accuracy}). */
export function forecastAccuracy(rows: Iterable<AccuracyRow>): Accuracy {
  return accuracyFromSums(accuracySums(rows));
}

/** |TS| above this flags a SKU-location's forecast as biased. */
export const TRACKING_SIGNAL_LIMIT = 4;

export interface TrackingSignal {
  /** Σe / MAD, in MADs (dimensionless); 0 when MAD = 0. */
  signal: number;
  /** Mean |e|, units; 0 for no errors. */
  mad: number;
  /** Σe, units (positive = over-forecast). */
  sumError: number;
  /** |signal| > {@link TRACKING_SIGNAL_LIMIT}. */
  flagged: boolean;
}

/**
 * Tracking signal of one SKU-location from its forecast errors e = F − A, in units (DOMAIN:
 * consensus, lag 1, the last 6 closed periods). A positive signal means persistent
 * over-forecasting. With MAD = 0 every error is 0, so there is no bias to signal: 0.
 */
export function trackingSignal(errors: ArrayLike<number>): TrackingSignal {
  let sumError = 0;
  let sumAbs = 0;
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i] as number;
    sumError += e;
    sumAbs += Math.abs(e);
  }
  const mad = errors.length > 0 ? sumAbs / errors.length : 0;
  const signal = mad > 0 ? sumError / mad : 0;
  return { signal, mad, sumError, flagged: Math.abs(signal) > TRACKING_SIGNAL_LIMIT };
}

/**
 * The period whose actual is the naive forecast of `period` at `lag`: A(p − k − 1), the last
 * actual known when a lag-k forecast was made.
 */
export function naivePeriod(period: Period, lag: number): Period {
  return addMonths(period, -lag - 1);
}

/**
 * One target SKU-location-period for FVA, units. A null forecast (or naive actual, when its
 * month is not in the history) leaves the row out: FVA only compares forecasts on the same rows.
 */
export interface FvaRow {
  actual: number;
  /** A(p − k − 1); null when that month is not in the history. */
  naive: number | null;
  statistical: number | null;
  consensus: number | null;
}

/** Additive FVA totals over the comparable rows, for SQL-side aggregation. */
export interface FvaSums {
  rows: number;
  /** ΣA, units. */
  actualUnits: number;
  /** Σ|naive − A|, units. */
  naiveAbsError: number;
  /** Σ|statistical − A|, units. */
  statisticalAbsError: number;
  /** Σ|consensus − A|, units. */
  consensusAbsError: number;
}

export interface Fva {
  /** Rows that had all three forecasts. */
  rows: number;
  /** ΣA over those rows, units. */
  actualUnits: number;
  /** WAPE of each forecast over those rows, fractions; null when ΣA = 0. */
  naiveWape: number | null;
  statisticalWape: number | null;
  consensusWape: number | null;
  /** WAPE(naive) − WAPE(statistical), a fraction; positive = the statistical model helped. */
  naiveToStatistical: number | null;
  /** WAPE(statistical) − WAPE(consensus), a fraction; positive = the consensus step helped. */
  statisticalToConsensus: number | null;
}

/** Adds up the rows that have a naive, a statistical and a consensus forecast. */
export function fvaSums(rows: Iterable<FvaRow>): FvaSums {
  let n = 0;
  let actualUnits = 0;
  let naiveAbsError = 0;
  let statisticalAbsError = 0;
  let consensusAbsError = 0;
  for (const { actual, naive, statistical, consensus } of rows) {
    if (naive === null || statistical === null || consensus === null) continue;
    n++;
    actualUnits += actual;
    naiveAbsError += Math.abs(naive - actual);
    statisticalAbsError += Math.abs(statistical - actual);
    consensusAbsError += Math.abs(consensus - actual);
  }
  return { rows: n, actualUnits, naiveAbsError, statisticalAbsError, consensusAbsError };
}

/** Forecast value added from {@link FvaSums} (fractions of WAPE). */
export function fvaFromSums(s: FvaSums): Fva {
  const wape = (abs: number) => (s.actualUnits > 0 ? abs / s.actualUnits : null);
  const naiveWape = wape(s.naiveAbsError);
  const statisticalWape = wape(s.statisticalAbsError);
  const consensusWape = wape(s.consensusAbsError);
  return {
    rows: s.rows,
    actualUnits: s.actualUnits,
    naiveWape,
    statisticalWape,
    consensusWape,
    naiveToStatistical: naiveWape === null || statisticalWape === null ? null : naiveWape - statisticalWape,
    statisticalToConsensus:
      statisticalWape === null || consensusWape === null ? null : statisticalWape - consensusWape,
  };
}

/** Forecast value added over the comparable rows (see {@link FvaRow}); fractions of WAPE. */
export function forecastValueAdded(rows: Iterable<FvaRow>): Fva {
  return fvaFromSums(fvaSums(rows));
}
