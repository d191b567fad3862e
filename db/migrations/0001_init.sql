-- The whole S&OP domain (see README "Data model"). Forward-only: never edit an applied
-- migration; add the next numbered file instead.
--
-- Conventions: months are `date` values on the first of the month (CHECK), quantities are
-- double precision (units may be fractional, sums over millions of rows stay fast), money
-- is numeric. Every table that an import writes remembers the import run.

-- ---------------------------------------------------------------- reference data

CREATE TABLE roles (
  key text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT ''
);

INSERT INTO roles (key, name, description) VALUES
  ('planner', 'Planner', 'S&OP process owner'),
  ('sales', 'Sales', 'Sales input to the demand plan'),
  ('marketing', 'Marketing', 'Marketing input to the demand plan'),
  ('operations', 'Operations', 'Supply review: inventory, open supply and capacity'),
  ('finance', 'Finance', 'Financial reconciliation of the plan'),
  ('executive', 'Executive', 'Decides trade-offs and commits the plan'),
  ('admin', 'Admin', 'Manages settings and people');

CREATE TABLE import_runs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('items', 'sales', 'forecasts', 'inventory', 'supply', 'capacity')),
  file_name text,
  source text NOT NULL DEFAULT 'cli' CHECK (source IN ('cli', 'api', 'demo', 'test')),
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  rows integer NOT NULL DEFAULT 0 CHECK (rows >= 0),
  inserted integer NOT NULL DEFAULT 0 CHECK (inserted >= 0),
  updated integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
  unchanged integer NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
  deleted integer NOT NULL DEFAULT 0 CHECK (deleted >= 0),
  error_count integer NOT NULL DEFAULT 0 CHECK (error_count >= 0),
  errors jsonb NOT NULL DEFAULT '[]',
  message text,
  pid integer,
  hostname text,
  CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX import_runs_kind_started ON import_runs (kind, started_at DESC);

CREATE TABLE families (
  code text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64 AND code = btrim(code)),
  name text NOT NULL DEFAULT ''
);

CREATE TABLE locations (
  code text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64 AND code = btrim(code)),
  name text NOT NULL DEFAULT ''
);
INSERT INTO locations (code, name) VALUES ('MAIN', 'Main warehouse');

-- ---------------------------------------------------------------- fact base

CREATE TABLE items (
  sku text PRIMARY KEY CHECK (length(sku) BETWEEN 1 AND 64 AND sku = btrim(sku)),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  family text NOT NULL REFERENCES families (code),
  unit_cost numeric(14, 4) NOT NULL CHECK (unit_cost >= 0),
  unit_price numeric(14, 4) NOT NULL CHECK (unit_price >= 0),
  lead_time_days integer NOT NULL CHECK (lead_time_days BETWEEN 0 AND 3650),
  service_level numeric(6, 5) NOT NULL DEFAULT 0.95 CHECK (service_level >= 0.5 AND service_level < 1),
  import_id bigint REFERENCES import_runs (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX items_family ON items (family, sku);

CREATE TABLE sales (
  sku text NOT NULL REFERENCES items (sku),
  location text NOT NULL REFERENCES locations (code),
  period date NOT NULL CHECK (period = date_trunc('month', period)::date),
  units double precision NOT NULL CHECK (units >= 0),
  -- Given in the file, or units × unit_price at import time (history keeps its prices).
  revenue numeric(16, 2) NOT NULL CHECK (revenue >= 0),
  import_id bigint REFERENCES import_runs (id),
  PRIMARY KEY (sku, location, period)
);
CREATE INDEX sales_period ON sales (period);

CREATE TABLE forecasts (
  sku text NOT NULL REFERENCES items (sku),
  location text NOT NULL REFERENCES locations (code),
  period date NOT NULL CHECK (period = date_trunc('month', period)::date),
  source text NOT NULL CHECK (source IN ('statistical', 'sales', 'marketing', 'consensus')),
  -- The month in which the forecast was made.
  cycle date NOT NULL CHECK (cycle = date_trunc('month', cycle)::date),
  units double precision NOT NULL CHECK (units >= 0),
  -- period − cycle in months (lag 1: made the month before).
  lag smallint GENERATED ALWAYS AS (
    ((extract(year FROM period)::int * 12 + extract(month FROM period)::int)
      - (extract(year FROM cycle)::int * 12 + extract(month FROM cycle)::int))::smallint
  ) STORED,
  import_id bigint REFERENCES import_runs (id),
  PRIMARY KEY (sku, location, period, source, cycle)
);
CREATE INDEX forecasts_source_lag_period ON forecasts (source, lag, period);
CREATE INDEX forecasts_cycle_source ON forecasts (cycle, source);

CREATE TABLE inventory (
  sku text NOT NULL REFERENCES items (sku),
  location text NOT NULL REFERENCES locations (code),
  as_of date NOT NULL,
  on_hand double precision NOT NULL CHECK (on_hand >= 0),
  import_id bigint REFERENCES import_runs (id),
  PRIMARY KEY (sku, location, as_of)
);
CREATE INDEX inventory_as_of ON inventory (as_of);

-- A snapshot of open supply: an import replaces all of it.
CREATE TABLE supply (
  id bigserial PRIMARY KEY,
  sku text NOT NULL REFERENCES items (sku),
  location text NOT NULL REFERENCES locations (code),
  due date NOT NULL,
  units double precision NOT NULL CHECK (units > 0),
  type text NOT NULL CHECK (type IN ('purchase', 'production', 'transfer')),
  reference text NOT NULL DEFAULT '',
  import_id bigint REFERENCES import_runs (id)
);
CREATE INDEX supply_sku_location_due ON supply (sku, location, due);
CREATE INDEX supply_reference ON supply (reference);

CREATE TABLE capacity (
  family text NOT NULL REFERENCES families (code),
  period date NOT NULL CHECK (period = date_trunc('month', period)::date),
  units double precision NOT NULL CHECK (units >= 0),
  import_id bigint REFERENCES import_runs (id),
  PRIMARY KEY (family, period)
);

-- ---------------------------------------------------------------- people and settings

CREATE TABLE people (
  slack_user_id text PRIMARY KEY CHECK (slack_user_id ~ '^[UW][A-Z0-9]{2,30}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email text CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$'),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE person_roles (
  slack_user_id text NOT NULL REFERENCES people (slack_user_id) ON DELETE CASCADE,
  role text NOT NULL REFERENCES roles (key),
  PRIMARY KEY (slack_user_id, role)
);
CREATE INDEX person_roles_role ON person_roles (role);

-- One row: the company's settings.
CREATE TABLE company_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  name text NOT NULL DEFAULT 'My company',
  timezone text NOT NULL DEFAULT 'UTC',
  channel text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO company_settings DEFAULT VALUES;

CREATE TABLE holidays (
  day date PRIMARY KEY,
  name text NOT NULL DEFAULT ''
);

-- The step calendar: which steps a cycle has, when each is due and who signs it.
CREATE TABLE step_definitions (
  key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  position integer NOT NULL UNIQUE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- Business day of the month it is due; NULL means the last day of the month.
  due_business_day integer CHECK (due_business_day BETWEEN 1 AND 23),
  roles text[] NOT NULL DEFAULT '{}',
  CHECK (roles <@ ARRAY['planner', 'sales', 'marketing', 'operations', 'finance', 'executive', 'admin']::text[])
);

INSERT INTO step_definitions (key, position, name, description, due_business_day, roles) VALUES
  ('data', 1, 'Data gathering', 'Actuals, inventory and open POs imported', 3, '{planner}'),
  ('demand', 2, 'Demand review', 'Statistical forecast + sales/marketing input → consensus demand plan', 6, '{sales,marketing}'),
  ('supply', 3, 'Supply review', 'Can inventory, open supply and capacity meet the plan? Gaps and options', 9, '{operations}'),
  ('pre', 4, 'Pre-S&OP', 'Mismatches resolved or escalated with options', 12, '{planner,finance}'),
  ('exec', 5, 'Executive S&OP', 'Trade-offs decided, plan committed', 15, '{executive}'),
  ('execution', 6, 'Execution & monitoring', 'Variance against plan tracked', NULL, '{}');

-- ---------------------------------------------------------------- cycles and sign-offs

CREATE TABLE cycles (
  month date PRIMARY KEY CHECK (month = date_trunc('month', month)::date),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  timezone text NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  opened_by text,
  closed_at timestamptz,
  -- Set by the executive approval; cleared when an executive reopens the step.
  plan_locked_at timestamptz,
  plan_locked_by text REFERENCES people (slack_user_id)
);

CREATE TABLE cycle_steps (
  cycle date NOT NULL REFERENCES cycles (month) ON DELETE CASCADE,
  key text NOT NULL,
  position integer NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  due_date date NOT NULL,
  roles text[] NOT NULL DEFAULT '{}',
  signed_at timestamptz,
  PRIMARY KEY (cycle, key),
  UNIQUE (cycle, position)
);

CREATE TABLE signoffs (
  id bigserial PRIMARY KEY,
  cycle date NOT NULL,
  step text NOT NULL,
  slack_user_id text NOT NULL REFERENCES people (slack_user_id),
  -- The required roles this decision speaks for (the person's roles that the step needs).
  roles text[] NOT NULL CHECK (cardinality(roles) > 0),
  decision text NOT NULL CHECK (decision IN ('approve', 'request_changes')),
  comment text,
  source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'slack', 'console', 'dashboard', 'demo')),
  idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (cycle, step) REFERENCES cycle_steps (cycle, key) ON DELETE CASCADE,
  CHECK (decision = 'approve' OR length(btrim(coalesce(comment, ''))) > 0)
);
CREATE INDEX signoffs_cycle_step ON signoffs (cycle, step, created_at);

-- Append-only: every decision and every change of settings, people and cycles.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text,
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text,
  source text NOT NULL DEFAULT 'api',
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- ---------------------------------------------------------------- jobs

-- One row per job run key (job + period + target): a run is claimed once.
CREATE TABLE job_runs (
  job text NOT NULL,
  period text NOT NULL,
  target text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'skipped')),
  scheduled_for timestamptz NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  claimed_by text NOT NULL,
  finished_at timestamptz,
  attempts integer NOT NULL DEFAULT 1,
  details jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (job, period, target)
);
CREATE INDEX job_runs_job_claimed ON job_runs (job, claimed_at DESC);

-- Every outgoing message is a row here before it is sent.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  job text NOT NULL,
  period text NOT NULL,
  target text NOT NULL DEFAULT '',
  dedupe_key text NOT NULL UNIQUE,
  channel text NOT NULL,
  kind text NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'dm', 'file')),
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  slack_ts text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  FOREIGN KEY (job, period, target) REFERENCES job_runs (job, period, target)
);
CREATE INDEX outbox_pending ON outbox (status, id) WHERE status = 'pending';
