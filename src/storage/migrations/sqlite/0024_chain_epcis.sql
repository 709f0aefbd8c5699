-- Deliveries taken from EPCIS events (docs/chains.md "Deliveries from EPCIS"): a
-- captured receiving or transaction event that names a contract becomes a delivery
-- (chain_delivery, origin 'epcis', epcis_event_id = the event's hash). One that names a
-- contract but cannot be a delivery (no such contract, a party not among its
-- participants, a quantity not in kilograms …) is kept here with the reason, so that the
-- chains page lists it; the EPCIS record itself stays as captured.

CREATE INDEX chain_delivery_epcis ON chain_delivery(epcis_event_id);

CREATE TABLE chain_epcis_unmatched (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_hash TEXT NOT NULL UNIQUE,           -- the CBV 2.0 event hash
  event_id TEXT NOT NULL DEFAULT '',         -- the event's eventID, when it has one
  event_time TEXT NOT NULL DEFAULT '',       -- as in the event
  contract_code TEXT NOT NULL,               -- as the event names it
  contract_id INTEGER REFERENCES chain_contract(id) ON DELETE SET NULL,
  unit_id INTEGER REFERENCES admin_unit(id),  -- the contract's commune; NULL = the province's
  participant TEXT NOT NULL DEFAULT '',      -- the owning party's external id as named
  quantity_kg REAL,              -- when the event gave one in KGM
  reason TEXT NOT NULL,                      -- no_contract, not_participant, no_participant, several_participants, no_quantity, not_kilograms, bad_time
  capture_id TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX chain_epcis_unmatched_contract ON chain_epcis_unmatched(contract_id);
