-- v2: a scan's progress, host by host, so an interrupted scan resumes where it stopped (scan --resume).
-- A host is listed once it is finished: recorded with its device in the same transaction, or found silent.
CREATE TABLE scan_hosts (
  scan_id    TEXT NOT NULL REFERENCES scans(id),
  address    TEXT NOT NULL,
  device_id  TEXT REFERENCES devices(id),
  done_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (scan_id, address)
);
-- How many hosts the scan was asked to probe, known from the start (host_count is set at the end).
ALTER TABLE scans ADD COLUMN target_count INTEGER;
