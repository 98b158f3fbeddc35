-- 0008: contacts with identities (issue 4 item 1, PRODUCT.md N4) and WhatsApp connections as records
-- (issue 4 item 2).
--
-- A person reaches us under several identities (phone JID, LID, e-mail...): contact_identities maps each
-- (kind, value) to exactly one contact of the tenant, so ingest finds one contact however WhatsApp names
-- the sender. Merging moves identities to the surviving contact and leaves the source with merged_into set.
-- pg_trgm is not installed: search uses ILIKE, helped by btree indexes on lower(name) (also the keyset
-- order of contacts.list) and on phone (prefix matches with text_pattern_ops).
-- Tenant-owned like every table of 0002: tenant_id first in each key, RLS enabled and forced, DML for
-- atende_app.

CREATE TABLE connections (
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    name               text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    kind               text NOT NULL CHECK (kind IN ('whatsapp', 'test')),
    status             text NOT NULL DEFAULT 'disconnected',
    ignore_groups      boolean NOT NULL DEFAULT true,
    send_read_receipts boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    deleted_at         timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX connections_name_idx ON connections (tenant_id, lower(name)) WHERE deleted_at IS NULL;

CREATE TABLE contacts (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    name          text NOT NULL DEFAULT '',
    phone         text CHECK (phone ~ '^[1-9][0-9]{6,14}$'),
    email         text,
    notes         text NOT NULL DEFAULT '',
    tags          text[] NOT NULL DEFAULT '{}',
    custom_fields jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
    merged_into   uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, merged_into) REFERENCES contacts (tenant_id, id),
    CHECK (merged_into IS NULL OR merged_into <> id)
);
-- contacts.list: keyset order (lower(name), id) of live contacts.
CREATE INDEX contacts_name_idx ON contacts (tenant_id, lower(name), id) WHERE merged_into IS NULL;
CREATE INDEX contacts_phone_idx ON contacts (tenant_id, phone text_pattern_ops);
CREATE INDEX contacts_email_idx ON contacts (tenant_id, lower(email));
CREATE INDEX contacts_tags_idx ON contacts USING gin (tags);

CREATE TABLE contact_identities (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    contact_id    uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('wa_phone', 'wa_lid', 'email', 'other')),
    value         text NOT NULL CHECK (length(value) BETWEEN 1 AND 320),
    connection_id uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, value),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, connection_id) REFERENCES connections (tenant_id, id)
);
CREATE INDEX contact_identities_contact_idx ON contact_identities (tenant_id, contact_id);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['connections', 'contacts', 'contact_identities'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I'
                       ' USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)'
                       ' WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO atende_app', t);
    END LOOP;
END
$$;
