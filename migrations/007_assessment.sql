-- v7: assessment. Which rules bind each device's owner, which known vulnerabilities it carries, and its risk.
-- An assessment run records the policy packs and the vulnerability knowledge it used (id and digest), so a verdict
-- can be traced to the exact data behind it; each device keeps its latest verdict, with the whole evidence chain in
-- `findings` (src/assess/assess.ts defines its shape).

-- What an organization's owner says of it beyond type and jurisdiction (a U.S. federal contractor, a telecom
-- provider): some policy packs bind by sector (src/assess/policies/schema.ts PACK_SECTORS).
ALTER TABLE organizations ADD COLUMN sectors JSONB NOT NULL DEFAULT '[]'::jsonb;

-- Internet exposure as someone stated it (camsweep device exposure, an import): NULL when nobody has said, which is
-- not the same as "not exposed".
ALTER TABLE devices ADD COLUMN internet_exposed BOOLEAN;
ALTER TABLE devices ADD COLUMN exposure_source TEXT;

CREATE TABLE assessments (
  id               TEXT PRIMARY KEY,
  started_at       TIMESTAMPTZ NOT NULL,
  finished_at      TIMESTAMPTZ,
  status           TEXT NOT NULL DEFAULT 'running',   -- running | done | failed
  organization_id  TEXT REFERENCES organizations(id), -- assess --org: only its devices
  packs            JSONB NOT NULL,                    -- [{id, file, sha256}] the policy packs applied
  knowledge        JSONB NOT NULL,                    -- {vulnerabilities: {file, sha256}, risk: {file, sha256}}
  day              TEXT NOT NULL,                     -- the date KEV due dates were compared with (YYYY-MM-DD)
  device_count     INTEGER NOT NULL DEFAULT 0,
  counts           JSONB NOT NULL DEFAULT '{}'::jsonb -- devices per status
);

-- The latest verdict per device. status: prohibited | advisory | allowed, or unowned when the device is on no
-- site (no organization, so no rule can be said to bind it).
CREATE TABLE device_assessments (
  device_id        TEXT PRIMARY KEY REFERENCES devices(id),
  assessment_id    TEXT NOT NULL REFERENCES assessments(id),
  organization_id  TEXT REFERENCES organizations(id),
  site_id          TEXT REFERENCES sites(id),
  status           TEXT NOT NULL CHECK (status IN ('prohibited', 'advisory', 'allowed', 'unowned')),
  risk             INTEGER NOT NULL CHECK (risk BETWEEN 0 AND 100),
  risk_level       TEXT NOT NULL,
  kev              INTEGER NOT NULL DEFAULT 0,        -- KEV vulnerabilities matched (exact or family)
  findings         JSONB NOT NULL,
  assessed_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX device_assessments_organization ON device_assessments (organization_id, site_id, status);
CREATE INDEX device_assessments_assessment ON device_assessments (assessment_id);
