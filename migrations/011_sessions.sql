-- v11: browser sessions of the server's web app. The cookie holds a random secret; only its SHA-256 is kept, with
-- the SHA-256 of the session's CSRF token, which every write made with the cookie must send back in a header.
CREATE TABLE sessions (
  secret_sha256  TEXT PRIMARY KEY,
  user_id        TEXT NOT NULL REFERENCES users(id),
  csrf_sha256    TEXT NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL,
  expires_at     TIMESTAMPTZ NOT NULL,
  ended_at       TIMESTAMPTZ
);
CREATE INDEX sessions_user ON sessions (user_id);
