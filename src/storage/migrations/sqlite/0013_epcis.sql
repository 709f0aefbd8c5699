-- EPCIS 2.0 events (docs/epcis.md, ADR "EPCIS storage"). An event is immutable and is
-- identified by its CBV 2.0 event hash; its JSON-LD is kept whole (with the @context of
-- the document it came in) so that a query gives it back with the same hash. What the
-- standard's queries filter on is copied into indexed columns and side tables, always in
-- the canonical form of the hash algorithm (full CBV URIs, canonical Digital Link URIs).
-- Times are UTC text 'YYYY-MM-DDThh:mm:ss.sssZ', which sorts as time does.

CREATE TABLE epcis_capture (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  capture_id TEXT NOT NULL UNIQUE,            -- the capture job's public id
  state TEXT NOT NULL CHECK (state IN ('running', 'success', 'failed')),
  source TEXT NOT NULL DEFAULT '',             -- file name or 'api'
  events INTEGER NOT NULL DEFAULT 0,           -- in the document
  captured INTEGER NOT NULL DEFAULT 0,         -- new events stored
  already_present INTEGER NOT NULL DEFAULT 0,  -- events stored before (same hash)
  errors TEXT NOT NULL DEFAULT '[]',           -- JSON: [{event, eventID, path, message}]
  created_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE TABLE epcis_event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_hash TEXT NOT NULL UNIQUE,             -- ni:///sha-256;…?ver=CBV2.0
  event_id TEXT NOT NULL DEFAULT '',           -- the eventID as given ('' = none)
  event_type TEXT NOT NULL,
  event_time TEXT NOT NULL,                    -- UTC, canonical
  event_time_zone_offset TEXT NOT NULL DEFAULT '',
  record_time TEXT NOT NULL,                   -- when this repository stored it
  action TEXT NOT NULL DEFAULT '',
  biz_step TEXT NOT NULL DEFAULT '',
  disposition TEXT NOT NULL DEFAULT '',
  read_point TEXT NOT NULL DEFAULT '',
  biz_location TEXT NOT NULL DEFAULT '',
  transformation_id TEXT NOT NULL DEFAULT '',
  capture_id INTEGER NOT NULL REFERENCES epcis_capture(id),
  document TEXT NOT NULL                       -- the event's JSON-LD, as captured
);
CREATE INDEX epcis_event_time ON epcis_event (event_time);
CREATE INDEX epcis_event_record_time ON epcis_event (record_time);
CREATE INDEX epcis_event_biz_step ON epcis_event (biz_step, event_time);
CREATE INDEX epcis_event_disposition ON epcis_event (disposition, event_time);
CREATE INDEX epcis_event_read_point ON epcis_event (read_point);
CREATE INDEX epcis_event_biz_location ON epcis_event (biz_location);
CREATE INDEX epcis_event_type ON epcis_event (event_type, event_time);

-- Every identifier an event names, by the list it is in: epc (epcList), parent
-- (parentID), child (childEPCs), input / output (inputEPCList / outputEPCList), and the
-- classes of the quantity lists: class, child_class, input_class, output_class.
-- `base` is the identifier without its qualifiers (https://id.gs1.org/01/{gtin} for a
-- serial or a lot of that GTIN): what an EPC pattern (urn:epc:idpat:sgtin:….*) matches.
CREATE TABLE epcis_event_epc (
  event INTEGER NOT NULL REFERENCES epcis_event(id),
  role TEXT NOT NULL,
  epc TEXT NOT NULL,
  base TEXT NOT NULL
);
CREATE INDEX epcis_event_epc_epc ON epcis_event_epc (epc, role);
CREATE INDEX epcis_event_epc_base ON epcis_event_epc (base, role);
CREATE INDEX epcis_event_epc_event ON epcis_event_epc (event);

-- bizTransactionList, sourceList, destinationList (kind), with the type as a full CBV URI.
CREATE TABLE epcis_event_ref (
  event INTEGER NOT NULL REFERENCES epcis_event(id),
  kind TEXT NOT NULL CHECK (kind IN ('bizTransaction', 'source', 'destination')),
  type TEXT NOT NULL DEFAULT '',
  value TEXT NOT NULL
);
CREATE INDEX epcis_event_ref_value ON epcis_event_ref (kind, value);
CREATE INDEX epcis_event_ref_event ON epcis_event_ref (event);

-- Scalar user extensions at the top of the event (scope 'event') and in its ILMD
-- (scope 'ilmd'), named by full IRI (namespace + local name): what EQ_<field> and
-- EQ_ILMD_<field> filter on (a growing-area code in an extension, for instance).
CREATE TABLE epcis_event_field (
  event INTEGER NOT NULL REFERENCES epcis_event(id),
  scope TEXT NOT NULL CHECK (scope IN ('event', 'ilmd')),
  name TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX epcis_event_field_value ON epcis_event_field (scope, name, value);
CREATE INDEX epcis_event_field_event ON epcis_event_field (event);
