-- v17: a search for a model, maker or brand skips the makers none of whose devices hold it. In the list's order a
-- maker's devices lie together (the key starts with restricted and manufacturer), so a term held only by Hikvision
-- models had the walk test 140,000 Dahua devices first (38 ms at a million, docs/benchmarks.md). The searched text
-- is split in two: what a device is (model, manufacturer, brand: few distinct values) and what names it (hostname,
-- serial, MAC: nearly one per device). device_idents keeps each distinct (list-key prefix, identity text) pair, so a
-- search finds the makers whose devices can match in a small table and walks only their part of the list; the names
-- are searched as before, by trigram index or walk. Triggers fill device_idents as devices are written; it never
-- forgets a pair, which costs a needless look into a maker's part of the list, never a missed device.
-- vacuum after: devices
ALTER TABLE devices DROP COLUMN search_text, ADD COLUMN search_names TEXT GENERATED ALWAYS AS (lower(COALESCE(hostname, '') || E'\n' || COALESCE(serial, '') || E'\n' || COALESCE(mac, ''))) STORED, ADD COLUMN search_ident TEXT GENERATED ALWAYS AS (lower(COALESCE(model, '') || E'\n' || COALESCE(manufacturer, '') || E'\n' || COALESCE(brand, ''))) STORED;
DROP INDEX IF EXISTS devices_list;
CREATE INDEX devices_list ON devices ((camsweep_list_key(restricted, manufacturer, address)) COLLATE "C", id) INCLUDE (restricted, manufacturer, address, search_names, search_ident);
DROP INDEX IF EXISTS devices_search;
DO $$ DECLARE s TEXT; BEGIN SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'; IF s IS NOT NULL THEN EXECUTE format('CREATE INDEX devices_search ON devices USING gin (address %1$I.gin_trgm_ops, search_names %1$I.gin_trgm_ops, search_ident %1$I.gin_trgm_ops)', s); END IF; END $$;
-- The start of a device's list key: its maker's part of the list (006_device_list.sql writes the whole key).
CREATE FUNCTION camsweep_list_prefix(restricted BOOLEAN, manufacturer TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (CASE WHEN restricted THEN '0' ELSE '1' END || ' ' || COALESCE(manufacturer, '~') || ' ') COLLATE "C" $$;
CREATE TABLE device_idents (
  prefix  TEXT NOT NULL,
  ident   TEXT NOT NULL,
  PRIMARY KEY (prefix, ident)
);
INSERT INTO device_idents (prefix, ident) SELECT DISTINCT camsweep_list_prefix(restricted, manufacturer), search_ident FROM devices;
-- Statement triggers: an import writes its devices a batch per statement, and one look per batch at its distinct
-- pairs does the work of one per device. The pairs go in a fixed order, so two writers adding the same new pairs
-- cannot wait on each other in a circle.
CREATE FUNCTION camsweep_note_idents() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO device_idents (prefix, ident) SELECT DISTINCT camsweep_list_prefix(restricted, manufacturer), search_ident FROM noted ORDER BY 1, 2 ON CONFLICT DO NOTHING; RETURN NULL; END $$;
CREATE TRIGGER devices_idents_added AFTER INSERT ON devices REFERENCING NEW TABLE AS noted FOR EACH STATEMENT EXECUTE FUNCTION camsweep_note_idents();
CREATE TRIGGER devices_idents_changed AFTER UPDATE ON devices REFERENCING NEW TABLE AS noted FOR EACH STATEMENT EXECUTE FUNCTION camsweep_note_idents();
