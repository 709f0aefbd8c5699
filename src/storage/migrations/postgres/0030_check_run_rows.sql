-- The rows of a run of the support cross-checks (support_check_amount: one per
-- application of the year with its rule trace; support_check_finding) are written once,
-- in the transaction that writes their run (SupportService::run_checks), and are
-- never updated or deleted (a run is the record of what was found and paid on a date;
-- docs/support.md, "Running the checks"). A province's year is 200,000 amounts and some 45,000
-- findings; the foreign key to the run was checked row by row (0.55 s of the server's
-- CPU per run for the amounts alone), and each amount fed three B-trees: the primary
-- key (province_code, id), its id-only twin of migration 0029 and (run_id, application),
-- while no statement reads an amount by id. docs/adr/0020-check-run-rows.md weighs it.
--
-- The amounts: keyed by what they are read by, the run and the application (one amount
-- per application and run), with the province first as on every distributed table.
ALTER TABLE support_check_amount DROP CONSTRAINT IF EXISTS support_check_amount_run_id_fkey;
ALTER TABLE support_check_amount DROP CONSTRAINT IF EXISTS support_check_amount_pkey;
DROP INDEX IF EXISTS support_check_amount_pkey_by_id;
DROP INDEX IF EXISTS support_check_amount_run;
ALTER TABLE support_check_amount DROP COLUMN id;
ALTER TABLE support_check_amount ADD CONSTRAINT support_check_amount_pkey PRIMARY KEY (province_code, run_id, application);
-- The findings keep their id (their order within a run) and their index by run; the
-- foreign key goes for the same reason as the amounts'.
ALTER TABLE support_check_finding DROP CONSTRAINT IF EXISTS support_check_finding_run_id_fkey;
