-- v5: the audit log. Every change to the inventory is appended here as one entry of a hash chain: each entry's hash
-- covers its own fields and the hash of the entry before it (src/inventory/audit.ts defines the exact bytes hashed),
-- so an altered, removed or reordered entry breaks the chain where `camsweep audit verify` finds it.
-- `at` is the ISO text that was hashed, kept verbatim (a TIMESTAMPTZ would come back in another form).
CREATE TABLE audit_log (
  seq        BIGINT PRIMARY KEY CHECK (seq >= 1),   -- 1, 2, 3 ... with no gaps
  at         TEXT NOT NULL CHECK (at ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$'),
  actor      TEXT NOT NULL,                         -- who: the OS user, or the authenticated user of a server
  action     TEXT NOT NULL,                         -- what was done (vocabulary in audit.ts)
  entity     TEXT NOT NULL,                         -- to what kind of record
  entity_id  TEXT,                                  -- which one
  reason     TEXT,                                  -- why, as the user said it
  data       JSONB NOT NULL,                        -- the change itself
  prev_hash  TEXT NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash       TEXT NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- A hurdle against casual edits, not the guarantee (an owner can drop a trigger): the hash chain is what detects
-- tampering. Each function body stays on one line: the migration runner splits statements at a semicolon that ends a line.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
