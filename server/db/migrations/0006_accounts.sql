-- 0006: account administration (issue 3 item 2): sector settings and lookups for the accounts module.
--
-- Sectors get the greeting sent when a ticket enters them and the window in which a customer message
-- reopens a closed ticket (PRODUCT.md: "reopens the ticket inside a configurable window (per sector)").
-- Sector names are unique per tenant ignoring case; the colour is "#RRGGBB" or unset (NOT VALID: rows
-- written before this migration are not re-checked, new and updated rows are). No new tables: users,
-- sectors and user_sectors are tenant-owned since 0002 (RLS enabled and forced, DML for atende_app).

ALTER TABLE sectors
    ADD COLUMN greeting text NOT NULL DEFAULT '',
    ADD COLUMN reopen_window_minutes integer NOT NULL DEFAULT 120
        CHECK (reopen_window_minutes BETWEEN 0 AND 43200),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sectors ADD CONSTRAINT sectors_color_check
    CHECK (color IS NULL OR color ~ '^#[0-9A-Fa-f]{6}$') NOT VALID;
ALTER TABLE sectors ADD CONSTRAINT sectors_name_check CHECK (length(btrim(name)) > 0) NOT VALID;

CREATE UNIQUE INDEX sectors_tenant_name_key ON sectors (tenant_id, lower(name));

-- Members of a sector (the primary key serves user -> sectors).
CREATE INDEX user_sectors_sector_idx ON user_sectors (tenant_id, sector_id);
-- users.list filters by role and orders by name.
CREATE INDEX users_tenant_name_idx ON users (tenant_id, lower(name));
