-- Every KPI that reads sales by month reads the derived cells (sales_cells, accuracy_cells);
-- the rest reads by SKU (the primary key). The period index only made imports slower: each
-- of a million imported rows paid for a second B-tree insert.
DROP INDEX IF EXISTS sales_period;
