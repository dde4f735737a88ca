-- v16: a search (q) that many devices match. Six case-insensitive tests per device (ILIKE lower-cases both sides
-- each time) made the list's walk cost 2 us a device: 300 ms or more at a million when the matches lie after
-- 140,000 devices of other makers in the list's order (docs/benchmarks.md, device list). The searched columns are
-- kept lower-cased in one text, so a search is one byte-wise LIKE: the walk reads it from the list's index alone and
-- a rare term reads the few devices that hold it from one trigram index. The columns are joined by a line feed,
-- which a search never holds (the API refuses control characters and deviceQuery throws on them), so a term never
-- matches across two columns. The address stays apart: a search matches it from its start.
-- vacuum after: devices
ALTER TABLE devices ADD COLUMN search_text TEXT GENERATED ALWAYS AS (lower(COALESCE(hostname, '') || E'\n' || COALESCE(model, '') || E'\n' || COALESCE(manufacturer, '') || E'\n' || COALESCE(brand, '') || E'\n' || COALESCE(serial, '') || E'\n' || COALESCE(mac, ''))) STORED;
DROP INDEX devices_list;
CREATE INDEX devices_list ON devices ((camsweep_list_key(restricted, manufacturer, address)) COLLATE "C", id) INCLUDE (restricted, manufacturer, address, search_text);
DROP INDEX IF EXISTS devices_search;
DO $$ DECLARE s TEXT; BEGIN SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'; IF s IS NOT NULL THEN EXECUTE format('CREATE INDEX devices_search ON devices USING gin (address %1$I.gin_trgm_ops, search_text %1$I.gin_trgm_ops)', s); END IF; END $$;
