-- Demand planning: statistical forecast runs, the consensus plan built from them and the
-- overrides of sales and marketing, and what-if scenarios.

-- ---------------------------------------------------------------- forecast runs

-- One row per `sop forecast run` / POST /api/forecasts/run. At most one runs at a time
-- (the partial unique index); a run left 'running' by a process that died is marked
-- 'interrupted' by the next one (pid and hostname say whose it was).
CREATE TABLE forecast_runs (
  id bigserial PRIMARY KEY,
  cycle date NOT NULL CHECK (cycle = date_trunc('month', cycle)::date),
  horizon integer NOT NULL CHECK (horizon BETWEEN 1 AND 24),
  status text NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  source text NOT NULL DEFAULT 'api',
  actor text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  -- The last month of history the models saw: min(P, cycle − 1).
  history_to date,
  series integer NOT NULL DEFAULT 0 CHECK (series >= 0),
  done integer NOT NULL DEFAULT 0 CHECK (done >= 0),
  rows integer NOT NULL DEFAULT 0 CHECK (rows >= 0),
  workers integer NOT NULL DEFAULT 0,
  -- Seconds spent loading history, forecasting and writing.
  timings jsonb NOT NULL DEFAULT '{}',
  -- How many series each method was chosen for: [{"method", "series"}].
  models jsonb NOT NULL DEFAULT '[]',
  -- Statistical rows and consensus rows written: inserted, updated, deleted.
  statistical jsonb NOT NULL DEFAULT '{}',
  consensus jsonb NOT NULL DEFAULT '{}',
  message text,
  pid integer,
  hostname text,
  CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE UNIQUE INDEX forecast_runs_one_running ON forecast_runs ((true)) WHERE status = 'running';
CREATE INDEX forecast_runs_cycle ON forecast_runs (cycle, started_at DESC);

-- The model behind each statistical forecast of a cycle (replaced with the cycle's rows).
CREATE TABLE forecast_models (
  cycle date NOT NULL,
  sku text NOT NULL REFERENCES items (sku) ON DELETE CASCADE,
  location text NOT NULL REFERENCES locations (code),
  run_id bigint NOT NULL REFERENCES forecast_runs (id),
  -- A model name, or 'ensemble' (the mean of `members`).
  method text NOT NULL,
  members text[] NOT NULL,
  -- WAPE over the rolling-origin backtest holdout, a fraction; null when not backtested.
  backtest_error double precision,
  seasonal boolean NOT NULL,
  intermittent boolean NOT NULL,
  -- Months of history the model saw (from the first sale).
  history_months integer NOT NULL,
  PRIMARY KEY (cycle, sku, location)
);

-- ---------------------------------------------------------------- consensus

-- Overrides of the consensus plan by sales and marketing: a SKU's (or one SKU-location's) or a
-- family's units for one month of a cycle, with a reason. Never deleted: withdrawing one keeps
-- the record (who and why), and FVA by contributor reads them.
CREATE TABLE overrides (
  id bigserial PRIMARY KEY,
  cycle date NOT NULL CHECK (cycle = date_trunc('month', cycle)::date),
  period date NOT NULL CHECK (period = date_trunc('month', period)::date AND period >= cycle),
  scope text NOT NULL CHECK (scope IN ('sku', 'family')),
  sku text REFERENCES items (sku),
  location text REFERENCES locations (code),
  family text REFERENCES families (code),
  units double precision NOT NULL CHECK (units >= 0),
  reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 1000),
  slack_user_id text NOT NULL REFERENCES people (slack_user_id),
  role text NOT NULL CHECK (role IN ('sales', 'marketing')),
  status text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'withdrawn')),
  source text NOT NULL DEFAULT 'api',
  idempotency_key text UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  created_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  withdrawn_by text,
  withdraw_reason text,
  CHECK (CASE scope WHEN 'sku' THEN sku IS NOT NULL AND family IS NULL
                    ELSE family IS NOT NULL AND sku IS NULL AND location IS NULL END),
  CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
);
CREATE INDEX overrides_cycle ON overrides (cycle, status, id);
CREATE INDEX overrides_person ON overrides (slack_user_id, cycle);

-- What each accepted override puts in each SKU-location cell: a family's (or SKU's) units
-- spread in proportion to the statistical forecast. Recomputed when the cycle's statistical
-- forecast changes.
CREATE TABLE override_cells (
  override_id bigint NOT NULL REFERENCES overrides (id),
  sku text NOT NULL REFERENCES items (sku) ON DELETE CASCADE,
  location text NOT NULL REFERENCES locations (code),
  units double precision NOT NULL CHECK (units >= 0),
  -- The cell's share of the override, a fraction, and what the shares were taken from.
  share double precision NOT NULL,
  basis text NOT NULL CHECK (basis IN ('statistical', 'actuals', 'even', 'single')),
  PRIMARY KEY (override_id, sku, location)
);
CREATE INDEX override_cells_cell ON override_cells (sku, location);

-- A consensus imported from forecasts.csv for a cycle that sop then builds on (a forecast run
-- or an override): kept here as the base under the overrides, so that withdrawing an override
-- brings the imported number back.
CREATE TABLE consensus_imports (
  cycle date NOT NULL,
  sku text NOT NULL REFERENCES items (sku) ON DELETE CASCADE,
  location text NOT NULL REFERENCES locations (code),
  period date NOT NULL,
  units double precision NOT NULL,
  import_id bigint REFERENCES import_runs (id),
  PRIMARY KEY (cycle, sku, location, period)
);

-- ---------------------------------------------------------------- scenarios

CREATE TABLE scenarios (
  id bigserial PRIMARY KEY,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  -- The changes as validated by the API (api/domain/scenario.ts).
  changes jsonb NOT NULL,
  horizon integer NOT NULL CHECK (horizon BETWEEN 1 AND 12),
  created_by text,
  source text NOT NULL DEFAULT 'api',
  created_at timestamptz NOT NULL DEFAULT now(),
  -- P and the data version the saved figures were computed from, and the figures.
  last_period date,
  data_version bigint NOT NULL,
  result jsonb NOT NULL
);

-- Scenarios attached to a cycle step (the pre-S&OP approval card shows them).
CREATE TABLE step_scenarios (
  cycle date NOT NULL,
  step text NOT NULL,
  scenario_id bigint NOT NULL REFERENCES scenarios (id),
  attached_by text,
  attached_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (cycle, step, scenario_id),
  FOREIGN KEY (cycle, step) REFERENCES cycle_steps (cycle, key) ON DELETE CASCADE
);
CREATE INDEX step_scenarios_scenario ON step_scenarios (scenario_id);
