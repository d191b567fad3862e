-- A cycle's plan summed per family, location and month, kept for the data version it was
-- summed at. The company-wide plan summary (the dashboard's Plan page, by family or location)
-- reads these few thousand rows instead of every forecast of the cycle: 390,000 rows and 1.4 s
-- at 30,000 SKU-locations. Filled on first read at a version; a new data version (any import,
-- forecast run or consensus change) makes the next read sum the cycle again.
CREATE TABLE consensus_totals_state (
  cycle date PRIMARY KEY CHECK (cycle = date_trunc('month', cycle)::date),
  version bigint NOT NULL
);

CREATE TABLE consensus_totals (
  cycle date NOT NULL REFERENCES consensus_totals_state (cycle) ON DELETE CASCADE,
  family text NOT NULL,
  location text NOT NULL,
  period date NOT NULL,
  -- Null where no SKU-location of the group has a forecast of that source in the month.
  statistical double precision,
  consensus double precision,
  PRIMARY KEY (cycle, family, location, period)
);
