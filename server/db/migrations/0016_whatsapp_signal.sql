-- 0016: the Signal protocol state of each WhatsApp connection (issue 6 item 1; PROTOCOL.md §11.4), written
-- behind by server/connectors/PgSignalStore: 1:1 session records, peer identity keys and group sender keys.
-- One-time prekeys are not repeated here: they already live in whatsapp_prekeys (0014), where the Session
-- stores them when it generates them; the Signal store reads them from there and deletes the ones a pkmsg
-- consumed.
--
-- Every record is an Envelope blob of the tenant's data key (KeyStore::encryptFor) whose associated data
-- names the tenant, the table, the connection and the record's key ("<tenant>/whatsapp_signal_sessions/
-- <connection>/<address>"), so a blob copied to another row, connection or tenant does not decrypt. key_id
-- repeats the data key id (for a rotation). Rows go with the whatsapp_sessions row (ON DELETE CASCADE) and
-- are deleted when the account logs out or the device is removed (PgSignalStore::clear).
--
-- Tenant-owned tables like 0008/0014: tenant_id first in each key, RLS enabled and forced, DML for atende_app.

CREATE TABLE whatsapp_signal_sessions (
    tenant_id     uuid NOT NULL,
    connection_id uuid NOT NULL,
    address       text NOT NULL CHECK (length(address) BETWEEN 3 AND 200), -- "name.device"
    record        bytea NOT NULL,
    key_id        bytea NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, connection_id, address),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES whatsapp_sessions (tenant_id, connection_id)
        ON DELETE CASCADE
);

CREATE TABLE whatsapp_signal_identities (
    tenant_id     uuid NOT NULL,
    connection_id uuid NOT NULL,
    address       text NOT NULL CHECK (length(address) BETWEEN 3 AND 200),
    identity_key  bytea NOT NULL,
    key_id        bytea NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, connection_id, address),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES whatsapp_sessions (tenant_id, connection_id)
        ON DELETE CASCADE
);

CREATE TABLE whatsapp_signal_sender_keys (
    tenant_id     uuid NOT NULL,
    connection_id uuid NOT NULL,
    group_id      text NOT NULL CHECK (length(group_id) BETWEEN 1 AND 200),
    address       text NOT NULL CHECK (length(address) BETWEEN 3 AND 200), -- the sender device
    record        bytea NOT NULL,
    key_id        bytea NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, connection_id, group_id, address),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES whatsapp_sessions (tenant_id, connection_id)
        ON DELETE CASCADE
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['whatsapp_signal_sessions', 'whatsapp_signal_identities',
                             'whatsapp_signal_sender_keys'] LOOP
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
