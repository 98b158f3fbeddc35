-- 0003: authentication (issue 3 item 3): rotating refresh tokens, stored only as a hash.
--
-- One row per issued refresh token. A login starts a family (family_id); every refresh marks the presented
-- token used and issues the next token of the same family. Presenting a token that is already used means
-- it was copied: the whole family is revoked (reuse detection). Tenant-owned like every table of 0002:
-- tenant_id first in the key, RLS enabled and forced, DML for atende_app.

CREATE TABLE refresh_tokens (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    family_id  uuid NOT NULL,
    user_id    uuid NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (tenant_id, family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (tenant_id, user_id);

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refresh_tokens
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

REVOKE ALL ON refresh_tokens FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_tokens TO atende_app;

-- The pre-tenant step of refresh and logout: the client presents only the opaque token, so the tenant is
-- found from the token's hash. Returns the identifiers and the state, never the hash itself.
CREATE FUNCTION auth_find_refresh_token(p_token_hash text)
RETURNS TABLE (tenant_id uuid, id uuid, family_id uuid, user_id uuid, expires_at timestamptz,
               used_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT r.tenant_id, r.id, r.family_id, r.user_id, r.expires_at, r.used_at, r.revoked_at
    FROM refresh_tokens r
    WHERE r.token_hash = p_token_hash
$$;
REVOKE ALL ON FUNCTION auth_find_refresh_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_refresh_token(text) TO atende_app;
