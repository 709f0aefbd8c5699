-- Lab results (kiểm nghiệm) of OCOP products and lots, and the origin of the quality-watch
-- findings nongsan raises itself (a failed test, a lapsed certificate), so that each is
-- raised once. Pass or fail is computed from value and limit, never stored. Rules:
-- docs/ocop.md "Lab results", docs/rules.md §8.8–§8.9. Dates of record are ISO text.

CREATE TABLE ocop_lab_result (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sample TEXT NOT NULL,                    -- the laboratory's sample id
  product_id INTEGER NOT NULL REFERENCES ocop_product(id) ON DELETE CASCADE,
  lot TEXT NOT NULL DEFAULT '',            -- the lot sampled, as the diary names it; '' = none
  laboratory TEXT NOT NULL,
  tested_on TEXT NOT NULL,
  parameter TEXT NOT NULL,                 -- e.g. Chì (Pb), Cypermethrin, E. coli
  category TEXT NOT NULL CHECK (category IN ('pesticide_residue', 'heavy_metal', 'microbiological', 'other')),
  result_value REAL NOT NULL CHECK (result_value >= 0),
  unit TEXT NOT NULL,
  limit_value REAL NOT NULL CHECK (limit_value >= 0),  -- the maximum allowed, in `unit`
  standard TEXT NOT NULL DEFAULT '',       -- where the limit comes from, as the file says
  illustrative INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (sample, parameter)
);
CREATE INDEX ocop_lab_result_product ON ocop_lab_result(product_id);

-- 'lab:<id>' or 'certificate:<code>:<valid_to>' for findings nongsan raised; NULL for
-- findings entered by hand.
ALTER TABLE ocop_finding ADD COLUMN origin TEXT;
CREATE UNIQUE INDEX ocop_finding_origin ON ocop_finding(product_id, origin);
