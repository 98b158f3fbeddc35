-- 0005: API tokens for integrations (issue 3 item 9): opaque "atk_" bearer tokens an admin creates for a
-- tenant, each limited to a set of scopes (api::perm::scopes()), stored only as a hash.
--
-- prefix keeps the first 8 characters after "atk_" so admins can tell their tokens apart; the rest of the
-- token is never stored. Tenant-owned like every table of 0002: tenant_id first in the key, RLS enabled and
-- forced, DML for atende_app.

CREATE TABLE api_tokens (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    scopes       text[] NOT NULL CHECK (cardinality(scopes) > 0),
    token_hash   text NOT NULL UNIQUE,
    prefix       text NOT NULL CHECK (length(prefix) = 8),
    created_by   uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   uuid,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, revoked_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX api_tokens_created_idx ON api_tokens (tenant_id, created_at DESC);

ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_tokens
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

REVOKE ALL ON api_tokens FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON api_tokens TO atende_app;

-- The pre-tenant step of authenticating an integration: the client presents only the opaque token, so the
-- tenant is found from the token's hash. Returns the identifiers and the state (including whether the
-- creating user and the tenant are still active), never the hash itself.
CREATE FUNCTION auth_find_api_token(p_token_hash text)
RETURNS TABLE (tenant_id uuid, id uuid, scopes text[], created_by uuid, expires_at timestamptz,
               revoked_at timestamptz, creator_active boolean, tenant_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT a.tenant_id, a.id, a.scopes, a.created_by, a.expires_at, a.revoked_at,
           coalesce(u.active, false), coalesce(t.active, false)
    FROM api_tokens a
    LEFT JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.created_by
    LEFT JOIN tenants t ON t.id = a.tenant_id
    WHERE a.token_hash = p_token_hash
$$;
REVOKE ALL ON FUNCTION auth_find_api_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_api_token(text) TO atende_app;
