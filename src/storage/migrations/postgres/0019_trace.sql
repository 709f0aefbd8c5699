-- Traceability labels (docs/trace.md): the GTIN an official assigns to each crop's
-- product, which names the product in the GS1 Digital Link URI of a lot's QR code
-- (GS1 General Specifications §3.3.2, §7.9). Changed with `nongsan trace gtin set`.

CREATE TABLE trace_gtin (
  gtin TEXT PRIMARY KEY,          -- GTIN-14, check digit verified before it is stored
  crop TEXT NOT NULL,             -- crop code of the registry (tea, macadamia …)
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
