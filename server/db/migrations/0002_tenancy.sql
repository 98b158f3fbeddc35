-- 0002: tenancy foundation (ARCHITECTURE.md decision 4, issue 3).
--
-- Every tenant-owned table has tenant_id first in its primary key and Row-Level Security enabled AND forced,
-- with one policy comparing tenant_id to the transaction's app.tenant_id (set with set_config(..., true) by
-- DbExecutor::runTenant). The server's requests run as atende_app, a NOLOGIN role that owns nothing and
-- cannot bypass RLS, so a handler bug cannot reach another tenant's rows. nullif(): once a session has
-- used SET LOCAL app.tenant_id the placeholder stays defined as '' after the transaction, and ''::uuid
-- would raise instead of matching nothing.
--
-- The migration owner (the configured database user) keeps ownership; with FORCE it is bound by the same
-- policies unless it is a superuser or has BYPASSRLS (the embedded cluster's user is a superuser). Admin
-- commands that walk every tenant (audit verify) need such an owner.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'atende_app') THEN
        BEGIN
            CREATE ROLE atende_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database of the same cluster created it at the same moment
        END;
    END IF;
    -- SET ROLE atende_app needs membership unless we are a superuser.
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'atende_app', 'MEMBER') THEN
        EXECUTE format('GRANT atende_app TO %I', current_user);
    END IF;
END
$$;

CREATE TABLE tenants (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL CHECK (length(btrim(name)) > 0),
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    time_zone  text NOT NULL DEFAULT 'America/Sao_Paulo',
    language   text NOT NULL DEFAULT 'pt_BR',
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    email         text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
    name          text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent')),
    active        boolean NOT NULL DEFAULT true,
    availability  text NOT NULL DEFAULT 'offline' CHECK (availability IN ('online', 'paused', 'offline')),
    pause_reason  text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
-- Global: login looks the email up before the tenant is known.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sectors (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    name       text NOT NULL,
    color      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE user_sectors (
    tenant_id uuid NOT NULL,
    user_id   uuid NOT NULL,
    sector_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, user_id, sector_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, sector_id) REFERENCES sectors (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE tenant_keys (
    tenant_id        uuid PRIMARY KEY REFERENCES tenants (id),
    wrapped_data_key bytea NOT NULL,
    master_key_id    bytea NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Append-only, hash-chained per tenant: hash = SHA-256(prev_hash || canonical JSON of the row), see
-- server/tenancy/audit_log.h. seq is 1, 2, 3... per tenant; prev_hash of seq 1 is empty.
CREATE TABLE audit_log (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    seq           bigint NOT NULL CHECK (seq > 0),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    at            timestamptz NOT NULL,
    actor_user_id uuid,
    action        text NOT NULL,
    object_type   text,
    object_id     text,
    before        jsonb,
    after         jsonb,
    ip            text,
    prev_hash     bytea NOT NULL,
    hash          bytea NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

CREATE FUNCTION audit_log_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change();

-- Row-Level Security on every tenant-owned table.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (id = nullif(current_setting('app.tenant_id', true), '')::uuid);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['event_sequences', 'users', 'sectors', 'user_sectors', 'tenant_keys', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I'
                       ' USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)'
                       ' WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
    END LOOP;
END
$$;

-- Privileges: nothing for PUBLIC; atende_app gets DML but owns nothing.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, users, sectors, user_sectors, tenant_keys, event_sequences
    TO atende_app;
GRANT SELECT, INSERT ON audit_log TO atende_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO atende_app;

-- Login looks the user up by email before any tenant is known: a SECURITY DEFINER function runs as the
-- migration owner and returns only what login needs. Superuser/BYPASSRLS owners see every tenant through
-- it; the search_path is pinned so a caller cannot shadow users with its own table.
CREATE FUNCTION auth_find_user_by_email(p_email text)
RETURNS TABLE (tenant_id uuid, user_id uuid, password_hash text, role text, active boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT u.tenant_id, u.id, u.password_hash, u.role, u.active AND t.active
    FROM users u JOIN tenants t ON t.id = u.tenant_id
    WHERE lower(u.email) = lower(p_email)
$$;
REVOKE ALL ON FUNCTION auth_find_user_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_user_by_email(text) TO atende_app;
