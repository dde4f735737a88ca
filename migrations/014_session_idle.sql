-- v14: a browser session also ends after a while unused (SESSION_IDLE_MINUTES, src/inventory/sessions.ts), not only
-- SESSION_HOURS after sign-in: a screen left signed in on a shared desk does not stay open for a working day.
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
