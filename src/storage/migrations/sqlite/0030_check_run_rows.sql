-- PostgreSQL's 0030 drops the row-by-row foreign key from a support check run's amounts
-- and findings to the run and keys the amounts by (province, run, application). A
-- GeoPackage serves one district's laptop: its runs are small, SQLite checks a foreign
-- key through the run's primary key in microseconds, and dropping a constraint there
-- means rebuilding the table. Nothing to change here.
SELECT 1;
