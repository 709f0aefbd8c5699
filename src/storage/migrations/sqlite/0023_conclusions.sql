-- Drafts of the committee's conclusions (a THÔNG BÁO in the structure of Notice
-- 752-TB/TU): written from the data by the rules of docs/conclusions.md, edited by an
-- officer paragraph by paragraph (the references to the figures stay with each
-- paragraph), then registered in report_issue like the review reports.
-- Dates of record are ISO text; times ISO 8601 UTC text.

CREATE TABLE conclusions_draft (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  programme TEXT NOT NULL,
  as_of TEXT NOT NULL,                      -- the date the figures are taken on
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'registered')),
  content TEXT NOT NULL,                    -- JSON: sections, paragraphs {id, text, refs, edited}, sources
  data_hash TEXT NOT NULL DEFAULT '',       -- SHA-256 of the facts the draft was written from
  version INTEGER NOT NULL DEFAULT 1,       -- grows with every edit; an edit names the version it saw
  issue_id INTEGER REFERENCES report_issue(id),  -- the register entry once registered
  illustrative INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX conclusions_draft_programme ON conclusions_draft(programme);
