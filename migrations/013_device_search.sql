-- v13: the device list's slow cases at a million devices (docs/benchmarks.md, the device-list API).
-- An organization's page is read site by site from devices_site_list (device-list.ts), and the merge orders by the
-- list key: with the key's columns in the index, that is an index-only read, so the key is not computed again from
-- each row (about 8 us each) for every site's page.
DROP INDEX devices_site_list;
CREATE INDEX devices_site_list ON devices (site_id, (camsweep_list_key(restricted, manufacturer, address)) COLLATE "C", id) INCLUDE (restricted, manufacturer, address);
-- A search (q) of a term that many devices hold walks the list in its order and tests each device: with the
-- searched columns in the index the walk reads only the index (3 to 6 times faster at a million), not the rows
-- with their identification.
DROP INDEX devices_list;
CREATE INDEX devices_list ON devices ((camsweep_list_key(restricted, manufacturer, address)) COLLATE "C", id) INCLUDE (restricted, manufacturer, address, hostname, model, brand, serial, mac);
-- With the list's index able to answer a filter alone, the planner would walk it for a maker's page too (its rows
-- lie after every maker before it: 140,000 at a million); the maker's own index answers the same way, so it keeps
-- the cheaper range.
DROP INDEX devices_manufacturer_list;
CREATE INDEX devices_manufacturer_list ON devices (manufacturer, (camsweep_list_key(restricted, manufacturer, address)) COLLATE "C", id) INCLUDE (restricted, address);
-- A search of a rare term (one serial, a MAC) reads the few devices that hold it from trigram indexes (pg_trgm, one
-- GIN index over the searched columns) instead of the whole table. pg_trgm is a contrib extension: PGlite loads it
-- (pglite.ts); a PostgreSQL server without it, or a user who may not create it, gets no such index and the same
-- answers, only slower. It goes in public, not the first schema of the search path: dropping one inventory's schema
-- must not drop the extension under another's indexes. The index's operator class is named by the schema the
-- extension is in. Each DO block stays on one line: the migration runner splits statements at a line's end semicolon.
DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm is not available (%): device searches will not use trigram indexes', SQLERRM; END $$;
DO $$ DECLARE s TEXT; BEGIN SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'; IF s IS NOT NULL THEN EXECUTE format('CREATE INDEX devices_search ON devices USING gin (address %1$I.gin_trgm_ops, hostname %1$I.gin_trgm_ops, model %1$I.gin_trgm_ops, manufacturer %1$I.gin_trgm_ops, brand %1$I.gin_trgm_ops, serial %1$I.gin_trgm_ops, mac %1$I.gin_trgm_ops)', s); END IF; END $$;
