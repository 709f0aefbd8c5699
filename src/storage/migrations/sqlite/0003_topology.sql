-- Findings of the last topology check of the parcels (`nongsan check parcels`),
-- for the map: overlapping parcels, parcels outside every commune, invalid
-- boundaries and slivers. A check replaces the findings of the kinds it ran.
-- Registered as a GeoPackage feature table so GIS tools show it as a layer.

CREATE TABLE topology_finding (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('overlap', 'outside', 'invalid', 'sliver')),
  parcel_a TEXT NOT NULL,                  -- external id of the parcel (the smaller one of a pair)
  parcel_b TEXT,                           -- overlaps: the other parcel's external id
  value REAL,                              -- overlaps and slivers: area in m²; outside: share outside
  message TEXT NOT NULL DEFAULT '',
  checked_at TEXT NOT NULL,                -- UTC timestamp of the check
  geom MULTIPOLYGON                        -- the overlap itself, or the parcel; NULL when unusable
);
CREATE INDEX topology_finding_kind ON topology_finding(kind);
CREATE INDEX topology_finding_parcel_a ON topology_finding(parcel_a);
CREATE INDEX topology_finding_parcel_b ON topology_finding(parcel_b);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
VALUES ('topology_finding', 'features', 'topology_finding', 'Findings of the last parcel topology check', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('topology_finding', 'geom', 'MULTIPOLYGON', 4326, 0, 0);
