-- What the KPI answers aggregate, computed with the plan when the fact base changes, so a
-- request at 10,000 SKUs × 3 locations sums a few thousand rows instead of joining millions.
-- Everything here is derived: a refresh rebuilds it from the fact base.

-- The risk figures of each plan line at the default horizon (H = 6), computed by api/domain
-- during the refresh: ranking, filtering and totals then run in SQL.
ALTER TABLE plan_lines
  ADD COLUMN stockout_probability double precision NOT NULL DEFAULT 0,
  ADD COLUMN risk text NOT NULL DEFAULT 'low' CHECK (risk IN ('high', 'medium', 'low')),
  ADD COLUMN first_stockout date,
  ADD COLUMN order_by date,
  ADD COLUMN shortage_units double precision NOT NULL DEFAULT 0,
  ADD COLUMN value_at_risk double precision NOT NULL DEFAULT 0,
  ADD COLUMN days_of_supply double precision,
  ADD COLUMN safety_stock double precision NOT NULL DEFAULT 0,
  ADD COLUMN forward_demand double precision NOT NULL DEFAULT 0,
  ADD COLUMN excess_units double precision NOT NULL DEFAULT 0,
  ADD COLUMN excess_value double precision NOT NULL DEFAULT 0,
  ADD COLUMN slow_moving boolean NOT NULL DEFAULT false,
  ADD COLUMN tracking_signal double precision NOT NULL DEFAULT 0;

-- Demand plan per family and month for P+1 … P+12 (all locations), for capacity gaps.
CREATE TABLE family_demand (
  family text NOT NULL REFERENCES families (code) ON DELETE CASCADE,
  period date NOT NULL,
  units double precision NOT NULL,
  PRIMARY KEY (family, period)
);

-- Additive accuracy sums per family, location, target period, source and lag (closed periods).
CREATE TABLE accuracy_cells (
  family text NOT NULL,
  location text NOT NULL,
  period date NOT NULL,
  source text NOT NULL,
  lag smallint NOT NULL,
  rows integer NOT NULL,
  actual_units double precision NOT NULL,
  forecast_units double precision NOT NULL,
  abs_error_units double precision NOT NULL,
  ape_sum double precision NOT NULL,
  ape_rows integer NOT NULL,
  PRIMARY KEY (source, lag, period, family, location)
);

-- Additive FVA sums (naive, statistical, consensus on the same rows) per family, location,
-- period and lag.
CREATE TABLE fva_cells (
  family text NOT NULL,
  location text NOT NULL,
  period date NOT NULL,
  lag smallint NOT NULL,
  rows integer NOT NULL,
  actual_units double precision NOT NULL,
  naive_abs_error double precision NOT NULL,
  statistical_abs_error double precision NOT NULL,
  consensus_abs_error double precision NOT NULL,
  PRIMARY KEY (lag, period, family, location)
);

-- Lag-1 accuracy sums per SKU-location and source over P−11 … P: the "worst" lists.
CREATE TABLE accuracy_lines (
  sku text NOT NULL,
  location text NOT NULL,
  family text NOT NULL,
  source text NOT NULL,
  rows integer NOT NULL,
  actual_units double precision NOT NULL,
  forecast_units double precision NOT NULL,
  abs_error_units double precision NOT NULL,
  ape_sum double precision NOT NULL,
  ape_rows integer NOT NULL,
  PRIMARY KEY (source, sku, location)
);
CREATE INDEX accuracy_lines_worst ON accuracy_lines (source, abs_error_units DESC);

-- Units, cost of goods sold and revenue per family, location and month.
CREATE TABLE sales_cells (
  family text NOT NULL,
  location text NOT NULL,
  period date NOT NULL,
  units double precision NOT NULL,
  cogs double precision NOT NULL,
  revenue double precision NOT NULL,
  PRIMARY KEY (period, family, location)
);

-- Month-end inventory (the latest snapshot in the month per SKU-location) per family and
-- location, valued at unit cost.
CREATE TABLE inventory_cells (
  family text NOT NULL,
  location text NOT NULL,
  period date NOT NULL,
  units double precision NOT NULL,
  value double precision NOT NULL,
  PRIMARY KEY (period, family, location)
);
