-- v4: who owns what, and where every record came from.
-- Organizations (a department, an agency, a crown corporation, a province or city, a company) hold sites; a site
-- holds network segments (CIDR -> site: the same private range may belong to many sites); a device belongs to at most
-- one site. Imports are recorded as runs (scans.kind = 'import') with their progress, so a killed import resumes
-- without duplicates. A device's identity keeps its history, and a record that disagrees with what is held is kept
-- as a conflict instead of overwriting it.
CREATE TABLE organizations (
  id            TEXT PRIMARY KEY,                -- a slug the user chooses (dnd, cbsa, city-of-ottawa)
  name          TEXT NOT NULL,
  type          TEXT NOT NULL,                   -- federal-department | agency | crown-corporation | provincial | municipal | private
  jurisdiction  TEXT NOT NULL,                   -- ISO 3166: CA, CA-QC, US, GB, AU
  parent_id     TEXT REFERENCES organizations(id),
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sites (
  id              TEXT PRIMARY KEY,              -- a slug the user chooses
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name            TEXT NOT NULL,
  address         TEXT,                          -- postal address
  criticality     TEXT NOT NULL DEFAULT 'normal', -- low | normal | high | critical
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sites_organization ON sites (organization_id);

CREATE TABLE segments (
  site_id  TEXT NOT NULL REFERENCES sites(id),
  cidr     TEXT NOT NULL,                        -- canonical network form (10.1.2.0/24, fd00::/64)
  name     TEXT,
  PRIMARY KEY (site_id, cidr)
);

ALTER TABLE devices ADD COLUMN site_id TEXT REFERENCES sites(id);
CREATE INDEX devices_site_address ON devices (site_id, address);
ALTER TABLE scans ADD COLUMN site_id TEXT REFERENCES sites(id);
-- an import: how many source rows are committed (a resumed import skips them), and the file's digest
ALTER TABLE scans ADD COLUMN rows_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE scans ADD COLUMN source_digest TEXT;
CREATE INDEX scans_source ON scans (source_digest) WHERE source_digest IS NOT NULL;

-- Each change of a device's identity field (address, mac, serial, manufacturer, model, firmware ...), and the run
-- whose record changed it.
CREATE TABLE device_history (
  id         BIGSERIAL PRIMARY KEY,
  device_id  TEXT NOT NULL REFERENCES devices(id),
  field      TEXT NOT NULL,
  previous   TEXT,
  value      TEXT,
  scan_id    TEXT REFERENCES scans(id),
  at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX device_history_device ON device_history (device_id);

-- A record that matched a device but disagreed on a field that identifies it (a second MAC for one serial, say):
-- kept and shown, the device's value stays until someone decides.
CREATE TABLE device_conflicts (
  id         BIGSERIAL PRIMARY KEY,
  device_id  TEXT NOT NULL REFERENCES devices(id),
  field      TEXT NOT NULL,
  held       TEXT,
  offered    TEXT,
  scan_id    TEXT REFERENCES scans(id),
  at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX device_conflicts_device ON device_conflicts (device_id);
