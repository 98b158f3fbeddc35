-- 0014: WhatsApp connections in the product (issue 5 items 3-5): encrypted credentials and one-time prekeys
-- per connection, a state timeline, health, and one owner instance per connection.
--
-- whatsapp_sessions holds one row per WhatsApp connection that ever ran or was asked to pair. Secrets are
-- only stored as Envelope blobs of the tenant's data key (secrets::KeyStore::encryptFor, associated data
-- "<tenant>/whatsapp_sessions/<column>"); the *_key_id columns repeat the data key id of the blob so a
-- key rotation can see what is left to re-encrypt. The QR/pairing code of a running pairing is a
-- short-lived secret: kept encrypted here only while valid so any instance can answer GET .../pairing, and
-- cleared when pairing ends; it never enters the event log.
--
-- Ownership: a connection runs on exactly one instance. The owner holds a session-level advisory lock
-- (pg_try_advisory_lock(lock_key)) on a dedicated connection of its own AND a lease (owner_instance_id,
-- lease_expires_at) that it renews every few seconds on that same connection. A claimer must get the lock
-- and find the lease free or expired, so a live owner is exclusive; when the owner dies its lock goes with
-- its database session and its lease runs out, and another instance takes over. An owner that cannot renew
-- stops its sessions before its lease ends (self-fencing), which covers a network split where the lock
-- lingers. Commands from the API (pair, logout) are written here (command_seq) and announced with
-- NOTIFY atende_connections '<tenant>:<connection>', so they reach the owner whatever instance took them.
--
-- Tenant-owned tables like 0008: tenant_id first in each key, RLS enabled and forced, DML for atende_app.
-- The supervisor looks across tenants only through the SECURITY DEFINER functions below (like jobs_claim),
-- which return just what the caller needs.

CREATE TABLE whatsapp_sessions (
    tenant_id           uuid NOT NULL,
    connection_id       uuid NOT NULL,
    lock_key            bigint NOT NULL DEFAULT (floor(random() * 9.2e18) - 4.6e18)::bigint,
    -- Should run: paired credentials exist, or a pairing was asked for. False after logout/device removal.
    wanted              boolean NOT NULL DEFAULT false,
    needs_pairing       boolean NOT NULL DEFAULT true,
    credentials         bytea,
    credentials_key_id  bytea,
    paired              boolean NOT NULL DEFAULT false,
    state               text NOT NULL DEFAULT 'disconnected' CHECK (state IN ('disconnected', 'connecting',
                            'awaiting_qr', 'pairing', 'connected', 'logged_out', 'failed')),
    state_reason        text NOT NULL DEFAULT '',
    state_since         timestamptz NOT NULL DEFAULT now(),
    last_frame_at       timestamptz,
    connected_at        timestamptz,
    reconnects          integer NOT NULL DEFAULT 0 CHECK (reconnects >= 0),
    owner_instance_id   text,
    lease_expires_at    timestamptz,
    -- The last command from the API and the last one an owner carried out.
    command_seq         bigint NOT NULL DEFAULT 0,
    command_done_seq    bigint NOT NULL DEFAULT 0,
    command             text CHECK (command IN ('pair', 'logout')),
    pairing_method      text CHECK (pairing_method IN ('qr', 'code')),
    pairing_phone       text CHECK (pairing_phone ~ '^[1-9][0-9]{6,14}$'),
    pairing_secret      bytea,  -- encrypted QR text or pairing code while valid
    pairing_kind        text CHECK (pairing_kind IN ('qr', 'code')),
    pairing_valid_until timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, connection_id),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES connections (tenant_id, id),
    CHECK ((owner_instance_id IS NULL) = (lease_expires_at IS NULL))
);
CREATE UNIQUE INDEX whatsapp_sessions_lock_key ON whatsapp_sessions (lock_key);
CREATE INDEX whatsapp_sessions_owner ON whatsapp_sessions (owner_instance_id);

-- One-time prekeys (PROTOCOL.md §11.4): the private part is needed to decrypt the first message of a peer.
CREATE TABLE whatsapp_prekeys (
    tenant_id     uuid NOT NULL,
    connection_id uuid NOT NULL,
    prekey_id     integer NOT NULL CHECK (prekey_id BETWEEN 1 AND 16777215),
    key_pair      bytea NOT NULL,
    key_id        bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, connection_id, prekey_id),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES whatsapp_sessions (tenant_id, connection_id)
        ON DELETE CASCADE
);

-- State changes with reason codes (GET /api/v1/connections/{id}/events, keyset on id descending).
CREATE TABLE connection_events (
    tenant_id     uuid NOT NULL,
    connection_id uuid NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    at            timestamptz NOT NULL DEFAULT now(),
    state         text NOT NULL,
    reason        text NOT NULL DEFAULT '',
    instance_id   text NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, connection_id, id),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES connections (tenant_id, id)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['whatsapp_sessions', 'whatsapp_prekeys', 'connection_events'] LOOP
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

-- A command (or a new wish to run) wakes the supervisors; delivered at COMMIT.
CREATE FUNCTION whatsapp_sessions_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('atende_connections', NEW.tenant_id::text || ':' || NEW.connection_id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER whatsapp_sessions_notify_insert AFTER INSERT ON whatsapp_sessions
    FOR EACH ROW EXECUTE FUNCTION whatsapp_sessions_notify();
CREATE TRIGGER whatsapp_sessions_notify_update AFTER UPDATE OF command_seq, wanted ON whatsapp_sessions
    FOR EACH ROW WHEN (NEW.command_seq <> OLD.command_seq OR NEW.wanted <> OLD.wanted)
    EXECUTE FUNCTION whatsapp_sessions_notify();

-- connections.delete (a soft delete in the desk) stops and logs out the session: the owner sees the logout
-- command; the desk itself does not need to know WhatsApp exists.
CREATE FUNCTION connections_deleted_logout() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE whatsapp_sessions
    SET command = 'logout', command_seq = command_seq + 1, wanted = false, updated_at = now()
    WHERE tenant_id = NEW.tenant_id AND connection_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER connections_deleted_logout AFTER UPDATE OF deleted_at ON connections
    FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
    EXECUTE FUNCTION connections_deleted_logout();

-- Connections an instance may try to claim: wanted (or with a command left to carry out), of a live
-- WhatsApp connection, with no owner or an expired lease. The caller then takes lock_key and calls
-- whatsapp_claim().
CREATE FUNCTION whatsapp_claimable(p_instance text, p_limit int)
RETURNS TABLE (tenant_id uuid, connection_id uuid, lock_key bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT s.tenant_id, s.connection_id, s.lock_key
    FROM whatsapp_sessions s
    JOIN connections c ON c.tenant_id = s.tenant_id AND c.id = s.connection_id
    WHERE (s.wanted OR s.command_seq > s.command_done_seq)
      AND c.kind = 'whatsapp'
      AND (s.owner_instance_id IS NULL OR s.lease_expires_at < now() OR s.owner_instance_id = p_instance)
    ORDER BY s.lease_expires_at NULLS FIRST
    LIMIT p_limit
$$;

-- Takes the lease when it is free, expired or already ours. The caller holds the advisory lock.
CREATE FUNCTION whatsapp_claim(p_tenant uuid, p_connection uuid, p_instance text, p_lease_seconds int)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF p_instance IS NULL OR length(p_instance) = 0 OR p_lease_seconds < 1 THEN
        RAISE EXCEPTION 'whatsapp_claim: bad arguments' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE whatsapp_sessions
    SET owner_instance_id = p_instance, lease_expires_at = now() + make_interval(secs => p_lease_seconds)
    WHERE tenant_id = p_tenant AND connection_id = p_connection
      AND (owner_instance_id IS NULL OR lease_expires_at < now() OR owner_instance_id = p_instance);
    RETURN FOUND;
END
$$;

-- Renews every lease of the instance; returns the connections it still owns (one it lost to an expiry
-- is missing and must be stopped).
CREATE FUNCTION whatsapp_renew(p_instance text, p_lease_seconds int)
RETURNS TABLE (tenant_id uuid, connection_id uuid)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    UPDATE whatsapp_sessions s
    SET lease_expires_at = now() + make_interval(secs => p_lease_seconds)
    WHERE s.owner_instance_id = p_instance
    RETURNING s.tenant_id, s.connection_id
$$;

-- Gives a connection up (stop, shutdown, logged out); others may claim it at once.
CREATE FUNCTION whatsapp_release(p_tenant uuid, p_connection uuid, p_instance text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    UPDATE whatsapp_sessions
    SET owner_instance_id = NULL, lease_expires_at = NULL
    WHERE tenant_id = p_tenant AND connection_id = p_connection AND owner_instance_id = p_instance;
    RETURN FOUND;
END
$$;

-- The instance's heartbeat in server_instances (0001), for operators and the owner column of the health.
CREATE FUNCTION server_instance_heartbeat(p_instance uuid, p_hostname text, p_version text)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    INSERT INTO server_instances (instance_id, hostname, version)
    VALUES (p_instance, p_hostname, p_version)
    ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now(), hostname = EXCLUDED.hostname,
                                            version = EXCLUDED.version
$$;

REVOKE ALL ON FUNCTION whatsapp_claimable(text, int), whatsapp_claim(uuid, uuid, text, int),
    whatsapp_renew(text, int), whatsapp_release(uuid, uuid, text),
    server_instance_heartbeat(uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION whatsapp_claimable(text, int), whatsapp_claim(uuid, uuid, text, int),
    whatsapp_renew(text, int), whatsapp_release(uuid, uuid, text),
    server_instance_heartbeat(uuid, text, text) TO atende_app;
