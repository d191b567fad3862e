/**
 * The revenue of a sales row that gives none, computed in Node exactly as the import's merge
 * computes it in SQL: `round((units * unit_price)::numeric, 2)`. A first load writes its rows
 * straight into the empty fact table (no staging, no merge), so it needs the same figure.
 *
 * PostgreSQL evaluates that expression in three steps, each reproduced here:
 * 1. `float8 * numeric` resolves to `float8 * float8`: a double product, as in JavaScript.
 * 2. `::numeric` prints the double with `%.15g`: 15 significant digits, a tie going to the
 *    even digit (glibc rounds the exact binary value). `toPrecision(15)` agrees except on an
 *    exact tie, where it rounds up; ties take the exact path below.
 * 3. `round(…, 2)` rounds half away from zero.
 */
export function salesRevenue(units: number, unitPrice: number): string {
  const x = units * unitPrice;
  // The fast path (all but about one row in a hundred; toPrecision costs 1.5 µs a row). The
  // 15-digit rounding moves x by at most 5e-15 of itself, so when no half cent lies within that
  // of x, rounding x × 100 to the nearest whole cent gives the same cents as the three steps.
  const y = x * 100;
  if (y > 0 && y < 1e15) {
    const whole = Math.floor(y);
    const fraction = y - whole;
    if (Math.abs(fraction - 0.5) > y * 6e-15) return centsText(fraction > 0.5 ? whole + 1 : whole);
  }
  return exactSalesRevenue(x);
}

function centsText(cents: number): string {
  const r = cents % 100;
  return `${(cents - r) / 100}.${r < 10 ? "0" : ""}${r}`;
}

/** The three steps done literally, on decimal text: the reference the fast path is tested against. */
export function exactSalesRevenue(x: number): string {
  if (!Number.isFinite(x)) return String(x); // refused by the numeric(16,2) column, as in SQL
  if (x === 0) return "0.00";
  // An exact tie at 15 digits has exactly 16 significant digits, the last a 5.
  const sixteen = x.toPrecision(16);
  const mantissaEnd = sixteen.indexOf("e");
  const last = sixteen.charAt((mantissaEnd === -1 ? sixteen.length : mantissaEnd) - 1);
  const fifteen = last === "5" && Math.abs(x) < 1e21 ? roundTiesToEven15(x) : x.toPrecision(15);
  return roundHalfAwayToCents(fifteen);
}

/** `%.15g` of `x`, from its exact decimal expansion (|x| < 1e21, where toFixed is exact). */
function roundTiesToEven15(x: number): string {
  const negative = x < 0;
  const exact = Math.abs(x).toFixed(100); // every digit of a double ≥ 2^-48; smaller ones print as 0.00
  const dot = exact.indexOf(".");
  const digits = exact.slice(0, dot) + exact.slice(dot + 1);
  const first = digits.search(/[1-9]/);
  if (first === -1) return "0";
  const pointAt = dot; // the decimal point sits after `dot` digits of `digits`
  let kept = BigInt(digits.slice(first, first + 15));
  const rest = digits.slice(first + 15);
  const half = rest.charAt(0);
  const tail = /[1-9]/.test(rest.slice(1));
  if (half > "5" || (half === "5" && (tail || kept % 2n === 1n))) kept += 1n;
  // kept × 10^(pointAt − first − 15) is the value.
  const text = scaled(kept, pointAt - first - 15);
  return negative ? `-${text}` : text;
}

/** `n × 10^exponent` as plain decimal text. */
function scaled(n: bigint, exponent: number): string {
  const s = n.toString();
  if (exponent >= 0) return s + "0".repeat(exponent);
  const point = s.length + exponent;
  return point > 0 ? `${s.slice(0, point)}.${s.slice(point)}` : `0.${"0".repeat(-point)}${s}`;
}

/** Rounds decimal text (plain or with an exponent) to 2 decimals, half away from zero. */
function roundHalfAwayToCents(text: string): string {
  let negative = false;
  let s = text;
  if (s.startsWith("-")) {
    negative = true;
    s = s.slice(1);
  }
  const e = s.indexOf("e");
  if (e !== -1) {
    const mantissa = s.slice(0, e);
    const dot = mantissa.indexOf(".");
    const digits = dot === -1 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
    const intDigits = (dot === -1 ? mantissa.length : dot) + Number(s.slice(e + 1));
    s = scaled(BigInt(digits), intDigits - digits.length);
  }
  const dot = s.indexOf(".");
  const whole = dot === -1 ? s : s.slice(0, dot);
  const fraction = dot === -1 ? "" : s.slice(dot + 1);
  const up = fraction.charCodeAt(2) >= 53; // the third decimal is 5…9
  const digits = whole + fraction.slice(0, 2).padEnd(2, "0");
  // Below 2^53 cents a double counts them exactly; beyond, a BigInt does.
  const cents =
    digits.length <= 15 ? String(Number(digits) + (up ? 1 : 0)) : String(BigInt(digits) + (up ? 1n : 0n));
  const c = cents.padStart(3, "0");
  const out = `${c.slice(0, -2)}.${c.slice(-2)}`;
  return negative && /[1-9]/.test(c) ? `-${out}` : out;
}
