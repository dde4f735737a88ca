-- v18: the overview's counts (compliance.ts) read every device's site, maker, id and last sighting. From the table
-- that is a pass over every row with its identification (1.2 KB each: 121 MB at 100,000 devices, read again on every
-- overview by PGlite, whose 32 MB of buffers cannot hold it); from this index it is 7 MB. The read is index-only
-- when the visibility map is set: Store.analyze vacuums the devices after an import or a scan.
CREATE INDEX devices_counted ON devices (site_id, manufacturer) INCLUDE (id, last_seen);
