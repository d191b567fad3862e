-- The data version a cycle's consensus was last rebuilt whole at. While the version has not
-- moved since (nothing else changed the fact base), an override rebuilds only the cells it
-- covers instead of the whole cycle.
ALTER TABLE cycles ADD COLUMN consensus_version bigint;
