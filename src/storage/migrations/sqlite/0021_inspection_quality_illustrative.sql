-- Registry quality (docs/inspection.md): a sampled parcel's measurement may be
-- illustrative (the demo's), and the summary and the UI say so.
ALTER TABLE registry_quality_sample ADD COLUMN illustrative INTEGER NOT NULL DEFAULT 0;
