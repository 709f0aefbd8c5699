-- A linkage contract's signed documents as files (Decree 98/2018/NĐ-CP Art. 5: the
-- contract is made in writing), kept like support_attachment: name, media type, size,
-- SHA-256 and the bytes. The size limit and the accepted media types are settings an
-- official may change (docs/chains.md "Signed documents").
CREATE TABLE chain_contract_document (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id INTEGER NOT NULL REFERENCES chain_contract(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL
);
CREATE INDEX chain_contract_document_contract ON chain_contract_document(contract_id);

INSERT INTO chain_setting (key, value) VALUES ('document_max_mb', 10);

-- The media types a signed document may be (a subset of PDF, JPEG, PNG).
CREATE TABLE chain_document_type (
  media_type TEXT PRIMARY KEY CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png'))
);
INSERT INTO chain_document_type (media_type) VALUES ('application/pdf');
INSERT INTO chain_document_type (media_type) VALUES ('image/jpeg');
INSERT INTO chain_document_type (media_type) VALUES ('image/png');
