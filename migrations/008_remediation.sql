-- v8: the removal workflow. Each device a verdict says must go is tracked from identified to closed: every step
-- with who, when and why (and an audit entry in the same transaction), the sanitization of the media that held its
-- footage, the evidence files behind both (kept content-addressed: the SHA-256 is the key), exceptions that let a
-- device stay for a while under compensating controls, and the replacement plans that were saved.
-- The state machine lives in src/remediation/states.ts; the store refuses what it does not allow.

-- A device's place in the workflow. No row: identified (the verdict alone). storage: whether the device holds
-- recorded footage (an NVR's disks, a camera's SD card); 'unknown' counts as present, so closing needs a
-- sanitization record unless someone stated there is none.
CREATE TABLE remediation (
  device_id      TEXT PRIMARY KEY REFERENCES devices(id),
  state          TEXT NOT NULL CHECK (state IN
                   ('identified', 'confirmed', 'scheduled', 'isolated', 'removed', 'sanitized', 'closed', 'reopened')),
  storage        TEXT NOT NULL DEFAULT 'unknown' CHECK (storage IN ('present', 'none', 'unknown')),
  scheduled_for  TEXT CHECK (scheduled_for ~ '^\d{4}-\d\d-\d\d$'),
  removed_at     TIMESTAMPTZ,                     -- the latest removal (a reopened device keeps it until removed again)
  reopened_at    TIMESTAMPTZ,
  updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX remediation_state ON remediation (state);

-- Every transition, in order: the history reports draw burn-down and plan-vs-actual from.
CREATE TABLE remediation_steps (
  id          BIGSERIAL PRIMARY KEY,
  device_id   TEXT NOT NULL REFERENCES devices(id),
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  at          TIMESTAMPTZ NOT NULL,
  actor       TEXT NOT NULL,
  reason      TEXT,
  data        JSONB NOT NULL DEFAULT '{}'::jsonb  -- {date, scan, evidence: [sha256], storage, ...}
);
CREATE INDEX remediation_steps_device ON remediation_steps (device_id);
CREATE INDEX remediation_steps_at ON remediation_steps (at);

-- How the media that held a device's footage was sanitized (NIST SP 800-88 Rev. 1 methods, as ITSP.40.006 applies
-- them): one row per medium (each disk, each SD card).
CREATE TABLE sanitizations (
  id            BIGSERIAL PRIMARY KEY,
  device_id     TEXT NOT NULL REFERENCES devices(id),
  medium        TEXT NOT NULL,                   -- "HDD 4 TB, serial WD-WX12345", "microSD 128 GB"
  method        TEXT NOT NULL CHECK (method IN ('clear', 'purge', 'destroy')),
  technique     TEXT,                            -- "overwrite, 1 pass", "degauss", "shred 2 mm"
  performed_on  TEXT NOT NULL CHECK (performed_on ~ '^\d{4}-\d\d-\d\d$'),
  performed_by  TEXT NOT NULL,
  certificate   TEXT,                            -- the certificate of sanitization or destruction's reference
  recorded_at   TIMESTAMPTZ NOT NULL,
  recorded_by   TEXT NOT NULL
);
CREATE INDEX sanitizations_device ON sanitizations (device_id);

-- Evidence files, content-addressed: a photo, a signed certificate, a work order. The same file attached twice is
-- stored once.
CREATE TABLE evidence (
  sha256    TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size      BIGINT NOT NULL,
  content   BYTEA NOT NULL,
  added_at  TIMESTAMPTZ NOT NULL
);

-- Exceptions: a prohibited device allowed to stay until a date, under compensating controls, once approved by
-- someone other than who asked.
CREATE TABLE exceptions (
  id             BIGSERIAL PRIMARY KEY,
  device_id      TEXT NOT NULL REFERENCES devices(id),
  state          TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'rejected', 'revoked', 'expired')),
  justification  TEXT NOT NULL,
  controls       JSONB NOT NULL DEFAULT '[]'::jsonb,  -- compensating controls: ["isolated VLAN 99, no internet", ...]
  expires_on     TEXT NOT NULL CHECK (expires_on ~ '^\d{4}-\d\d-\d\d$'),
  requested_by   TEXT NOT NULL,
  requested_at   TIMESTAMPTZ NOT NULL,
  decided_by     TEXT,
  decided_at     TIMESTAMPTZ,
  decision       TEXT                               -- the approver's or rejecter's words
);
CREATE INDEX exceptions_device ON exceptions (device_id, state);

-- Which file backs what: a step, a sanitization or an exception (exactly one), under the name it was given.
CREATE TABLE evidence_links (
  id               BIGSERIAL PRIMARY KEY,
  sha256           TEXT NOT NULL REFERENCES evidence(sha256),
  device_id        TEXT NOT NULL REFERENCES devices(id),
  step_id          BIGINT REFERENCES remediation_steps(id),
  sanitization_id  BIGINT REFERENCES sanitizations(id),
  exception_id     BIGINT REFERENCES exceptions(id),
  name             TEXT NOT NULL,
  added_at         TIMESTAMPTZ NOT NULL,
  CHECK (num_nonnulls(step_id, sanitization_id, exception_id) = 1)
);
CREATE INDEX evidence_links_device ON evidence_links (device_id);

-- A saved replacement plan (camsweep plan --save): its options, the cost model it priced with, and its phases.
CREATE TABLE plans (
  id               TEXT PRIMARY KEY,
  created_at       TIMESTAMPTZ NOT NULL,
  created_by       TEXT NOT NULL,
  organization_id  TEXT REFERENCES organizations(id),
  plan             JSONB NOT NULL                 -- src/plan/model.ts Plan
);
