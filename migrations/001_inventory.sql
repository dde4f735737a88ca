-- camsweep inventory, v1: scans, devices and the observations behind them.
-- Runs unchanged on PGlite (embedded default) and PostgreSQL.

CREATE TABLE scans (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,                 -- 'scan' | 'identify'
  started_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ,
  status        TEXT NOT NULL DEFAULT 'running', -- running | done | interrupted | failed
  args          JSONB NOT NULL DEFAULT '{}'::jsonb,
  host_count    INTEGER NOT NULL DEFAULT 0,
  device_count  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE devices (
  id             TEXT PRIMARY KEY,
  address        TEXT,
  hostname       TEXT,
  mac            TEXT,
  serial         TEXT,
  manufacturer   TEXT,
  brand          TEXT,
  model          TEXT,
  firmware       TEXT,
  device_type    TEXT NOT NULL DEFAULT 'unknown',
  confidence     REAL NOT NULL DEFAULT 0,
  restricted     BOOLEAN NOT NULL DEFAULT FALSE,
  policies       JSONB NOT NULL DEFAULT '[]'::jsonb,
  open_ports     JSONB NOT NULL DEFAULT '[]'::jsonb,
  identification JSONB NOT NULL,
  first_seen     TIMESTAMPTZ NOT NULL,
  last_seen      TIMESTAMPTZ NOT NULL,
  last_scan_id   TEXT REFERENCES scans(id)
);
CREATE INDEX devices_mac ON devices (mac) WHERE mac IS NOT NULL;
CREATE INDEX devices_serial ON devices (serial) WHERE serial IS NOT NULL;
CREATE INDEX devices_address ON devices (address);
CREATE INDEX devices_manufacturer ON devices (manufacturer);

CREATE TABLE observations (
  id           BIGSERIAL PRIMARY KEY,
  device_id    TEXT NOT NULL REFERENCES devices(id),
  scan_id      TEXT NOT NULL REFERENCES scans(id),
  target       TEXT,
  port         INTEGER,
  protocol     TEXT NOT NULL,
  data         JSONB NOT NULL,
  observed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX observations_device ON observations (device_id);
CREATE INDEX observations_scan ON observations (scan_id);
