-- v10: who may use the server (camsweep serve) and how. A user has one role; an organization auditor or viewer
-- belongs to one organization and sees only its data. Passwords are kept as scrypt hashes (src/server/passwords.ts);
-- API tokens as the SHA-256 of a random secret shown once. Nothing is deleted: a user is disabled, a token revoked.
CREATE TABLE users (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL UNIQUE,
  role             TEXT NOT NULL CHECK (role IN ('admin', 'program-manager', 'auditor', 'viewer')),
  organization_id  TEXT REFERENCES organizations(id),
  password_hash    TEXT NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL,
  disabled_at      TIMESTAMPTZ,
  -- an auditor acts for one organization; admin and program manager see all (a viewer may be either)
  CHECK (role <> 'auditor' OR organization_id IS NOT NULL),
  CHECK (role NOT IN ('admin', 'program-manager') OR organization_id IS NULL)
);

CREATE TABLE api_tokens (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id),
  name          TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL UNIQUE,
  scope         TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  created_at    TIMESTAMPTZ NOT NULL,
  expires_at    TIMESTAMPTZ,
  revoked_at    TIMESTAMPTZ,
  last_used_at  TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
