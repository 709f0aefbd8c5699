-- PostgreSQL's 0031 puts province_code first in parcel_page_order, because on
-- PostgreSQL the page of parcels filters by it (docs/scale-out.md). A GeoPackage holds
-- one province, has no province_code on parcel and its statements carry no such filter,
-- so its parcel_page_order (migration 0027) stays as it is: nothing to change here.
SELECT 1;
