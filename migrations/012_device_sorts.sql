-- v12: the device list's other orders, each from its own index so that any page of a million devices is a short
-- range of one index (keyset paging, as 006): by address (IPv4 numerically, as in the list's key; other addresses
-- after them as text, none last) and by when a device was last seen (read backwards: newest first).
-- The function body stays on one line: the migration runner splits statements at a semicolon that ends a line.
CREATE FUNCTION camsweep_address_key(address TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (CASE WHEN address IS NULL THEN '~' WHEN address ~ '^[0-9]{1,3}(\.[0-9]{1,3}){3}$' THEN '4' || lpad(split_part(address, '.', 1), 3, '0') || lpad(split_part(address, '.', 2), 3, '0') || lpad(split_part(address, '.', 3), 3, '0') || lpad(split_part(address, '.', 4), 3, '0') ELSE '6' || lower(address) END) COLLATE "C" $$;

CREATE INDEX devices_address_list ON devices ((camsweep_address_key(address)) COLLATE "C", id);
CREATE INDEX devices_last_seen_list ON devices (last_seen, id);
