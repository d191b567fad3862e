-- The current plan, materialised: what the KPIs need per SKU-location, recomputed from the
-- fact base when it changes, so a request reads one row per SKU-location instead of
-- aggregating millions of forecast rows.

-- One row: a counter bumped by every change of the fact base, and the version the
-- materialised plan was computed from. plan_version < version means the plan is stale.
CREATE TABLE data_state (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL DEFAULT 1,
  changed_at timestamptz NOT NULL DEFAULT now(),
  plan_version bigint NOT NULL DEFAULT 0,
  plan_refreshed_at timestamptz,
  plan_seconds double precision,
  -- P: the latest month in the sales history when the plan was computed.
  last_period date
);
INSERT INTO data_state DEFAULT VALUES;

CREATE TABLE plan_lines (
  sku text NOT NULL REFERENCES items (sku) ON DELETE CASCADE,
  location text NOT NULL REFERENCES locations (code),
  -- B0 and d0: the latest inventory snapshot; NULL as_of means none (B0 = 0 at the end of P).
  on_hand double precision NOT NULL,
  as_of date,
  -- The first projection month: the month of d0 + 1 day.
  start_period date NOT NULL CHECK (start_period = date_trunc('month', start_period)::date),
  -- The demand plan for 24 months from start_period (units per month, not pro-rated), and
  -- where each month's figure came from: c = consensus, s = statistical, a = actuals. 24 so
  -- that a stale snapshot still leaves P+1…P+12 inside the array.
  demand double precision[] NOT NULL CHECK (cardinality(demand) = 24),
  basis text NOT NULL CHECK (length(basis) = 24),
  -- σ for safety stock and stock-out probability, and what it was computed from.
  sigma double precision NOT NULL,
  sigma_basis text NOT NULL CHECK (sigma_basis IN ('errors', 'actuals')),
  -- Σe and mean |e| of consensus lag-1 forecasts over the last 6 closed periods.
  ts_sum_error double precision NOT NULL,
  ts_mad double precision NOT NULL,
  -- Units sold in P−5…P (slow movers).
  recent_units double precision NOT NULL,
  PRIMARY KEY (sku, location)
);
CREATE INDEX plan_lines_location ON plan_lines (location);

-- Headline figures per last closed period, kept so that a month can be compared with the one
-- before it even for figures that depend on the state of the plan at the time (value at risk,
-- excess, capacity gaps).
CREATE TABLE kpi_snapshots (
  last_period date PRIMARY KEY,
  computed_at timestamptz NOT NULL DEFAULT now(),
  data_version bigint NOT NULL,
  figures jsonb NOT NULL
);

-- ABC/XYZ per SKU over P−11…P, computed with the plan (ABC ranks every SKU against the rest).
CREATE TABLE sku_segments (
  sku text PRIMARY KEY REFERENCES items (sku) ON DELETE CASCADE,
  revenue numeric(18, 2) NOT NULL,
  revenue_share double precision NOT NULL,
  abc text NOT NULL CHECK (abc IN ('A', 'B', 'C')),
  cv double precision,
  xyz text NOT NULL CHECK (xyz IN ('X', 'Y', 'Z'))
);
