-- v9: what an organization has decided about products before anyone buys them. An allow entry (its approved
-- products) or a block entry overrides the screen's own verdict for the lines it matches; block wins over allow.
-- Entries are never deleted: removing one stamps removed_*, so the audit log and the table both keep the history.
CREATE TABLE procurement_lists (
  id               BIGSERIAL PRIMARY KEY,
  organization_id  TEXT REFERENCES organizations(id),   -- NULL: every buyer of this inventory
  kind             TEXT NOT NULL CHECK (kind IN ('allow', 'block')),
  field            TEXT NOT NULL CHECK (field IN ('model', 'sku', 'maker', 'text')),
  value            TEXT NOT NULL,                        -- as the person wrote it
  folded           TEXT NOT NULL,                        -- the match key (src/procure/lists.ts listKey)
  reason           TEXT NOT NULL,
  added_by         TEXT NOT NULL,
  added_at         TIMESTAMPTZ NOT NULL,
  removed_by       TEXT,
  removed_at       TIMESTAMPTZ,
  removed_reason   TEXT
);
CREATE INDEX procurement_lists_org ON procurement_lists (organization_id) WHERE removed_at IS NULL;
