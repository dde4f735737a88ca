-- v6: the device list's order as one key, so that a page of a million devices is a range of one index instead of a
-- sort of the whole table, and the next page starts after the last key shown (keyset paging: as fast on page 5,000
-- as on page 1, and stable while devices are added).
-- The order: restricted devices first, then by manufacturer (unknown last), then by address: IPv4 numerically (each
-- octet zero-padded), other addresses after them as text, none last. Computed in SQL from the row's own columns,
-- never from device text beyond them, and it cannot fail: no cast that a strange address could break.
-- The function body stays on one line: the migration runner splits statements at a semicolon that ends a line.
CREATE FUNCTION camsweep_list_key(restricted BOOLEAN, manufacturer TEXT, address TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (CASE WHEN restricted THEN '0' ELSE '1' END || ' ' || COALESCE(manufacturer, '~') || ' ' || CASE WHEN address IS NULL THEN '~' WHEN address ~ '^[0-9]{1,3}(\.[0-9]{1,3}){3}$' THEN '4' || lpad(split_part(address, '.', 1), 3, '0') || lpad(split_part(address, '.', 2), 3, '0') || lpad(split_part(address, '.', 3), 3, '0') || lpad(split_part(address, '.', 4), 3, '0') ELSE '6' || lower(address) END) COLLATE "C" $$;

CREATE INDEX devices_list ON devices ((camsweep_list_key(restricted, manufacturer, address)) COLLATE "C", id);
-- The same order within a site, and within a manufacturer: the common filters page from their own index too (the
-- manufacturer's replaces the plain one of v1, which it contains).
CREATE INDEX devices_site_list ON devices (site_id, (camsweep_list_key(restricted, manufacturer, address)) COLLATE "C", id);
CREATE INDEX devices_manufacturer_list ON devices (manufacturer, (camsweep_list_key(restricted, manufacturer, address)) COLLATE "C", id);
DROP INDEX devices_manufacturer;
